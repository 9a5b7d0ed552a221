"""Request and response models, one per purpose. Public outputs never carry individual records.

Library results are rendered from their ``as_dict()``; these models describe that JSON (for the
OpenAPI schema and integrators) without re-computing anything.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from payatlas.schema import Level, Profile


class Open(BaseModel):
    """A response model that tolerates extra keys the library may add later."""

    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    """An error that is not about one input field (auth, size, state)."""

    detail: str = Field(description="What went wrong, in one sentence.")
    error: str | None = Field(default=None, description="The PayAtlas error type.")


class HealthOut(BaseModel):
    """Liveness plus what the server is serving."""

    status: str = Field(description="'ok' when the store is open.")
    version: str = Field(description="PayAtlas version.")
    dataset_version: int | None = Field(description="Latest dataset version (None: empty).")
    champion: str | None = Field(default=None, description="Champion model id, if any.")


class DatasetVersionOut(BaseModel):
    """One ingest (a dataset version = every ingest up to it)."""

    version: int
    created_at: str
    source: str
    source_file: str
    file_sha256: str
    file_format: str
    adapter: str
    rows_read: int
    accepted: int = Field(description="Survey records accepted (flagged ones included).")
    flagged: int
    rejected: int


class DataVersionsOut(BaseModel):
    """Every dataset version, oldest first, and the survey-record count of the latest."""

    latest: int | None
    records: int = Field(description="Survey records in the latest dataset version.")
    versions: list[DatasetVersionOut]


class IngestReportOut(BaseModel):
    """What an ingest read, kept, flagged and rejected (and why)."""

    dataset_version: int
    source: str
    file: str
    file_sha256: str
    format: str
    adapter: str
    rows_read: int
    accepted: int
    flagged: int
    rejected: int
    by_role_family: dict[str, int]
    flags: dict[str, int]
    rejected_by_reason: dict[str, int]
    seconds: float
    rejects_file: str | None
    other_share: float


#: what every endpoint with a body may also answer
BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON / multipart."},
    413: {"model": ErrorOut, "description": "Body larger than PAYATLAS_MAX_UPLOAD_MB."},
}
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "The store is empty (or no champion model)."},
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **BODY_RESPONSES,
    401: {"model": ErrorOut, "description": "Missing or wrong API key."},
    409: {"model": ErrorOut, "description": "The store or registry refused the change."},
    503: {"model": ErrorOut, "description": "The store is empty (or no champion model)."},
}


def plain(obj: Any) -> Any:
    """A library result as JSON-ready data (its ``as_dict()`` when it has one)."""
    as_dict = getattr(obj, "as_dict", None)
    return as_dict() if callable(as_dict) else obj


# -- analytics ---------------------------------------------------------------------------------


class SliceQuery(BaseModel):
    """Which survey records a figure is computed from (the profile's field names)."""

    model_config = ConfigDict(extra="forbid")

    role: str | None = Field(default=None, max_length=200, description="Title or role family.")
    level: str | None = Field(default=None, max_length=20, description="entry|mid|senior|executive")
    country: str | None = Field(default=None, max_length=100, description="Country of work.")
    region: str | None = Field(default=None, max_length=60, description="Region slug or label.")
    company_size: str | None = Field(default=None, max_length=10, description="S, M or L.")
    remote: str | None = Field(default=None, max_length=20, description="on-site|hybrid|remote")
    employment_type: str | None = Field(default=None, max_length=4, description="FT|PT|CT|FL")
    year: str | None = Field(default=None, max_length=20, description="2024 or 2023-2024.")
    version: int | None = Field(default=None, ge=1, description="Dataset version (default latest).")
    distinct: bool = Field(default=False, description="Drop exact duplicates of earlier rows.")

    def slice_args(self) -> dict[str, Any]:
        """Keyword arguments for :class:`payatlas.analytics.filters.Slice`."""
        return self.model_dump(exclude_none=True)


class BenchmarkQuery(SliceQuery):
    """A slice plus up to two grouping fields."""

    by: list[str] = Field(
        default_factory=list,
        max_length=2,
        description="Group by (repeatable, at most 2): role_family, level, country, region, "
        "company_size, remote, employment_type, year.",
    )
    limit: int | None = Field(default=None, ge=1, le=500, description="Largest groups only.")


class PayStatsOut(BaseModel):
    """Annual USD pay of one cohort, or ``suppressed: true`` and a note (no figures, no n)."""

    suppressed: bool
    n: int | None = Field(default=None, description="Survey records in the cohort.")
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
    records: int | None = Field(description="Survey records used (None: under the threshold).")
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

    which: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Premium keys (repeatable): ai_ml, remote, size_L_vs_M, size_S_vs_M, "
        "level_entry_vs_mid, level_senior_vs_mid, level_executive_vs_mid.",
    )
    model: bool = Field(default=True, description="Also the model-adjusted view (champion).")


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


class PremiumsOut(BaseModel):
    """Premiums for a slice."""

    kind: str
    basis: BasisOut
    interval: str
    premiums: list[PremiumOut]


class IndicatorsQuery(BaseModel):
    """Filter the published indicators."""

    model_config = ConfigDict(extra="forbid")

    indicator: str | None = Field(default=None, max_length=100, description="Name contains.")
    region: str | None = Field(default=None, max_length=100, description="Region contains.")
    search: str | None = Field(default=None, max_length=100, description="Free text.")
    compare: bool = Field(default=True, description="Add the reports-vs-data comparisons.")


