"""Job-posting analytics (#12): demand and skills queries and answers (the library's
``as_dict()`` shapes, declared for the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: the closed values, as the library checks them (analytics.demand.BY_FIELDS, normalize.seniority)
SeniorityWord = Literal[
    "intern", "junior", "senior", "staff", "principal", "lead", "head", "director", "vp",
    "chief", "unstated",
]  # fmt: skip
DemandBy = Literal[
    "month", "family", "seniority", "country", "state", "city", "remote", "employer", "board"
]


class PostingSliceQuery(BaseModel):
    """Which job postings a figure is computed from."""

    model_config = ConfigDict(extra="forbid")

    family: str | None = Field(default=None, max_length=200, description="Role family or title.")
    seniority: SeniorityWord | None = Field(
        default=None, description="junior, senior, lead, ... or unstated."
    )
    country: str | None = Field(default=None, max_length=100, description="Country.")
    state: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{1,3}$", description="State code, e.g. TX."
    )
    remote: bool | None = Field(default=None, description="Remote postings only (or none).")


def _by_month() -> list[DemandBy]:
    return ["month"]


class DemandQuery(PostingSliceQuery):
    """A slice of postings and up to two grouping fields."""

    by: list[DemandBy] = Field(
        default_factory=_by_month,
        min_length=1,
        max_length=2,
        json_schema_extra={"uniqueItems": True},
        description="Group by (repeatable, at most 2): month, family, seniority, country, "
        "state, city, remote, employer, board.",
    )
    top: int | None = Field(default=None, ge=1, le=500, description="First N rows only.")


class SkillsQuery(PostingSliceQuery):
    """A slice of postings, optionally only those asking for one skill."""

    with_skill: str | None = Field(
        default=None, max_length=60, description="Skills asked for together with this one."
    )
    top: int | None = Field(default=40, ge=1, le=300, description="First N skills only.")
    min_support: int = Field(
        default=30, ge=5, le=100_000, description="Fewest postings with and without a skill."
    )


class SliceOut(BaseModel):
    """The filter as given."""

    family: str | None
    seniority: str | None
    country: str | None
    state: str | None
    remote: bool | None
    source: str | None


class PostingSourceOut(BaseModel):
    """A postings dataset version behind a result, with its credit."""

    version: int
    source: str
    credit: str | None
    postings: int


class GrowthOut(BaseModel):
    """Relative change in postings between two periods (fractions), 95% bootstrap interval."""

    measure: str
    first_period: str
    last_period: str
    first: int
    last: int
    change: float
    low: float
    high: float


class DemandRowOut(BaseModel):
    """One group: counts, shares and pay are null when withheld (under the threshold). The
    grouping fields (month, family, ...) are extra keys."""

    model_config = ConfigDict(extra="allow")

    postings: int | None
    share: float | None
    remote_share: float | None
    median_annual_usd: float | None
    growth: GrowthOut | None
    withheld: bool


class DemandOut(BaseModel):
    """Job postings counted by the grouping fields."""

    kind: str = Field(description="job_posting")
    label: str = Field(description="job postings")
    slice: SliceOut
    by: list[str]
    postings: int
    sources: list[PostingSourceOut]
    privacy_threshold: int
    growth: GrowthOut | None
    rows: list[DemandRowOut]
    left_out_groups: int
    left_out_postings: int | None
    notes: list[str]


class SkillOut(BaseModel):
    """One skill: share of postings, change, lift (with ``with_skill``) and premium."""

    skill: str
    label: str
    category: str
    postings: int
    share: float
    change_pp: float | None
    change_low: float | None
    change_high: float | None
    lift: float | None
    premium: float | None = Field(description="exp(beta) - 1 on advertised pay; 0.05 = +5%.")
    premium_low: float | None
    premium_high: float | None
    p_value: float | None
    p_adjusted: float | None = Field(description="Benjamini-Hochberg across the skills tested.")
    support_with: int | None
    support_without: int | None


class SkillsOut(BaseModel):
    """Skills in a slice of job postings."""

    kind: str
    label: str
    pay_label: str
    slice: SliceOut
    with_skill: str | None
    postings: int
    postings_with_skills: int
    sources: list[PostingSourceOut]
    privacy_threshold: int
    min_support: int
    periods: list[str] | None
    left_out: int
    skills: list[SkillOut]
    notes: list[str]
