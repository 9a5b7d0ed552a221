"""Explore: benchmark table + distribution chart by a field, and the trend with its band.
Same library calls as ``GET /v1/benchmarks`` and ``GET /v1/trends``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.analytics import Slice, benchmark, trend
from payatlas.app_state import SettingsDep, StoreDep
from payatlas.web.views.common import attempt, form_args, json_link, render, router

EXPLORE_BY = {"level": "Level", "country": "Country", "company_size": "Company size",
              "remote": "Remote", "region": "Region"}  # fmt: skip
SLICE_FIELDS = ("role", "level", "country", "region", "company_size", "remote", "year", "kind",
                "source")  # fmt: skip
KIND_CHOICES = (("survey", "Survey submissions"), ("posting", "Job postings"))


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
        lead="Pay percentiles for any slice of the survey records (or of the job postings), and "
        "how the median moved year by year.",
        kind_choices=KIND_CHOICES,
        form=args,
        by=by,
        by_choices=EXPLORE_BY,
        bench=bench,
        trend=trend_,
        error=error,
        json_url=json_link("/v1/benchmarks", {**args, "by": [by]}),
        trend_json_url=json_link("/v1/trends", args),
    )
