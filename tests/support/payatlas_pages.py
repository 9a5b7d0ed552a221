"""The dashboard's pages, read from the app's own routes, and valid input for their forms.

Every GET route that answers HTML and takes no path parameter is a page, so a page added later is
covered by the phone-layout and accessibility tests without touching them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

#: a valid value per form field name; a field not named here keeps the value the page gave it
VALID_INPUT: dict[str, str] = {
    "role": "ML Engineer",
    "country": "US",
    "countries": "US, DE, IN",
    "baseline": "US",
    "amount": "150000",
    "currency": "USD",
    "search": "premium",
}


def dashboard_pages() -> list[str]:
    """Paths of every dashboard page (GET, HTML, no path parameters), sorted."""
    from payatlas.api.app import create_app
    from payatlas.settings import Settings

    app = create_app(Settings(home=Path("unused-home"), api_key="x" * 32, dev_mode=True))
    paths = {
        path
        for path, route in _walk(app.routes, "")
        if "GET" in route.methods and "{" not in path and _is_html(route)
    }
    return sorted(paths)


def _walk(routes: list[Any], prefix: str) -> list[tuple[str, APIRoute]]:
    """(path, route) for every APIRoute, into included routers (FastAPI may keep them nested)."""
    out: list[tuple[str, APIRoute]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            out += _walk(list(inner.routes), prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            path = route.path if route.path.startswith(prefix) else prefix + route.path
            out.append((path, route))
    return out


def _is_html(route: APIRoute) -> bool:
    response_class: Any = route.response_class
    if isinstance(response_class, type) and issubclass(response_class, HTMLResponse):
        return route.path != "/docs"  # Swagger UI is a third-party page, not the dashboard's
    return False


def fill_form(form: Any) -> None:
    """Put a valid value into each field of a Playwright form locator that VALID_INPUT names."""
    for name, value in VALID_INPUT.items():
        field = form.locator(f'input[name="{name}"]:not([type="hidden"])')
        if field.count() == 1:
            field.fill(value)
