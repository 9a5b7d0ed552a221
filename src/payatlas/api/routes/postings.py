"""Job-posting analytics (#12): demand and skills (library results as-is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.analytics.demand import demand as demand_of
from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skills import skills as skills_of
from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas.common import POSTINGS_RESPONSES
from payatlas.api.schemas.postings import (
    DemandOut,
    DemandQuery,
    PostingSliceQuery,
    SkillsOut,
    SkillsQuery,
)

router = APIRouter(prefix="/v1", tags=["postings"])


def _slice(q: PostingSliceQuery) -> PostingSlice:
    return PostingSlice.parse(family=q.family, seniority=q.seniority, country=q.country,
                              state=q.state, remote=q.remote)  # fmt: skip


@router.get(
    "/demand",
    response_model=DemandOut,
    responses=POSTINGS_RESPONSES,
    summary="Job postings counted",
)
def demand(
    q: Annotated[DemandQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Job postings by month, family, place, employer ..., with growth intervals; groups under
    the privacy threshold are withheld or left out."""
    s = _slice(q)
    result = demand_of(store, slice=s, by=tuple(q.by), top=q.top, settings=settings)
    return JSONResponse(result.as_dict())


@router.get(
    "/skills",
    response_model=SkillsOut,
    responses=POSTINGS_RESPONSES,
    summary="Skills in job postings",
)
def skills(
    q: Annotated[SkillsQuery, Query()], store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Each skill's share of postings, its change, co-occurrence (``with_skill``) and its premium
    on advertised pay (fixed effects, bootstrap interval, BH-adjusted p)."""
    s = _slice(q)
    result = skills_of(store, slice=s, with_skill=q.with_skill, top=q.top,
                       min_support=q.min_support, settings=settings)  # fmt: skip
    return JSONResponse(result.as_dict())
