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
                 "countries": ["US", "Germany", "Poland", "India"], "baseline": "US",
                 "mode": "employee"}
            ]
        },
    )  # fmt: skip

    team: list[TeamLineIn] = Field(min_length=1, max_length=50)
    countries: list[str] = Field(
        min_length=1, max_length=20, description="Candidate countries (names or codes)."
    )
    baseline: str = Field(default="US", min_length=2, max_length=100)
    mode: Literal["employee", "contract"] = Field(
        default="employee", description="employee (model/cohorts) or contract (published rates)."
    )
    source: str | None = Field(
        default=None,
        pattern=r"^[\w .:/+-]{1,100}$",
        description="Only this source's records (then costed from cohorts, not the model).",
    )
    kind: Literal["survey", "posting", "survey_submission", "job_posting"] | None = Field(
        default=None,
        description="survey (survey submissions, the default) or posting (job postings).",
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


class CountryCostOut(BaseModel):
    """The whole team in one country."""

    country: str
    name: str
    currency: str
    total_usd: BandOut | None
    total_local: BandOut | None
    on_cost_rate: float | None
    on_cost_source: str | None
    savings_vs_baseline_pct: IntervalOut | None
    note: str | None
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
    team: list[dict[str, Any]]
    countries: list[CountryCostOut]
