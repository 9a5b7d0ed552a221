"""Market analytics: benchmarks, trends, premiums, indicators, team cost (library results as-is)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.analytics.benchmarks import benchmark
from payatlas.analytics.filters import Slice
from payatlas.analytics.trends import trend
from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import BenchmarkOut, BenchmarkQuery, ErrorOut, SliceQuery, TrendOut

router = APIRouter(prefix="/v1", tags=["analytics"])

READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "The store is empty (or no champion model)."},
}


@router.get(
    "/benchmarks",
    response_model=BenchmarkOut,
    responses=READ_RESPONSES,
    summary="Pay percentiles for a slice",
)
def benchmarks(
    q: Annotated[BenchmarkQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """P10-P90, mean and n of annual USD pay, grouped by up to two fields; small cohorts are
    suppressed."""
    args = q.slice_args()
    by, limit = args.pop("by", []), args.pop("limit", None)
    result = benchmark(store, slice=Slice(**args), by=by, settings=settings, limit=limit)
    return JSONResponse(result.as_dict())


@router.get(
    "/trends", response_model=TrendOut, responses=READ_RESPONSES, summary="Median pay per year"
)
def trends(
    q: Annotated[SliceQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Median annual USD pay per pay year with a bootstrap 90% interval and year-over-year
    change; survey submissions per arrival month."""
    result = trend(store, slice=Slice(**q.slice_args()), settings=settings)
    return JSONResponse(result.as_dict())
