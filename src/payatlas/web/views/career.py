"""Career: pay by career rung for a family in a country, and common moves between families.
Same library call as ``GET /v1/career``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.analytics.career import career_view
from payatlas.app_state import SettingsDep, StoreDep
from payatlas.web.views.common import attempt, form_args, json_link, render, router

DEFAULTS = {"family": "ml_engineer", "country": "US"}


@router.get("/career", response_class=HTMLResponse)
def career_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Pay by rung (measured or flagged extrapolated) and the moves into and out of a family."""
    args = {**DEFAULTS, **form_args(request, tuple(DEFAULTS))}

    def run() -> dict[str, Any]:
        view = career_view(store, family=args["family"], country=args["country"], settings=settings)
        return view.as_dict()

    result, error = attempt(run)
    return render(
        request,
        "career.html",
        title="Career",
        active="/career",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="Pay by career rung, from junior to director or head, for a role family in a "
        "country, and what common moves between families pay, from survey records.",
        form=args,
        result=result,
        error=error,
        json_url=json_link("/v1/career", args),
    )
