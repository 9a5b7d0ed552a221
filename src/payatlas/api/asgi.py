"""Pure-ASGI helpers for the middleware that answers before a request's body is read."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope, Send


def header(scope: Scope, name: bytes) -> str | None:
    """The first request header called ``name`` (lower-case bytes), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_json(
    send: Send,
    status: int,
    payload: dict[str, Any],
    *,
    headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    """A whole JSON response (content type and length, then ``headers``), sent directly."""
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
