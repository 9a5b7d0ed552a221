"""OEWS figures from the store: a metro x occupation cell, the national row, the median series.

Figures are returned exactly as BLS published them (annual wages, USD; suppressed cells None).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from payatlas.errors import StoreError
from payatlas.official.datasets import BLS
from payatlas.store import Store

LATEST_YEAR = 2025
PCTS = ("p10", "p25", "p50", "p75", "p90")


@dataclass(frozen=True, slots=True)
class OewsCell:
    """One OEWS row: an area (a metro, or the US) x occupation x year."""

    year: int
    area: str  # CBSA code, or "US"
    area_title: str
    soc: str
    occupation: str
    employment: int | None
    location_quotient: float | None
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    capped: str | None  # which percentiles sit at the BLS top code

    @property
    def population(self) -> str:
        """Who the figures describe, in words."""
        where = "the US" if self.area == "US" else f"the {self.area_title} metro area"
        emp = f", {self.employment:,} employed" if self.employment else ""
        return (
            f"official statistics: OEWS May {self.year}, all employees in SOC {self.soc} "
            f"{self.occupation} in {where}{emp}"
        )

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["population"] = self.population
        out["credit"] = BLS
        return out


def query_official(store: Store, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    try:
        return list(store.execute(sql, params).fetchall())
    except duckdb.CatalogException as exc:
        raise StoreError(
            "this store has no official statistics; run `payatlas data load-official`"
        ) from exc


def metro_cell(store: Store, *, soc: str, cbsa: str, year: int = LATEST_YEAR) -> OewsCell | None:
    """The May ``year`` metro row for ``soc`` (None when BLS publishes no row)."""
    rows = query_official(
        store,
        "SELECT year, cbsa, area_title, soc, occupation, tot_emp, loc_quotient, p10, p25, p50, "
        "p75, p90, capped FROM oews_metro WHERE soc = ? AND cbsa = ? AND year = ?",
        [soc, cbsa, year],
    )
    return OewsCell(*rows[0]) if rows else None


def national_cell(store: Store, *, soc: str, year: int = LATEST_YEAR) -> OewsCell | None:
    """The national row for ``soc`` in May ``year``."""
    rows = query_official(
        store,
        "SELECT year, 'US', 'United States', soc, occupation, tot_emp, 1.0, p10, p25, p50, p75, "
        "p90, capped FROM oews_national WHERE soc = ? AND year = ?",
        [soc, year],
    )
    return OewsCell(*rows[0]) if rows else None


def median_series(store: Store, *, soc: str, cbsa: str) -> dict[int, tuple[float, float]]:
    """Year -> (metro median, national median), for the years both are published."""
    rows = query_official(
        store,
        "SELECT m.year, m.p50, n.p50 FROM oews_metro_median m JOIN oews_national n "
        "ON n.year = m.year AND n.soc = m.soc WHERE m.soc = ? AND m.cbsa = ? "
        "AND m.p50 IS NOT NULL AND n.p50 IS NOT NULL ORDER BY m.year",
        [soc, cbsa],
    )
    return {int(y): (float(a), float(b)) for y, a, b in rows}


def official_credits(store: Store) -> list[dict[str, Any]]:
    """What is loaded: dataset, kind, rows, credit, licence, when."""
    rows = query_official(
        store,
        "SELECT dataset, kind, file, rows, credit, licence, loaded_at FROM official_loads "
        "ORDER BY dataset",
        [],
    )
    keys = ("dataset", "kind", "file", "rows", "credit", "licence", "loaded_at")
    return [dict(zip(keys, r, strict=True)) for r in rows]
