"""Request and response models, one per purpose. Public outputs never carry individual records.

Library results are rendered from their ``as_dict()``; these models describe that JSON (for the
OpenAPI schema and integrators) without re-computing anything. One module per area; every name
is importable from here (``from payatlas.api.schemas import EstimateOut``).
"""

from __future__ import annotations

from payatlas.api.schemas.analytics import (
    BasisOut,
    BenchmarkOut,
    BenchmarkQuery,
    GroupOut,
    PayStatsOut,
    PremiumOut,
    PremiumsOut,
    PremiumsQuery,
    PremiumViewOut,
    SliceQuery,
    SubmissionsOut,
    TrendOut,
    YearOut,
)
from payatlas.api.schemas.common import (
    BODY_RESPONSES,
    READ_RESPONSES,
    WRITE_RESPONSES,
    ErrorOut,
    HealthOut,
)
from payatlas.api.schemas.data import (
    DatasetVersionOut,
    DataVersionsOut,
    DropReportOut,
    IngestReportOut,
)
from payatlas.api.schemas.estimates import (
    BatchIn,
    BatchOut,
    BatchRowOut,
    CohortOut,
    EstimateOut,
    LocalRangeOut,
    OfferIn,
    OfferOut,
    ProfileIn,
    ReasonOut,
)
from payatlas.api.schemas.indicators import (
    ComparisonOut,
    ComparisonsOut,
    IndicatorListOut,
    IndicatorOut,
    IndicatorsOut,
    IndicatorsQuery,
    MeasuredOut,
)
from payatlas.api.schemas.models import (
    ModelOut,
    ModelsOut,
    PromoteIn,
    TrainIn,
    TrainParams,
)
from payatlas.api.schemas.team import (
    BandOut,
    CountryCostOut,
    IntervalOut,
    LineCostOut,
    OnCostIn,
    TeamCostIn,
    TeamCostOut,
    TeamLineIn,
)

__all__ = [
    "BODY_RESPONSES",
    "READ_RESPONSES",
    "WRITE_RESPONSES",
    "BandOut",
    "BasisOut",
    "BatchIn",
    "BatchOut",
    "BatchRowOut",
    "BenchmarkOut",
    "BenchmarkQuery",
    "CohortOut",
    "ComparisonOut",
    "ComparisonsOut",
    "CountryCostOut",
    "DataVersionsOut",
    "DatasetVersionOut",
    "DropReportOut",
    "ErrorOut",
    "EstimateOut",
    "GroupOut",
    "HealthOut",
    "IndicatorListOut",
    "IndicatorOut",
    "IndicatorsOut",
    "IndicatorsQuery",
    "IngestReportOut",
    "IntervalOut",
    "LineCostOut",
    "LocalRangeOut",
    "MeasuredOut",
    "ModelOut",
    "ModelsOut",
    "OfferIn",
    "OfferOut",
    "OnCostIn",
    "PayStatsOut",
    "PremiumOut",
    "PremiumViewOut",
    "PremiumsOut",
    "PremiumsQuery",
    "ProfileIn",
    "PromoteIn",
    "ReasonOut",
    "SliceQuery",
    "SubmissionsOut",
    "TeamCostIn",
    "TeamCostOut",
    "TeamLineIn",
    "TrainIn",
    "TrainParams",
    "TrendOut",
    "YearOut",
]
