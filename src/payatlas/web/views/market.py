"""Market: published indicators with citations, reports vs data, and measured premiums.
Same library calls as ``GET /v1/indicators`` and ``GET /v1/premiums``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.analytics import Slice, compare_indicators, indicators, premiums
from payatlas.app_state import SettingsDep, StoreDep
from payatlas.web.views.common import attempt, form_args, json_link, render, router


@router.get("/market", response_class=HTMLResponse)
def market_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Indicators (filterable), the reports-vs-data comparisons and the premiums."""
    args = form_args(request, ("search", "role", "country", "year"))
    search = args.pop("search", None)

    def run() -> dict[str, Any]:
        return {
            "listed": indicators(store, search=search).as_dict(),
            "compared": compare_indicators(store, settings=settings).as_dict(),
            "premiums": premiums(store, slice=Slice.from_dict(args), settings=settings).as_dict(),
        }

    result, error = attempt(run)
    return render(
        request,
        "market.html",
        title="Market",
        active="/market",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="What published reports say about AI pay and demand, quoted with their sources, "
        "beside what the PayAtlas survey records measure for the same quantity.",
        form={**args, "search": search},
        result=result,
        error=error,
        json_url=json_link("/v1/indicators", {"search": search} if search else {}),
        premiums_json_url=json_link("/v1/premiums", args),
    )
