"""The registry as the API (``GET /v1/models``) and the dashboard's Model page show it."""

from __future__ import annotations

from typing import Any

from payatlas.model.registry import ModelRecord, champion_id, list_models, promotion_log
from payatlas.settings import Settings


def public(record: ModelRecord) -> dict[str, Any]:
    """A registry record without the server's file paths."""
    out = dict(record.as_dict())
    out.pop("path", None)
    return out


def registry_view(settings: Settings) -> dict[str, Any]:
    """The champion, every model (newest first, without paths) and the promotion log."""
    return {
        "champion": champion_id(settings),
        "models": [public(r) for r in list_models(settings)],
        "promotions": promotion_log(settings),
    }
