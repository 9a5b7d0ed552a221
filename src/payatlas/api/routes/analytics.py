"""Market analytics: benchmarks, trends, premiums, indicators, team cost (library results as-is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.analytics import (
    Slice,
    benchmark,
    compare_indicators,
    indicators,
    premiums,
    team_cost,
    trend,
)
from payatlas.analytics.team_input import parse_on_costs
from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import (
    BODY_RESPONSES,
    READ_RESPONSES,
    BenchmarkOut,
    BenchmarkQuery,
    IndicatorsOut,
    IndicatorsQuery,
    PremiumsOut,
    PremiumsQuery,
    SliceQuery,
    TeamCostIn,
    TeamCostOut,
    TrendOut,
)

router = APIRouter(prefix="/v1", tags=["analytics"])


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
    s = Slice(**q.slice_args())
    result = benchmark(store, slice=s, by=q.by, settings=settings, limit=q.limit)
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


@router.get(
    "/premiums",
    response_model=PremiumsOut,
    responses=READ_RESPONSES,
    summary="AI/ML, remote, company-size and level premiums",
)
def premiums_(
    q: Annotated[PremiumsQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Each premium twice, with 90% intervals: matched-cohort medians and the model-adjusted
    premium; thin data says so instead of a number."""
    s = Slice(**q.slice_args())
    which = list[str](q.which) or None
    result = premiums(store, slice=s, which=which, settings=settings, model=q.model)
    return JSONResponse(result.as_dict())


@router.get(
    "/indicators",
    response_model=IndicatorsOut,
    responses=READ_RESPONSES,
    summary="Published indicators with citations, and reports vs data",
)
def indicators_(
    q: Annotated[IndicatorsQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Third-party figures quoted with their source; beside them, where PayAtlas measures the
    same quantity, its own figure with a 90% interval and record count."""
    listed = indicators(store, indicator=q.indicator, region=q.region, search=q.search)
    compared = compare_indicators(store, settings=settings) if q.compare else None
    return JSONResponse(
        {"indicators": listed.as_dict(), "comparisons": compared.as_dict() if compared else None}
    )


@router.post(
    "/team-cost",
    response_model=TeamCostOut,
    responses={**READ_RESPONSES, **BODY_RESPONSES},
    summary="Team cost across countries",
)
def team_cost_(body: TeamCostIn, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Total annual cost P10/P50/P90 per country (USD and local), cost per line with its
    evidence, and savings vs the baseline with a range."""
    on_costs = (
        parse_on_costs({k: v.model_dump() for k, v in body.on_costs.items()})
        if body.on_costs
        else None
    )
    result = team_cost(
        store,
        team=[line.model_dump() for line in body.team],
        countries=body.countries,
        baseline=body.baseline,
        settings=settings,
        on_costs=on_costs,
        mode=body.mode,
        source=body.source,
        kind=body.kind,
    )
    return JSONResponse(result.as_dict())
