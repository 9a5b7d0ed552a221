"""The API key: checked before a write request's body is read (pure ASGI), and again by the
route's dependency (which also documents the bearer scheme in OpenAPI)."""

from __future__ import annotations

import hmac
import json
import re

from starlette.types import ASGIApp, Receive, Scope, Send

#: POST paths that change the store or the model registry
WRITE_PATHS = re.compile(r"^/v1/(ingest|models/train|models/[^/]+/promote)/?$")
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
            and not key_matches(_header(scope, b"authorization"), self.api_key)
        ):
            body = json.dumps({"detail": UNAUTHORIZED, "error": "Unauthorized"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"www-authenticate", b"Bearer"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None
