"""The registry as the API (``GET /v1/models``) and the dashboard's Model page show it."""

from __future__ import annotations

from typing import Any

from payatlas.model.registry import ModelRecord, champion_id, list_models, promotion_log
from payatlas.model.stale import is_stale
from payatlas.settings import Settings
from payatlas.store import Store


def public(record: ModelRecord) -> dict[str, Any]:
    """A registry record without the server's file paths."""
    out = dict(record.as_dict())
    out.pop("path", None)
    return out


def registry_view(settings: Settings, store: Store | None = None) -> dict[str, Any]:
    """The champion, every model (newest first, without paths) and the promotion log; with a
    store, each model says whether it is ``stale`` (trained on rows since dropped)."""
    models = []
    for r in list_models(settings):
        out = public(r)
        if store is not None:
            out["stale"] = is_stale(r, store)
        models.append(out)
    return {
        "champion": champion_id(settings),
        "models": models,
        "promotions": promotion_log(settings),
    }
