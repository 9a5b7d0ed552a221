"""Model: the champion's backtest metrics, 80% coverage per group, and every model version.
Same data as ``GET /v1/models``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.app_state import SettingsDep, StoreDep
from payatlas.model.listing import registry_view
from payatlas.web.views.common import attempt, render, router

GROUPS = ("overall", "US", "non-US", "entry", "mid", "senior", "executive")


@router.get("/model", response_class=HTMLResponse)
def model_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Backtest metrics of the champion, coverage chart, versions and promotions."""
    view, error = attempt(lambda: registry_view(settings))
    champion = None
    if view:
        champion = next((m for m in view.models if m.model_id == view.champion), None)
    return render(
        request,
        "model.html",
        title="Model",
        active="/model",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="How well the estimates hold up on survey records the model had not seen: a "
        "time-ordered backtest (train on records that arrived before the cutoff, test on the "
        "ones after).",
        view=view,
        champion=champion,
        groups=GROUPS,
        error=error,
        json_url="/v1/models",
    )
