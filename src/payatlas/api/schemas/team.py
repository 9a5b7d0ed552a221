"""Team cost: the team and countries in, per-country totals and per-line evidence out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from payatlas.api.schemas.common import JSON_INT
from payatlas.schema import Level


class TeamLineIn(BaseModel):
    """One line of a team."""

    model_config = ConfigDict(extra="forbid", strict=True)

    role: str = Field(min_length=1, max_length=200, description="Title or role family.")
    level: Level = Field(description="entry, mid, senior or executive.")
    headcount: Annotated[int, Field(strict=False, ge=1, le=10_000), JSON_INT] = 1


class OnCostIn(BaseModel):
    """An employer on-cost rate (fraction of pay) for one country, with its source."""

    model_config = ConfigDict(extra="forbid", strict=True)

    rate: float = Field(ge=0, le=2)
    source: str | None = Field(default=None, max_length=300)


class TeamCostIn(BaseModel):
    """A team and the countries to compare it across."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"team": [{"role": "ML Engineer", "level": "senior", "headcount": 2},
                          {"role": "Data Engineer", "level": "mid", "headcount": 1}],
                 "countries": ["US", "Austin, TX", "Germany", "Poland", "India"], "baseline": "US",
                 "mode": "employee"}
            ]
        },
    )  # fmt: skip

    team: list[TeamLineIn] = Field(min_length=1, max_length=50)
    countries: list[str] = Field(
        min_length=1,
        max_length=20,
        description="Candidate places: countries (names or codes) or US metros ('Austin, TX', "
        "a CBSA code such as 12420, a metro title).",
    )
    baseline: str = Field(
        default="US", min_length=2, max_length=100, description="Baseline country or US metro."
    )
    mode: Literal["employee", "contract"] = Field(
        default="employee", description="employee (model/cohorts) or contract (published rates)."
    )
    on_costs: dict[str, OnCostIn] | None = Field(
        default=None, description="Employer on-cost rates per country (your own, cited)."
    )


class BandOut(BaseModel):
    """P10 / P50 / P90."""

    p10: float
    p50: float
    p90: float


class IntervalOut(BaseModel):
    """A figure with its 90% interval (or a note)."""

    value: float | None
    low: float | None
    high: float | None
    note: str | None = None


class LineCostOut(BaseModel):
    """One team line in one country, with its evidence."""

    role: str
    level: str
    headcount: int
    per_person_usd: BandOut | None
    total_usd: BandOut | None
    n_comparable: int | None
    confidence: str
    basis: str
    note: str | None


class PppOut(BaseModel):
    """The total in purchasing power: PPP international dollars (World Bank) and, for US
    places, RPP-adjusted dollars (BEA, US = 100)."""

    ppp_international_dollars: BandOut | None
    ppp_factor: float | None
    ppp_year: int | None
    rpp: float | None
    rpp_adjusted_usd: BandOut | None
    notes: list[str]
    sources: list[str]


class CountryCostOut(BaseModel):
    """The whole team in one place (a country or a US metro)."""

    country: str
    place: str = Field(description="The country code, or US-<CBSA> for a US metro.")
    metro: dict[str, Any] | None = Field(
        description="For a US metro: the CBSA, its title and how the input matched it."
    )
    name: str
    currency: str
    total_usd: BandOut | None
    total_local: BandOut | None
    on_cost_rate: float | None
    on_cost_source: str | None
    savings_vs_baseline_pct: IntervalOut | None
    note: str | None
    ppp: PppOut | None
    lines: list[LineCostOut]


class TeamCostOut(BaseModel):
    """Team cost per country, savings vs the baseline and per-line evidence."""

    kind: str
    mode: str
    method: str
    baseline: str
    dataset_version: int
    model_version: str | None
    fx: str
    range: str
    purchasing_power: str
    team: list[dict[str, Any]]
    countries: list[CountryCostOut]
