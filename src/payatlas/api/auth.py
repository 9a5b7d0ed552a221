"""The API key: checked before a write request's body is read (pure ASGI), and again by the
route's dependency (which also documents the bearer scheme in OpenAPI)."""

from __future__ import annotations

import hmac
import re

from starlette.types import ASGIApp, Receive, Scope, Send

from payatlas.api.asgi import header, send_json

#: POST paths that change the store or the model registry
WRITE_PATHS = re.compile(
    r"^/v1/(ingest|models/train|models/[^/]+/promote|data/versions/[^/]+/drop)/?$"
)
UNAUTHORIZED = "missing or wrong API key: send 'Authorization: Bearer <PAYATLAS_API_KEY>'"


def key_matches(header: str | None, api_key: str) -> bool:
    """True when an ``Authorization`` header carries the key (constant-time compare)."""
    if not header:
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), api_key.encode())


class KeyGate:
    """Answer 401 to a write request without the key before any of its body is read."""

    def __init__(self, app: ASGIApp, *, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and WRITE_PATHS.match(scope["path"])
            and not key_matches(header(scope, b"authorization"), self.api_key)
        ):
            await send_json(
                send,
                401,
                {"detail": UNAUTHORIZED, "error": "Unauthorized"},
                headers=((b"www-authenticate", b"Bearer"),),
            )
            return
        await self.app(scope, receive, send)
