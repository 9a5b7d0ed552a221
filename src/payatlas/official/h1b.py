"""H-1B LCA filing aggregates (kind ``filing``): what employers said they would pay visa hires.

An LCA records an intended wage, not a hire; the prevailing wage it must meet is a legal floor,
not market pay. The aggregates publish P25/P50/P75 only (no P10/P90).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payatlas.official.crosswalk import H1B_BUCKETS
from payatlas.official.datasets import DOL
from payatlas.official.oews import query_official
from payatlas.store import Store

BASIS = (
    "the wage the employer intends to pay (it must meet the prevailing wage, a legal floor); "
    "an intention for a visa filing, not a hire and not market pay"
)


@dataclass(frozen=True, slots=True)
class FilingCell:
    """One H-1B title bucket in one area (a metro, or national)."""

    period: str
    bucket: str
    bucket_label: str
    area: str  # CBSA code or "US"
    area_title: str
    filings: int
    p25: float | None
    p50: float | None
    p75: float | None

    @property
    def population(self) -> str:
        where = "the US" if self.area == "US" else f"the {self.area_title} metro area"
        return (
            f"filings: H-1B LCA {self.period}, {self.filings:,} filings titled "
            f"{self.bucket_label} in {where}; {BASIS}"
        )

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out.update(population=self.population, credit=DOL, basis=BASIS)
        return out


def filing_cells(
    store: Store, *, family: str, cbsa: str | None, area_title: str
) -> list[FilingCell]:
    """The family's H-1B buckets in the metro (or nationally when ``cbsa`` is None), largest
    first."""
    buckets = [b for b, f in H1B_BUCKETS.items() if f == family]
    if not buckets:
        return []
    marks = ", ".join("?" for _ in buckets)
    where = "cbsa = ?" if cbsa else "cbsa IS NULL"
    rows = query_official(
        store,
        f"SELECT period, bucket, bucket_label, filings, p25, p50, p75 FROM h1b_filings "
        f"WHERE tier = 'all' AND bucket IN ({marks}) AND {where} ORDER BY filings DESC",
        [*buckets, *([cbsa] if cbsa else [])],
    )
    area = cbsa or "US"
    title = area_title if cbsa else "United States"
    return [FilingCell(r[0], r[1], r[2], area, title, int(r[3]), r[4], r[5], r[6]) for r in rows]
