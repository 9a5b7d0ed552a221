"""Monitor (#14): the champion on survey versions it was not trained on, over versions and
arrival weeks, their drift, the alerts. Same data as ``GET /v1/monitor``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.app_state import SettingsDep, StoreDep
from payatlas.model.monitor import monitor_report
from payatlas.model.registry import shadow_id
from payatlas.model.shadow import shadow_stats
from payatlas.web.views.common import attempt, render, router


@router.get("/monitor", response_class=HTMLResponse)
def monitor_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Alerts, coverage and bias per version and per arrival week, groups, drift."""
    report, error = attempt(lambda: monitor_report(store, settings))
    latest = report.versions[-1] if report and report.versions else None
    shadow_model, _ = attempt(lambda: shadow_id(settings))
    shadow = shadow_stats(settings, shadow_model) if shadow_model else None
    return render(
        request,
        "monitor.html",
        title="Monitor",
        active="/monitor",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="How the champion does on survey submissions that arrived after it was trained: "
        "each new dataset version is scored before it enters training (survey records come "
        "with their pay), and compared with the records the champion learnt from.",
        report=report,
        data=report.model_dump(mode="json") if report else None,
        latest=latest,
        shadow=shadow,
        error=error,
        json_url="/v1/monitor",
    )