class IndicatorOut(BaseModel):
    """A published figure and where it was published."""

    indicator: str
    segment: str | None
    region: str | None
    period: str | None
    value_low: float | None
    value_high: float | None
    unit: str | None
    cited_source: str | None
    published_in: str | None
    citation: str


class IndicatorListOut(BaseModel):
    """Published indicators matching a filter."""

    kind: str
    filters: dict[str, str]
    note: str
    indicators: list[IndicatorOut]


class MeasuredOut(BaseModel):
    """The PayAtlas measurement of a reported quantity."""

    model_config = ConfigDict(extra="allow")

    value: float | None
    low: float | None
    high: float | None
    unit: str
    n: int | None
    note: str | None
    what: str
    data_period: str
    interval: str


class ComparisonOut(BaseModel):
    """Reports vs data, with the citation and how the definitions differ."""

    reported: IndicatorOut
    payatlas: MeasuredOut
    caveat: str
    text: str


class ComparisonsOut(BaseModel):
    """Every comparison PayAtlas can make on the current dataset."""

    kind: str
    dataset_version: int
    unit: str
    comparisons: list[ComparisonOut]


class IndicatorsOut(BaseModel):
    """Published indicators (with citations) and, on request, the reports-vs-data view."""

    indicators: IndicatorListOut
    comparisons: ComparisonsOut | None


class TeamLineIn(BaseModel):
    """One line of a team."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(min_length=1, max_length=200, description="Title or role family.")
    level: Level = Field(description="entry, mid, senior or executive.")
    headcount: int = Field(default=1, ge=1, le=10_000)


class OnCostIn(BaseModel):
    """An employer on-cost rate (fraction of pay) for one country, with its source."""

    model_config = ConfigDict(extra="forbid")

    rate: float = Field(ge=0, le=2)
    source: str | None = Field(default=None, max_length=300)


class TeamCostIn(BaseModel):
    """A team and the countries to compare it across."""

    model_config = ConfigDict(extra="forbid")

    team: list[TeamLineIn] = Field(min_length=1, max_length=50)
    countries: list[str] = Field(
        min_length=1, max_length=20, description="Candidate countries (names or codes)."
    )
    baseline: str = Field(default="US", min_length=2, max_length=100)
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


# -- estimates ---------------------------------------------------------------------------------


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


class CohortOut(BaseModel):
    """The cohort whose evidence an estimate leans on."""

    name: str
    key: str
    n: int = Field(description="Survey records in that cohort.")


class ReasonOut(BaseModel):
    """One field's premium against the reference profile (they add up to the estimate)."""

    field: str
    label: str
    premium_pct: float


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
    n_comparable: int = Field(description="Survey records: same role family x level x country.")
    cohort: CohortOut
    confidence: str
    flags: list[str]
    reasons: list[ReasonOut]
    reference: dict[str, Any]
    data_version: int
    model_version: str
    basis: str


class BatchIn(BaseModel):
    """Many profiles at once (same field names as a single estimate)."""

    model_config = ConfigDict(extra="forbid")

    profiles: list[Profile] = Field(min_length=1, max_length=10_000)


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
    n_comparable: int | None
    confidence: str
    model_version: str


class BatchOut(BaseModel):
    """One row per input profile, same order; ``errors`` maps row positions to reasons."""

    model_version: str | None
    rows: list[BatchRowOut]
    errors: dict[str, str]


class OfferIn(Profile):
    """A profile plus an annual offer."""

    amount: float = Field(gt=0, lt=1e9, description="Annual gross offer.")
    currency: str = Field(default="USD", min_length=1, max_length=10, description="ISO code.")

    def profile(self) -> Profile:
        """The profile part."""
        return Profile(**self.model_dump(exclude={"amount", "currency"}))


class OfferOut(BaseModel):
    """Where an offer falls: in the model's predictive distribution and among comparable
    records (None when that cohort is under the privacy threshold)."""

    model_config = ConfigDict(extra="allow")

    amount: float
    currency: str
    amount_usd: float
    usd_per_unit: float
    rate_date: str
    percentile_model: float
    percentile_comparable: float | None
    comparable_cohort: str
    comparable_n: int
    verdict: str
    formatted: str
    estimate: EstimateOut


# -- models ------------------------------------------------------------------------------------


class ModelOut(BaseModel):
    """A trained model as the registry lists it."""

    model_config = ConfigDict(extra="allow")

    model_id: str
    data_version: int
    created_at: str
    seed: int
    code_version: str
    params: dict[str, Any]
    metrics: dict[str, Any]
    rows: int
    champion: bool
    backtest: dict[str, Any]


class ModelsOut(BaseModel):
    """Every model, newest first, the champion's id and the promotion log."""

    champion: str | None
    models: list[ModelOut]
    promotions: list[dict[str, Any]]


class TrainParams(BaseModel):
    """Overrides of the model's training parameters (defaults: the model package's)."""

    model_config = ConfigDict(extra="forbid")

    num_boost_round: int | None = Field(default=None, ge=10, le=5000)
    learning_rate: float | None = Field(default=None, gt=0, le=1)
    num_leaves: int | None = Field(default=None, ge=2, le=1024)
    objectives: list[Literal["regression", "l1"]] | None = Field(
        default=None, min_length=1, max_length=2
    )
    halflife_days: float | None = Field(default=None, gt=0, le=10_000)


class TrainIn(BaseModel):
    """Train options; an empty body trains with the defaults and the settings' seed."""

    model_config = ConfigDict(extra="forbid")

    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    params: TrainParams | None = None


class PromoteIn(BaseModel):
    """Promotion options."""

    model_config = ConfigDict(extra="forbid")

    force: bool = Field(default=False, description="Promote even if worse (recorded).")
