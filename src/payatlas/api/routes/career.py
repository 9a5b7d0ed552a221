"""The career view: pay by rung and common moves between families (the library result as-is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.analytics.career import career_view
from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas.career import CareerOut, CareerQuery
from payatlas.api.schemas.common import READ_RESPONSES

router = APIRouter(prefix="/v1", tags=["analytics"])


@router.get(
    "/career",
    response_model=CareerOut,
    responses=READ_RESPONSES,
    summary="Pay by career rung and common moves between families",
)
def career(
    q: Annotated[CareerQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Junior to director/head: P10-P90, record counts, measured coverage or an
    ``extrapolated`` flag; moves into and out of the family with the pay difference."""
    result = career_view(
        store,
        family=q.family,
        country=q.country,
        settings=settings,
        version=q.version,
        moves=q.moves,
    )
    return JSONResponse(result.as_dict())
