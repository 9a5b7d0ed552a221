"""Request and response models, one per purpose. Public outputs never carry individual records.

Requests are strict models with examples, defined here. An answer is the library's own result
type (:mod:`payatlas.output`: the route's ``response_model``, what ``--json`` prints and what the
dashboard renders); the answers still described here are the ones not yet unified. One module per
area; every name is importable from here (``from payatlas.api.schemas import ProfileIn``).
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
from payatlas.api.schemas.estimates import (
    BatchIn,
    BatchOut,
    BatchRowOut,
    OfferIn,
    ProfileIn,
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
    "ComparisonOut",
    "ComparisonsOut",
    "CountryCostOut",
    "ErrorOut",
    "GroupOut",
    "HealthOut",
    "IndicatorListOut",
    "IndicatorOut",
    "IndicatorsOut",
    "IndicatorsQuery",
    "IntervalOut",
    "LineCostOut",
    "MeasuredOut",
    "OfferIn",
    "OnCostIn",
    "PayStatsOut",
    "PremiumOut",
    "PremiumViewOut",
    "PremiumsOut",
    "PremiumsQuery",
    "ProfileIn",
    "PromoteIn",
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
