"""What every dashboard page shares: the router, the layout context, form parsing, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from payatlas.errors import PayAtlasError
from payatlas.normalize.countries import REGIONS
from payatlas.normalize.titles import LEVELS, ROLE_FAMILIES
from payatlas.redact import redact_paths
from payatlas.web.assets import ATTRIBUTION, templates

router = APIRouter(include_in_schema=False)

NAV: list[tuple[str, str]] = [
    ("/", "Estimate"),
    ("/explore", "Explore"),
    ("/team", "Team planner"),
    ("/market", "Market"),
    ("/career", "Career"),
    ("/places", "Places"),
    ("/demand", "Demand & skills"),
    ("/model", "Model"),
    ("/monitor", "Monitor"),
]


def form_args(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The non-empty query parameters among ``names`` (an empty form field means 'any')."""
    out = {}
    for name in names:
        value = request.query_params.get(name, "").strip()
        if value:
            out[name] = value
    return out


def render(
    request: Request,
    template: str,
    *,
    title: str,
    active: str,
    store: Any,
    settings: Any,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page inside the base layout (nav, attribution, dataset version)."""
    base = {
        "title": title,
        "active": active,
        "nav": NAV,
        "attribution": ATTRIBUTION,
        "privacy_threshold": settings.privacy_threshold,
        "dataset_version": store.latest_version(),
        "families": ROLE_FAMILIES,
        "family_labels": {f.slug: f.label for f in ROLE_FAMILIES},
        "level_choices": [(lv, lv.capitalize()) for lv in LEVELS],
        "regions": REGIONS,
    }
    base.update(context)
    if base.get("error"):
        base["error"] = redact_paths(str(base["error"]), home=settings.home)
    return templates.TemplateResponse(request, template, base, status_code=status_code)


def attempt(call: Callable[[], Any]) -> tuple[Any, str | None]:
    """Run a library call; a PayAtlas or input-validation error becomes a message for the page."""
    try:
        return call(), None
    except PayAtlasError as exc:
        return None, str(exc)
    except ValidationError as exc:
        return None, "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )


def json_link(path: str, params: dict[str, Any]) -> str:
    """The JSON endpoint behind a page, with the same parameters."""
    items = [(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])]
    return f"{path}?{urlencode(items)}" if items else path
