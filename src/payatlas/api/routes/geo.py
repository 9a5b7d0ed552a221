"""Sources side by side, metros and purchasing power (library results as-is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import READ_RESPONSES
from payatlas.api.schemas.geo import OFFICIAL_RESPONSES, MetroOut, SourcesOut

router = APIRouter(prefix="/v1", tags=["places"])
RESPONSES = {**READ_RESPONSES, **OFFICIAL_RESPONSES}


@router.get("/sources", response_model=SourcesOut, responses=RESPONSES,
            summary="Survey, postings, OEWS and H-1B figures side by side")  # fmt: skip
def sources_route(
    store: StoreDep,
    settings: SettingsDep,
    role: Annotated[str, Query(min_length=1, max_length=200, description="Title or family.")],
    metro: Annotated[
        str, Query(min_length=1, max_length=200, description="'City, ST', title or CBSA.")
    ],
) -> JSONResponse:
    """P10/P25/P50/P75/P90 of each source for the role in the US metro, each labelled with its
    population, year and credit, and why they differ."""
    from payatlas.analytics.sources import sources

    return JSONResponse(sources(store, role=role, metro=metro, settings=settings).as_dict())


@router.get("/metros", response_model=MetroOut, responses=READ_RESPONSES,
            summary="Which US metro a place names")  # fmt: skip
def metro_route(
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="CBSA code, title or 'City, ST'.")
    ],
) -> JSONResponse:
    """The CBSA a code, metro title, nickname or "City, ST" names (422 with the choices when it
    names several)."""
    from payatlas.normalize.metros import resolve_metro

    return JSONResponse(resolve_metro(q).as_dict())
