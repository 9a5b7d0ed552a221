"""Dashboard pages. Each page calls the same library function as its JSON endpoint and renders
the result's ``as_dict()`` (tables in HTML, charts drawn by Plotly from the embedded JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from payatlas.analytics.benchmarks import benchmark
from payatlas.analytics.filters import Slice
from payatlas.analytics.trends import trend
from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.errors import PayAtlasError
from payatlas.normalize.countries import REGIONS
from payatlas.normalize.titles import LEVELS, ROLE_FAMILIES
from payatlas.web.assets import ATTRIBUTION, templates

router = APIRouter(include_in_schema=False)

NAV: list[tuple[str, str]] = [
    ("/explore", "Explore"),
]
EXPLORE_BY = {"level": "Level", "country": "Country", "company_size": "Company size",
              "remote": "Remote", "region": "Region"}  # fmt: skip
SLICE_FIELDS = ("role", "level", "country", "region", "company_size", "remote", "year")


def form_args(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The non-empty query parameters among ``names`` (an empty form field means 'any')."""
    out = {}
    for name in names:
        value = request.query_params.get(name, "").strip()
        if value:
            out[name] = value
    return out


def render(
    request: Request,
    template: str,
    *,
    title: str,
    active: str,
    store: Any,
    settings: Any,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page inside the base layout (nav, attribution, dataset version)."""
    base = {
        "title": title,
        "active": active,
        "nav": NAV,
        "attribution": ATTRIBUTION,
        "privacy_threshold": settings.privacy_threshold,
        "dataset_version": store.latest_version(),
        "families": ROLE_FAMILIES,
        "level_choices": [(lv, lv.capitalize()) for lv in LEVELS],
        "regions": REGIONS,
    }
    base.update(context)
    return templates.TemplateResponse(request, template, base, status_code=status_code)


def attempt(call: Callable[[], Any]) -> tuple[Any, str | None]:
    """Run a library call; a PayAtlas error becomes a message for the page."""
    try:
        return call(), None
    except PayAtlasError as exc:
        return None, str(exc)


def json_link(path: str, params: dict[str, Any]) -> str:
    """The JSON endpoint behind a page, with the same parameters."""
    items = [(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])]
    return f"{path}?{urlencode(items)}" if items else path


@router.get("/explore", response_class=HTMLResponse)
def explore_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Benchmark table + distribution chart by a field, and the trend with its interval band."""
    args = form_args(request, (*SLICE_FIELDS, "by"))
    by = args.pop("by", "level")
    if by not in EXPLORE_BY:
        by = "level"

    def run() -> tuple[dict[str, Any], dict[str, Any]]:
        slice_ = Slice.from_dict(args)
        bench = benchmark(store, slice=slice_, by=[by], settings=settings, limit=25)
        return bench.as_dict(), trend(store, slice=slice_, settings=settings).as_dict()

    result, error = attempt(run)
    bench, trend_ = result if result else (None, None)
    return render(
        request,
        "explore.html",
        title="Explore pay",
        active="/explore",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="Pay percentiles for any slice of the survey records, and how the median moved "
        "year by year.",
        form=args,
        by=by,
        by_choices=EXPLORE_BY,
        bench=bench,
        trend=trend_,
        error=error,
        json_url=json_link("/v1/benchmarks", {**args, "by": [by]}),
        trend_json_url=json_link("/v1/trends", args),
    )
