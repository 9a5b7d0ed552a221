"""Sources side by side: survey, postings, OEWS and H-1B P10/P50/P90 for one role in one US metro.

Each row says whose pay it describes (its population), the year, how many people or records, and
the source's credit. The figures are never blended; ``differences`` explains why they differ
(population, pay concept, proxy occupations, missing metro detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payatlas.analytics.benchmarks import benchmark
from payatlas.analytics.filters import Slice
from payatlas.bundled import ATTRIBUTION
from payatlas.normalize.metros import MetroMatch, resolve_metro
from payatlas.normalize.titles import FAMILY_BY_SLUG
from payatlas.official.crosswalk import CROSSWALK, NO_SOC, family_of
from payatlas.official.datasets import BLS
from payatlas.official.h1b import filing_cells
from payatlas.official.oews import LATEST_YEAR, metro_cell, national_cell
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

SURVEY_BASIS = "self-reported total annual pay (salary, may include bonus), converted to USD"
OEWS_BASIS = "employer-reported base wages (no bonus or equity); high wages top-coded by BLS"


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One source's figures for the role and place."""

    kind: str  # "survey" | "posting" | "official" | "filing"
    source: str
    population: str
    year: str
    area: str
    count: int | None  # records, postings, people employed or filings
    count_unit: str
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    basis: str
    credit: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class SourcesResult:
    """The role, the metro and one row per source, with the differences explained."""

    role_family: str
    role_label: str
    metro: MetroMatch
    soc: dict[str, str] | None
    rows: list[SourceRow]
    differences: list[str] = field(default_factory=list)

    def row(self, kind: str) -> SourceRow | None:
        """The first row of ``kind``."""
        return next((r for r in self.rows if r.kind == kind), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per source."""
        return pd.DataFrame([r.as_dict() for r in self.rows])

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "sources",
            "role_family": self.role_family,
            "role_label": self.role_label,
            "metro": self.metro.as_dict(),
            "soc": self.soc,
            "sources": [r.as_dict() for r in self.rows],
            "differences": list(self.differences),
        }


def _survey_row(store: Store, family: str, settings: Settings) -> SourceRow:
    year = _survey_year(store, family)
    result = benchmark(store, slice=Slice(role=family, country="US", year=year), settings=settings)
    stats = result.overall
    years = str(year or "")
    label = FAMILY_BY_SLUG[family].label
    return SourceRow(
        kind="survey",
        source="aijobs.net salary index",
        population=f"survey submissions: {label}, all levels, working in the US, pay year "
        f"{years} (the survey records no metro)",
        year=years,
        area="US",
        count=stats.n,
        count_unit="records",
        p10=stats.p10,
        p25=stats.p25,
        p50=stats.p50,
        p75=stats.p75,
        p90=stats.p90,
        basis=SURVEY_BASIS,
        credit=ATTRIBUTION,
        note="" if stats.n is not None else "fewer records than the privacy threshold",
    )


def _survey_year(store: Store, family: str) -> int | None:
    """The latest pay year of the family's US survey records."""
    row = store.execute(
        "SELECT max(pay_year) FROM records WHERE role_family = ? AND country = 'US'", [family]
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _oews_rows(store: Store, family: str, metro: MetroMatch) -> list[SourceRow]:
    match = CROSSWALK.get(family)
    if match is None:
        return []
    out = []
    for cell in (metro_cell(store, soc=match.soc, cbsa=metro.cbsa),
                 national_cell(store, soc=match.soc)):  # fmt: skip
        if cell is None:
            continue
        proxy = f"SOC {match.soc} is a proxy for {FAMILY_BY_SLUG[family].label}" if (
            match.match == "proxy") else ""  # fmt: skip
        out.append(SourceRow(
            kind="official", source=f"BLS OEWS May {cell.year}", population=cell.population,
            year=str(cell.year), area=cell.area, count=cell.employment, count_unit="employed",
            p10=cell.p10, p25=cell.p25, p50=cell.p50, p75=cell.p75, p90=cell.p90,
            basis=OEWS_BASIS, credit=BLS,
            note="; ".join(x for x in (proxy, _capped(cell.capped)) if x),
        ))  # fmt: skip
    return out


def _capped(capped: str | None) -> str:
    return f"{capped.replace('|', ', ')} at the BLS top code" if capped else ""


def _filing_rows(store: Store, family: str, metro: MetroMatch) -> list[SourceRow]:
    cells = filing_cells(store, family=family, cbsa=metro.cbsa, area_title=metro.metro.title)
    if not cells:
        cells = filing_cells(store, family=family, cbsa=None, area_title="")
    return [
        SourceRow(
            kind="filing", source=f"H-1B LCA {c.period}", population=c.population,
            year=c.period, area=c.area, count=c.filings, count_unit="filings",
            p10=None, p25=c.p25, p50=c.p50, p75=c.p75, p90=None,
            basis="intended wage on a visa filing (prevailing wage = legal floor)",
            credit="U.S. Department of Labor, H-1B LCA", note="P10/P90 not published",
        )
        for c in cells[:3]
    ]  # fmt: skip


def _postings_row(
    store: Store, family: str, metro: MetroMatch, settings: Settings
) -> SourceRow | None:
    """Job postings in the metro: US postings of the family whose "City, ST" resolves to the
    metro's CBSA (the ``postings`` table; none when the store holds no job postings)."""
    from payatlas.normalize.places import resolve_place

    has = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'postings'"
    ).fetchone()
    if not has or not has[0]:
        return None
    places = store.execute(
        "SELECT DISTINCT city, state FROM postings WHERE country = 'US' AND role_family = ? "
        "AND city IS NOT NULL AND state IS NOT NULL", [family]
    ).fetchall()  # fmt: skip
    inside = [(c, st) for c, st in places if resolve_place(f"{c}, {st}").cbsa == metro.cbsa]
    if not inside:
        return None
    marks = ", ".join("(?, ?)" for _ in inside)
    n, q, names = store.execute(
        "SELECT count(*), quantile_cont(annual_usd, [0.1, 0.25, 0.5, 0.75, 0.9]), "
        "list(DISTINCT coalesce(d.credit, p.source) ORDER BY coalesce(d.credit, p.source)) "
        "FROM postings p LEFT JOIN dataset_sources d ON d.version = p.dataset_version "
        f"WHERE p.country = 'US' AND p.role_family = ? AND (p.city, p.state) IN ({marks})",
        [family, *[v for pair in inside for v in pair]],
    ).fetchone()  # fmt: skip
    if not n or n < settings.privacy_threshold:
        return None
    years = store.execute(
        "SELECT min(year(posted_date)), max(year(posted_date)) FROM postings WHERE country = 'US' "
        f"AND role_family = ? AND (city, state) IN ({marks})",
        [family, *[v for pair in inside for v in pair]],
    ).fetchone()  # fmt: skip
    year = "" if not years or years[0] is None else (
        str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}")  # fmt: skip
    return SourceRow(
        kind="posting", source="job postings", year=year,
        population=f"job postings: {n:,} {FAMILY_BY_SLUG[family].label} postings in the "
                   f"{metro.metro.title} metro area",
        area=metro.cbsa, count=int(n), count_unit="postings", p10=q[0], p25=q[1], p50=q[2],
        p75=q[3], p90=q[4], basis="advertised pay (a range's midpoint)",
        credit=", ".join(names),
    )  # fmt: skip


def sources(
    store: Store, *, role: str, metro: str, settings: Settings | None = None
) -> SourcesResult:
    """Survey, postings, OEWS and H-1B figures for ``role`` in the US ``metro``, side by side.

    ``metro`` is anything :func:`~payatlas.normalize.metros.resolve_metro` reads (a code, a
    title, "City, ST"). Raises UnknownRole, UnknownPlace / AmbiguousPlace, or StoreError when
    the official tables are not loaded."""
    settings = settings or get_settings()
    family = family_of(role)
    match = resolve_metro(metro)
    rows = [_survey_row(store, family, settings)]
    posting = _postings_row(store, family, match, settings)
    if posting:
        rows.append(posting)
    rows += _oews_rows(store, family, match)
    rows += _filing_rows(store, family, match)
    soc = CROSSWALK[family].as_dict() if family in CROSSWALK else None
    return SourcesResult(family, FAMILY_BY_SLUG[family].label, match, soc, rows,
                         _differences(family, match, rows))  # fmt: skip


def _pct(a: float | None, b: float | None) -> str | None:
    if not a or not b:
        return None
    return f"{(a / b - 1) * 100:+.0f}%"


def _differences(family: str, metro: MetroMatch, rows: list[SourceRow]) -> list[str]:
    by_kind = {r.kind: r for r in reversed(rows)}  # first row of each kind wins
    survey = by_kind.get("survey")
    oews = next((r for r in rows if r.kind == "official" and r.area == metro.cbsa), None)
    us = next((r for r in rows if r.kind == "official" and r.area == "US"), None)
    out = [
        "Survey figures are self-reported pay of people who chose to answer (mostly tech "
        "employers); OEWS covers every employee in the occupation, employer-reported base "
        "wages without bonus or equity; H-1B figures are intended wages on visa filings.",
    ]
    if survey:
        out.append("The survey records no metro: its row is US-wide.")
    if family not in CROSSWALK:
        out.append(f"No OEWS occupation: {NO_SOC.get(family, '')}.")
    elif CROSSWALK[family].match == "proxy":
        out.append(f"OEWS figures are for {CROSSWALK[family].label}: a proxy occupation.")
    if oews is None and family in CROSSWALK:
        out.append(f"BLS publishes no May {LATEST_YEAR} row for this occupation in "
                   f"{metro.metro.title}.")  # fmt: skip
    if oews and us and (d := _pct(oews.p50, us.p50)):
        out.append(f"{metro.short_name} vs US (OEWS median): {d}.")
    if survey and oews and (d := _pct(survey.p50, oews.p50)):
        out.append(f"Survey P50 vs OEWS {metro.short_name} P50: {d} (different populations, "
                   "pay concepts and years).")  # fmt: skip
    if "filing" not in by_kind:
        out.append("No H-1B title bucket matches this role family.")
    return out
