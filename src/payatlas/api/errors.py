"""PayAtlas errors -> HTTP answers: bad input is a 4xx with a clear message, never a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from payatlas.errors import (
    EmptyStore,
    InvalidInput,
    ModelError,
    NoChampion,
    PayAtlasError,
    PromotionRefused,
    StoreError,
)

# most specific first
STATUS: list[tuple[type[PayAtlasError], int]] = [
    (InvalidInput, 422),
    (NoChampion, 503),
    (EmptyStore, 503),
    (PromotionRefused, 409),
    (ModelError, 409),
    (StoreError, 409),
    (PayAtlasError, 400),
]


def status_for(exc: PayAtlasError) -> int:
    """The HTTP status for a PayAtlas error."""
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


async def payatlas_error(request: Request, exc: Exception) -> JSONResponse:
    """Render a PayAtlas error. Input errors use FastAPI's field-level shape (422)."""
    assert isinstance(exc, PayAtlasError)
    code = status_for(exc)
    kind = type(exc).__name__
    if isinstance(exc, InvalidInput):
        where = "query" if request.method == "GET" else "body"
        loc: list[str | int] = [where, exc.field] if exc.field else [where]
        if exc.row is not None:
            loc.append(exc.row)
        item = {"loc": loc, "msg": exc.reason, "type": _snake(kind)}
        return JSONResponse({"detail": [item]}, status_code=code)
    return JSONResponse({"detail": str(exc), "error": kind}, status_code=code)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(PayAtlasError, payatlas_error)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
