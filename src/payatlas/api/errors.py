"""PayAtlas errors -> HTTP answers: bad input is a 4xx with a clear message, never a 500.

Every message passes through :func:`payatlas.redact.redact_paths` first, so no answer carries a
server file-system path (the upload's temp folder, PAYATLAS_HOME, the install)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from payatlas.errors import (
    EmptyStore,
    InputTooLarge,
    InvalidInput,
    ModelError,
    NoChampion,
    NoPostings,
    PayAtlasError,
    PromotionRefused,
    StoreError,
)
from payatlas.redact import redact_paths

log = logging.getLogger("payatlas.api")

# most specific first
STATUS: list[tuple[type[PayAtlasError], int]] = [
    (InputTooLarge, 413),
    (InvalidInput, 422),
    (NoPostings, 409),
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


def public_message(request: Request, text: str) -> str:
    """``text`` without server paths (PAYATLAS_HOME relative, others by file name)."""
    settings = getattr(request.app.state, "settings", None)
    return redact_paths(text, home=settings.home if settings else None)


async def payatlas_error(request: Request, exc: Exception) -> JSONResponse:
    """Render a PayAtlas error. Input errors use FastAPI's field-level shape (422)."""
    assert isinstance(exc, PayAtlasError)
    code = status_for(exc)
    kind = type(exc).__name__
    if isinstance(exc, InvalidInput) and code == 422:
        where = "query" if request.method == "GET" else "body"
        loc: list[str | int] = [where, exc.field] if exc.field else [where]
        if exc.row is not None:
            loc.append(exc.row)
        msg = public_message(request, exc.reason)
        if exc.file:
            msg = f"{public_message(request, exc.file)}: {msg}"
        item = {"loc": loc, "msg": msg, "type": _snake(kind)}
        return JSONResponse({"detail": [item]}, status_code=code)
    return JSONResponse(
        {"detail": public_message(request, str(exc)), "error": kind}, status_code=code
    )


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug: logged with its traceback on the server, a plain 500 for the client."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "internal error (logged on the server)", "error": "InternalError"},
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(PayAtlasError, payatlas_error)
    app.add_exception_handler(Exception, unexpected_error)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
