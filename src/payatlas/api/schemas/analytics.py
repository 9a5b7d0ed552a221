"""Slices of survey records and what benchmarks, trends and premiums return for them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from payatlas.normalize.countries import REGIONS

#: what the query parameters accept, exactly (the library is more lenient with spellings; the
#: API accepts what its OpenAPI schema says, no more and no less: #15)
YEAR = r"(199[0-9]|20[0-9][0-9]|2100)"
YEAR_PATTERN = rf"^{YEAR}(-{YEAR})?$"
REGION_PATTERN = "^(" + "|".join(REGIONS) + ")$"
ByField = Literal[
    "role_family", "level", "country", "region", "company_size", "remote", "employment_type",
    "year",
]  # fmt: skip
PremiumKey = Literal[
    "ai_ml", "remote", "size_L_vs_M", "size_S_vs_M", "level_entry_vs_mid",
    "level_senior_vs_mid", "level_executive_vs_mid",
]  # fmt: skip


class SliceQuery(BaseModel):
    """Which survey records a figure is computed from (the profile's field names)."""

    model_config = ConfigDict(extra="forbid")

    role: str | None = Field(
        default=None, max_length=200, description="Title or role family.", examples=["ML Engineer"]
    )
    level: Literal["entry", "mid", "senior", "executive"] | None = Field(
        default=None, description="Experience level."
    )
    country: str | None = Field(
        default=None, max_length=100, description="Country of work.", examples=["US"]
    )
    region: str | None = Field(default=None, pattern=REGION_PATTERN, description="Region slug.")
    company_size: Literal["S", "M", "L"] | None = Field(default=None, description="S, M or L.")
    remote: Literal["on-site", "hybrid", "remote"] | None = Field(
        default=None, description="Remote band."
    )
    employment_type: Literal["FT", "PT", "CT", "FL"] | None = Field(
        default=None, description="Employment type."
    )
    year: str | None = Field(
        default=None,
        pattern=YEAR_PATTERN,
        description="A pay year (2024) or an inclusive range (2023-2024, either order).",
    )
    version: int | None = Field(default=None, ge=1, description="Dataset version (default latest).")
    distinct: bool = Field(default=False, description="Drop exact duplicates of earlier rows.")

    @field_validator("year")
    @classmethod
    def _ordered(cls, value: str | None) -> str | None:
        if value is None or "-" not in value:
            return value
        lo, hi = sorted(value.split("-"))
        return f"{lo}-{hi}"

    def slice_args(self) -> dict[str, Any]:
        """Keyword arguments for :class:`payatlas.analytics.filters.Slice` (the filters only, not
        a subclass's own options such as ``by`` or ``which``)."""
        return self.model_dump(include=set(SliceQuery.model_fields), exclude_none=True)


class BenchmarkQuery(SliceQuery):
    """A slice plus up to two grouping fields."""

    by: list[ByField] = Field(
        default_factory=list,
        max_length=2,
        json_schema_extra={"uniqueItems": True},
        description="Group by (repeatable, at most 2): role_family, level, country, region, "
        "company_size, remote, employment_type, year.",
        examples=[["level"]],
    )
    limit: int | None = Field(default=None, ge=1, le=500, description="Largest groups only.")

    @field_validator("by")
    @classmethod
    def _unique_by(cls, value: list[str]) -> list[str]:
        return _unique(value)


def _unique(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("each value at most once")
    return value


class PayStatsOut(BaseModel):
    """Annual USD pay of one cohort, or ``suppressed: true`` and a note (no figures, no n)."""

    suppressed: bool
    n: int | None = Field(
        default=None,
        description="Survey records in the cohort, rounded to a multiple of the privacy threshold.",
    )
    p10: float | None = None
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    mean: float | None = None
    note: str | None = None


class GroupOut(PayStatsOut):
    """One group: its keys (the ``by`` fields) and its pay figures."""

    model_config = ConfigDict(extra="allow")

    role_family: str | None = None
    level: str | None = None
    country: str | None = None
    region: str | None = None
    company_size: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    year: int | None = None


class BasisOut(BaseModel):
    """What a result is computed from."""

    model_config = ConfigDict(extra="allow")

    dataset_version: int
    row_policy: str
    outliers: str
    records: int | None = Field(
        description="Survey records used, rounded to a multiple of the privacy threshold "
        "(None: under the threshold)."
    )
    unit: str
    pay: str
    filters: dict[str, Any]
    privacy_threshold: int
    sources: list[str]
    note: str | None = None


class BenchmarkOut(BaseModel):
    """Pay percentiles for a slice, overall and per group."""

    kind: str
    basis: BasisOut
    by: list[str]
    overall: PayStatsOut
    groups: list[GroupOut]
    suppressed_groups: int


class YearOut(BaseModel):
    """Median pay in one pay year with its 90% interval, and the change from the year before."""

    year: int
    suppressed: bool
    n: int | None = None
    p50: float | None = None
    p50_low: float | None = None
    p50_high: float | None = None
    yoy_pct: float | None = None
    yoy_low: float | None = None
    yoy_high: float | None = None
    note: str | None = None


class SubmissionsOut(BaseModel):
    """Survey submissions that arrived in one month (not job postings)."""

    month: str
    role_family: str
    suppressed: bool
    n: int | None = None
    note: str | None = None


class TrendOut(BaseModel):
    """Median pay per year with intervals, and survey submissions per arrival month."""

    kind: str
    basis: BasisOut
    interval: str
    years: list[YearOut]
    submissions_label: str
    submissions: list[SubmissionsOut]


class PremiumsQuery(SliceQuery):
    """A slice, and which premiums to measure (default: all)."""

    which: list[PremiumKey] = Field(
        default_factory=list,
        max_length=7,
        json_schema_extra={"uniqueItems": True},
        description="Premium keys (repeatable): ai_ml, remote, size_L_vs_M, size_S_vs_M, "
        "level_entry_vs_mid, level_senior_vs_mid, level_executive_vs_mid.",
    )
    model: bool = Field(default=True, description="Also the model-adjusted view (champion).")

    @field_validator("which")
    @classmethod
    def _unique_which(cls, value: list[str]) -> list[str]:
        return _unique(value)


class PremiumViewOut(BaseModel):
    """One way of measuring a premium, with its 90% interval (or a note instead of a number)."""

    method: str
    premium_pct: float | None
    low_pct: float | None
    high_pct: float | None
    n_a: int | None = None
    n_b: int | None = None
    cells: int | None = None
    note: str | None = None


class PremiumOut(BaseModel):
    """Side A over side B: matched-cohort medians and the model's adjusted premium."""

    key: str
    label: str
    a: str
    b: str
    matched_on: list[str]
    cohort: PremiumViewOut
    model: PremiumViewOut
    warnings: list[str] = Field(
        default_factory=list,
        description="Groups of a side missing in some of the compared years (each year is "
        "matched on its own, but the side compared is not the same in every year).",
    )
    note: str | None = Field(
        default=None,
        description="What the figure is, where another surface shows one of the "
        "same name (the remote premium vs an estimate's remote reason).",
    )


class PremiumsOut(BaseModel):
    """Premiums for a slice."""

    kind: str
    basis: BasisOut
    interval: str
    premiums: list[PremiumOut]
