"""The model registry: list (with the champion), train a candidate, promote (gated)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, SharedStoreDep, StoreDep, WriteKey
from payatlas.api.schemas import (
    READ_RESPONSES,
    WRITE_RESPONSES,
    ErrorOut,
    PromoteIn,
    TrainIn,
)
from payatlas.model import list_models, promote, train_candidate
from payatlas.model.listing import ModelView, RegistryView, public, registry_view

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.get("", response_model=RegistryView, responses=READ_RESPONSES, summary="Models")
def models(settings: SettingsDep, store: StoreDep) -> JSONResponse:
    """Every trained model (newest first) with its backtest metrics, the champion, whether
    each is ``stale`` (trained on rows of a dataset version since dropped) and which one is
    served in shadow (with its shadow figures)."""
    return JSONResponse(registry_view(settings, store).as_dict())


@router.post(
    "/train",
    response_model=ModelView,
    dependencies=[WriteKey],
    responses=WRITE_RESPONSES,
    summary="Train a candidate on the current dataset version",
)
def train(
    shared: SharedStoreDep,
    settings: SettingsDep,
    body: Annotated[TrainIn | None, Body()] = None,
) -> JSONResponse:
    """Backtest the configuration, fit it on all records and record it as a candidate (not
    promoted). Takes minutes with the default parameters. Same seed + same data = same id."""
    options = body or TrainIn()
    params = options.params.model_dump(exclude_none=True) if options.params else None
    with shared.serialised("train (API)") as store:
        record = train_candidate(store, settings, seed=options.seed, params=params or None)
    return JSONResponse(public(record).as_dict())


@router.post(
    "/{model_id}/promote",
    response_model=ModelView,
    dependencies=[WriteKey],
    responses={**WRITE_RESPONSES, 404: {"model": ErrorOut, "description": "No such model."}},
    summary="Promote a model to champion (gated by the backtest)",
)
def promote_model(
    model_id: Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")],
    shared: SharedStoreDep,
    settings: SettingsDep,
    body: Annotated[PromoteIn | None, Body()] = None,
) -> JSONResponse:
    """Champion only if at least as good as the current one on the candidate's backtest split
    (409 otherwise); a champion backtested on another data version or cutoff is re-scored on
    that split first. ``force`` overrides and is recorded; ``promotion`` names the backtest used."""
    if model_id not in {r.model_id for r in list_models(settings)}:
        raise HTTPException(status_code=404, detail=f"no model {model_id!r}")
    with shared.serialised(f"promote {model_id} (API)") as store:
        record = promote(model_id, settings, force=bool(body and body.force), store=store)
    return JSONResponse(public(record).as_dict())
