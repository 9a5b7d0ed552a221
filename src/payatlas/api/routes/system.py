"""Health."""

from __future__ import annotations

from fastapi import APIRouter

from payatlas import __version__
from payatlas.api.deps import SettingsDep, SharedStoreDep
from payatlas.api.schemas import HealthOut
from payatlas.model import champion_id

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=HealthOut, summary="Liveness and what is served")
async def healthz(shared: SharedStoreDep, settings: SettingsDep) -> HealthOut:
    """``ok`` with the latest dataset version and the champion model (if any)."""
    return HealthOut(
        status="ok",
        version=__version__,
        dataset_version=shared.latest_version(),
        champion=champion_id(settings),
    )
