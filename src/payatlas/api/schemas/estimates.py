"""Estimates, batches and offer checks (the profile is :class:`payatlas.schema.Profile`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from payatlas.api.schemas.common import JSON_INT
from payatlas.schema import OfferIn as SharedOfferIn
from payatlas.schema import Profile


class LocalRangeOut(BaseModel):
    """The range in the country's currency, at the pay year's average ECB rate."""

    currency: str
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    usd_per_unit: float
    rate_date: str
    rate_basis: str


#: why a count can be null (the same rule for every count of comparable records)
WITHHELD = (
    "Null when the count is from 1 to the privacy threshold - 1 (default 5): a cohort smaller "
    "than the privacy threshold is never published, not even its size. 0 (no comparable "
    "records) is published; other counts are rounded to a multiple of the privacy threshold "
    "(disclosure control, see docs/methodology.md)."
)


class CohortOut(BaseModel):
    """The cohort whose evidence an estimate leans on."""

    name: str
    key: str
    n: int | None = Field(description="Survey records in that cohort. " + WITHHELD)
    note: str | None = Field(
        default=None, description="Why ``n`` is null, e.g. 'fewer than 5 (...)'; else null."
    )


class ReasonOut(BaseModel):
    """One field's premium against the reference profile (they add up to the estimate)."""

    field: str
    label: str
    premium_pct: float


class PostingEvidenceOut(BaseModel):
    """Job postings (advertised pay) matching an estimate: P10-P90 and the count."""

    family: str
    level: str
    seniority: str = Field(description="Which title seniority words count as the level.")
    scope: Literal["metro", "state", "country"]
    area: str
    area_name: str
    n: int | None = Field(description="Matching postings; null under the privacy threshold.")
    n_note: str | None
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    posted_from: str | None
    posted_to: str | None
    sources: list[str]
    note: str | None
    label: str
    basis: str
    in_model: bool


class EstimateOut(BaseModel):
    """Annual pay P10-P90 in USD and local currency, evidence, reasons, data and model versions."""

    model_config = ConfigDict(extra="allow")

    role_family: str
    role_label: str
    level: str
    country: str
    residence: str
    remote: int
    company_size: str
    employment_type: str
    year: int
    p10: float = Field(description="USD per year.")
    p25: float
    p50: float
    p75: float
    p90: float
    currency: str = Field(description="The country's currency (see ``local``).")
    local: LocalRangeOut
    formatted: dict[str, str]
    n_comparable: int | None = Field(
        description="Survey records: same role family x level x country. " + WITHHELD
    )
    n_comparable_note: str | None = Field(
        description="Why ``n_comparable`` is null, e.g. 'fewer than 5 (under the privacy "
        "threshold, not published)'; null when the count is published."
    )
    cohort: CohortOut
    confidence: str
    flags: list[str] = Field(
        description="Where the profile leaves the data (``unseen_title``, ``level_assumed``, "
        "``country_not_in_data``, ``few_country_records``, ``outside_years``, ``no_local_rate``) "
        "and ``few_comparable_records`` when a count of comparable records is withheld."
    )
    reasons: list[ReasonOut]
    reference: dict[str, Any]
    data_version: int
    model_version: str
    basis: str
    metro: dict[str, Any] | None = Field(
        default=None,
        description="With a US metro: the CBSA, how it was matched and the OEWS differential "
        "(ratio, uncertainty, occupation, source) applied to the US estimate.",
    )
    postings: PostingEvidenceOut | None = Field(
        default=None,
        description="Beside the survey range: job postings (advertised pay) for the same role "
        "family x seniority x place (the US metro, else the country), with their count; null "
        "when the store holds no job postings. Not part of the model.",
    )


class ProfileIn(Profile):
    """A profile sent as JSON: types as the schema says (``"remote": false`` or ``"50"`` is
    not an integer), so the API accepts exactly what its OpenAPI schema describes."""

    model_config = ConfigDict(strict=True)

    remote: Annotated[int, Field(strict=False, ge=0, le=100), JSON_INT] = Field(
        default=0, description="Remote share, 0-100."
    )
    year: Annotated[int, Field(strict=False, ge=2015, le=2100), JSON_INT] | None = Field(
        default=None, description="Pay year."
    )


class BatchIn(BaseModel):
    """Many profiles at once (same field names as a single estimate)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"profiles": [
                    {"role": "ML Engineer", "country": "US", "level": "senior"},
                    {"role": "Data Scientist", "country": "Germany", "level": "mid"},
                ]}
            ]
        },
    )  # fmt: skip

    profiles: list[ProfileIn] = Field(min_length=1, max_length=10_000)


class BatchRowOut(BaseModel):
    """One input profile with its range (empty figures when it could not be resolved)."""

    model_config = ConfigDict(extra="allow")

    role: str
    country: str
    p10_usd: float | None
    p25_usd: float | None
    p50_usd: float | None
    p75_usd: float | None
    p90_usd: float | None
    n_comparable: int | None = Field(
        description="As in a single estimate. " + WITHHELD + " Also null for an unresolved row."
    )
    n_comparable_note: str | None = Field(
        default=None, description="Why ``n_comparable`` is null when it is withheld; else null."
    )
    confidence: str = Field(description="``low`` / ``medium`` / ``high``, or ``unresolved``.")
    model_version: str


class BatchOut(BaseModel):
    """One row per input profile, same order; ``errors`` maps row positions to reasons."""

    model_version: str | None
    rows: list[BatchRowOut]
    errors: dict[str, str]


class OfferIn(ProfileIn, SharedOfferIn):
    """A profile plus an annual offer, sent as JSON (types as the schema says)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"role": "ML Engineer", "country": "US", "level": "senior",
                 "amount": 185000, "currency": "USD"}
            ]
        },
    )  # fmt: skip


class OfferOut(BaseModel):
    """Where an offer falls: in the model's predictive distribution and among comparable
    records (None when that cohort is under the privacy threshold)."""

    model_config = ConfigDict(extra="allow")

    amount: float
    currency: str
    amount_usd: float
    usd_per_unit: float
    rate_date: str
    percentile: float = Field(description="The offer's percentile in the profile's own range.")
    percentile_label: str = Field(description='In words, e.g. "62nd percentile".')
    comparable_cohort: str
    comparable_scope: str = Field(
        description='"country", or "region" when the country cell is thin.'
    )
    comparable_n: int | None = Field(
        description="Survey submissions in that same-country (or region) cohort. " + WITHHELD
    )
    verdict: str
    formatted: str
    estimate: EstimateOut
