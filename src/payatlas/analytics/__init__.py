"""Market analytics: benchmarks for any slice, trends, premiums, team cost, published indicators.

Every function reads the store (or the champion model) and returns a typed, privacy-safe result
with ``as_dict()`` and ``to_frame()``; the CLI, API and dashboard render exactly these objects.
Cohorts under ``settings.privacy_threshold`` are suppressed; no result holds individual records.
"""

from __future__ import annotations

from payatlas.analytics.benchmarks import BenchmarkGroup, BenchmarkResult, benchmark
from payatlas.analytics.compare import Comparison, ComparisonsResult, compare_indicators
from payatlas.analytics.filters import BY_FIELDS, REMOTE_BANDS, Slice, parse_year, remote_band
from payatlas.analytics.indicators import (
    Indicator,
    IndicatorsResult,
    indicators,
    load_indicators,
)
from payatlas.analytics.premium_specs import SPECS as PREMIUMS
from payatlas.analytics.premium_specs import PremiumView
from payatlas.analytics.premiums import Premium, PremiumsResult, premiums
from payatlas.analytics.privacy import Basis, Interval, PayStats
from payatlas.analytics.team import team_cost
from payatlas.analytics.team_input import (
    OnCost,
    TeamLine,
    load_on_costs,
    load_team,
    parse_countries,
    parse_team,
)
from payatlas.analytics.team_result import Band, CountryCost, LineCost, TeamCostResult
from payatlas.analytics.trends import SubmissionCount, TrendResult, YearPoint, trend

__all__ = [
    "BY_FIELDS",
    "PREMIUMS",
    "REMOTE_BANDS",
    "Band",
    "Basis",
    "BenchmarkGroup",
    "BenchmarkResult",
    "Comparison",
    "ComparisonsResult",
    "CountryCost",
    "Indicator",
    "IndicatorsResult",
    "Interval",
    "LineCost",
    "OnCost",
    "PayStats",
    "Premium",
    "PremiumView",
    "PremiumsResult",
    "Slice",
    "SubmissionCount",
    "TeamCostResult",
    "TeamLine",
    "TrendResult",
    "YearPoint",
    "benchmark",
    "compare_indicators",
    "indicators",
    "load_indicators",
    "load_on_costs",
    "load_team",
    "parse_countries",
    "parse_team",
    "parse_year",
    "premiums",
    "remote_band",
    "team_cost",
    "trend",
]
