"""The official datasets PayAtlas ships: file, kind, table, credit and licence of each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from payatlas.bundled import data_dir

BLS = "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)"
BEA = "U.S. Bureau of Economic Analysis, Regional Price Parities (RPP)"
WORLD_BANK = "World Bank, International Comparison Program (PA.NUS.PPP)"
DOL = "U.S. Department of Labor, H-1B Labor Condition Applications (LCA)"
CENSUS = "U.S. Census Bureau, CBSA delineation files"
CITIES = "USA-cities-and-states (grammakov), CC0"
PUBLIC_DOMAIN = "U.S. federal government data, public domain"


@dataclass(frozen=True, slots=True)
class Dataset:
    """One bundled official file and the table it loads into."""

    key: str
    kind: str  # "official" | "filing" | "reference"
    file: str
    table: str | None  # None: read from the package, not loaded into the store
    title: str
    credit: str
    licence: str

    @property
    def path(self) -> Path:
        return data_dir() / self.file


DATASETS: tuple[Dataset, ...] = (
    Dataset("oews_metro", "official", "oews_msa_may2025_pctiles.csv.gz", "oews_metro",
            "OEWS May 2025, metro x occupation: employment, location quotient, P10-P90",
            BLS, PUBLIC_DOMAIN),
    Dataset("oews_metro_median", "official", "oews_msa_median_2022_2025.csv.gz",
            "oews_metro_median", "OEWS May 2022-2025, metro x occupation: employment, median",
            BLS, PUBLIC_DOMAIN),
    Dataset("oews_national", "official", "oews_national_2022_2025.csv.gz", "oews_national",
            "OEWS May 2022-2025, national P10-P90 by occupation", BLS, PUBLIC_DOMAIN),
    Dataset("metro_rpp", "official", "bea_rpp_2024_by_metro.csv.gz", "metro_rpp",
            "BEA regional price parities 2024, all items (US = 100), by metro", BEA,
            PUBLIC_DOMAIN),
    Dataset("ppp_factors", "official", "ppp-gdp.csv.gz", "ppp_factors",
            "PPP conversion factor, GDP (local currency per international $), 1990-2024",
            WORLD_BANK, "CC BY 4.0 (packaged under ODC-PDDL by the datasets/ppp project)"),
    Dataset("h1b_filings", "filing", "h1b_lca_fy2025_by_title.json.gz", "h1b_filings",
            "H-1B LCA filings FY2025 by title family, national and per metro", DOL,
            PUBLIC_DOMAIN),
    Dataset("cbsa_crosswalk", "reference", "cbsa_county_crosswalk_2017.csv.gz", None,
            "County -> CBSA delineation (2017 vintage)", CENSUS, PUBLIC_DOMAIN),
    Dataset("us_cities", "reference", "us_cities_states_counties.csv.gz", None,
            "US places -> state and county", CITIES, "CC0 1.0"),
)  # fmt: skip
DATASET_BY_KEY: dict[str, Dataset] = {d.key: d for d in DATASETS}


def credits() -> list[str]:
    """One credit line per source, in the order the datasets are listed."""
    seen: dict[str, None] = {}
    for d in DATASETS:
        seen.setdefault(f"{d.credit} ({d.licence})", None)
    return list(seen)
