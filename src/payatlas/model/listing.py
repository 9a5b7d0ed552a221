"""The registry as the API (``GET /v1/models``), ``payatlas models --json`` and the dashboard's
Model page show it: one type per answer, without the server's file paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field

from payatlas.model.registry import ModelRecord, champion_id, list_models, promotion_log, shadow_id
from payatlas.model.shadow import ShadowStats, shadow_stats
from payatlas.model.stale import is_stale
from payatlas.output import Output
from payatlas.settings import Settings
from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class ModelView(Output):
    """A trained model as the registry lists it (no file paths); a promote's answer adds
    ``promotion``: the decision and the backtest it used."""

    model_id: str
    data_version: int
    created_at: str
    seed: int
    code_version: str
    params: dict[str, Any]
    metrics: dict[str, Any]
    rows: int
    champion: bool
    backtest: Annotated[
        dict[str, Any],
        Field(
            description="The split the metrics come from: data_version, cutoff, train/test rows."
        ),
    ]
    rescored: Annotated[
        dict[str, dict[str, Any]],
        Field(
            description="The training procedure re-scored by the promotion gate on other "
            'splits, keyed "v<data_version>@<cutoff>".'
        ),
    ] = field(default_factory=dict)
    promotion: Annotated[
        dict[str, Any] | None,
        Field(description="Set by a promotion: the decision made and the backtest it used."),
    ] = None
    stale: Annotated[
        bool,
        Field(
            description="Trained on rows of a dataset version since dropped (`payatlas data drop`)."
        ),
    ] = False
    shadow: Annotated[
        bool, Field(description="Served in shadow beside the champion (`payatlas shadow ID`).")
    ] = False
    shadow_stats: Annotated[
        ShadowStats | None,
        Field(description="For the model in shadow: how its answers compared with the champion's."),
    ] = None


@dataclass(frozen=True, slots=True)
class RegistryView(Output):
    """Every model, newest first, the champion's id and the promotion log."""

    champion: str | None
    models: tuple[ModelView, ...]
    promotions: list[dict[str, Any]]


def public(
    record: ModelRecord,
    *,
    stale: bool = False,
    shadow: bool = False,
    stats: ShadowStats | None = None,
) -> ModelView:
    """A registry record as published: without the server's file paths."""
    return ModelView(
        model_id=record.model_id,
        data_version=record.data_version,
        created_at=record.created_at,
        seed=record.seed,
        code_version=record.code_version,
        params=record.params,
        metrics=record.metrics,
        rows=record.rows,
        champion=record.champion,
        backtest=record.backtest,
        rescored=record.rescored,
        promotion=record.promotion,
        stale=stale,
        shadow=shadow,
        shadow_stats=stats,
    )


def registry_view(settings: Settings, store: Store | None = None) -> RegistryView:
    """The champion, every model (newest first, without paths) and the promotion log; with a
    store, each model says whether it is ``stale`` (trained on rows since dropped); the model
    in shadow, if any, carries its shadow figures."""
    shadowed = shadow_id(settings)
    stats = shadow_stats(settings, shadowed) if shadowed else None
    models = tuple(
        public(
            r,
            stale=store is not None and is_stale(r, store),
            shadow=r.model_id == shadowed,
            stats=stats if r.model_id == shadowed else None,
        )
        for r in list_models(settings)
    )
    return RegistryView(
        champion=champion_id(settings), models=models, promotions=promotion_log(settings)
    )


__all__ = ["ModelView", "RegistryView", "public", "registry_view"]
