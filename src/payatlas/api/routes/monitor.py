"""Monitoring: the champion on the survey versions it was not trained on, drift, alerts (#14)."""

from __future__ import annotations

from fastapi import APIRouter

from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import READ_RESPONSES
from payatlas.model.monitor import MonitorReport, monitor_report

router = APIRouter(prefix="/v1", tags=["models"])


@router.get(
    "/monitor",
    response_model=MonitorReport,
    responses=READ_RESPONSES,
    summary="The champion on new survey versions: scores, drift and alerts",
)
def monitor(store: StoreDep, settings: SettingsDep) -> MonitorReport:
    """Each survey version newer than the champion's training data scored by the champion
    (MAE and mean of log error, 80% coverage and width, per level, region, company size and
    arrival week) with its drift against the training records; pooled over all new records,
    with the alerts (a group of >= 200 new records with coverage outside 0.75-0.85 or |bias|
    over 0.05 in log pay)."""
    return monitor_report(store, settings)
