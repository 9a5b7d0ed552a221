"""Health."""

from __future__ import annotations

import anyio
from fastapi import APIRouter

from payatlas import __version__
from payatlas.api.deps import SettingsDep, SharedStoreDep
from payatlas.api.schemas import HealthOut
from payatlas.errors import PayAtlasError
from payatlas.model import champion_id
from payatlas.model.monitor import stored_alerts
from payatlas.settings import Settings
from payatlas.store.shared import SharedStore

router = APIRouter(tags=["system"])


def _alerts(shared: SharedStore, settings: Settings) -> list[str] | None:
    """The monitor's alerts from the stored scorings (None while a write holds the store)."""
    store = shared.try_lease()
    if store is None:
        return None
    try:
        return [a.message for a in stored_alerts(store, settings)]
    except PayAtlasError:  # an unreadable champion record: the health check still answers
        return None
    finally:
        shared.release()


@router.get("/healthz", response_model=HealthOut, summary="Liveness and what is served")
async def healthz(shared: SharedStoreDep, settings: SettingsDep) -> HealthOut:
    """``ok`` with the latest dataset version, the champion model (if any) and the monitor's
    alerts on new survey versions (``GET /v1/monitor`` has the figures)."""
    alerts = await anyio.to_thread.run_sync(_alerts, shared, settings)
    return HealthOut(
        status="ok",
        version=__version__,
        dataset_version=shared.latest_version(),
        champion=champion_id(settings),
        monitor_alerts=alerts or [],
        monitor_checked=alerts is not None,
    )
