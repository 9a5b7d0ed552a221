"""The US metro map's data: every OEWS metro at its BEA coordinates with the median pay of a role's
closest occupation, and that median in RPP-adjusted dollars."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, computed_field

from payatlas.official.crosswalk import soc_for
from payatlas.official.datasets import BEA, BLS
from payatlas.official.oews import LATEST_YEAR, query_official
from payatlas.output import Output
from payatlas.store import Store

NOTE = (
    "OEWS median annual wage of all employees in the SOC occupation; RPP-adjusted = median / "
    "(RPP / 100), dollars of US-average purchasing power"
)


@dataclass(frozen=True, slots=True)
class MetroPoint(Output):
    """One metro on the map (``p50`` None where BLS suppresses the cell)."""

    cbsa: str
    metro: str
    lat: float
    lng: float
    rpp: float | None
    employment: int | None
    p50: float | None
    p50_rpp_adjusted: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MetroMap(Output):
    """A role's OEWS medians across US metros: its SOC, year, the points, and credits."""

    kind: str = "metro_map"
    role_family: str
    soc: Annotated[dict[str, str], Field(description="The SOC occupation matched (crosswalk).")]
    year: int
    points: list[MetroPoint] = field(default_factory=list)
    note: str = NOTE
    credits: tuple[str, ...] = (BLS, BEA)

    @computed_field(description="Metros on the map.")  # type: ignore[prop-decorator]
    @property
    def metros(self) -> int:
        """Metros on the map."""
        return len(self.points)

    @computed_field(description="Metros whose median BLS publishes.")  # type: ignore[prop-decorator]
    @property
    def metros_with_pay(self) -> int:
        """Metros whose median BLS publishes."""
        return sum(1 for p in self.points if p.p50 is not None)


def metro_map(store: Store, *, role: str) -> MetroMap:
    """Every OEWS metro with coordinates, the role's OEWS median and its RPP-adjusted value."""
    match = soc_for(role)
    rows = query_official(
        store,
        "SELECT r.cbsa, r.metro_name, r.lat, r.lng, r.rpp, m.tot_emp, m.p50 FROM metro_rpp r "
        "LEFT JOIN oews_metro m ON m.cbsa = r.cbsa AND m.soc = ? AND m.year = ? "
        "WHERE r.lat IS NOT NULL AND r.lng IS NOT NULL ORDER BY r.cbsa",
        [match.soc, LATEST_YEAR],
    )
    points = [
        MetroPoint(
            cbsa=str(c), metro=str(t), lat=float(la), lng=float(lo),
            rpp=None if rpp is None else float(rpp),
            employment=None if emp is None else int(emp),
            p50=None if p50 is None else float(p50),
            p50_rpp_adjusted=None if p50 is None or rpp is None else round(p50 / (rpp / 100.0)),
        )
        for c, t, la, lo, rpp, emp, p50 in rows
    ]  # fmt: skip
    return MetroMap(role_family=match.family, soc=match.as_dict(), year=LATEST_YEAR, points=points)
