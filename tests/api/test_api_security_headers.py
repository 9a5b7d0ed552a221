"""Security headers on every answer of the live server: pages, API, static files, docs, errors
(#15 item 4); pages carry no inline script, so the CSP can allow scripts from 'self' only."""

from __future__ import annotations

import re

import httpx
import pytest
from payatlas_live import LiveServer

PAGES = ["/", "/explore", "/team", "/market", "/model", "/docs"]
OTHER = ["/healthz", "/openapi.json", "/v1/models", "/static/app.css", "/static/charts.js",
         "/static/vendor/plotly.min.js", "/static/swagger/swagger-ui-bundle.js", "/docs/init.js",
         "/no-such-page", "/?role=ML+Engineer&country=Atlantis"]  # fmt: skip


def _directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("path", PAGES + OTHER)
def test_every_answer_has_the_security_headers(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code < 500
    h = r.headers
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    csp = _directives(h["content-security-policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no inline scripts, no eval
    assert csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]


def test_refusals_before_the_app_have_the_headers_too(
    client: httpx.Client, server: LiveServer
) -> None:
    unauthorised = client.post("/v1/ingest", files={"file": ("a.csv", b"a\n1\n")})
    assert unauthorised.status_code == 401
    too_big = client.post(
        "/v1/ingest", content=b"x" * (2 << 20), headers={**server.auth, "content-type": "text/csv"}
    )
    assert too_big.status_code == 413
    for r in (unauthorised, too_big):
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_executable_script(client: httpx.Client, path: str) -> None:
    html = client.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        data_block = 'type="application/json"' in tag
        assert data_block or " src=" in tag, f"inline script on {path}: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE), "inline event handler"
    assert "javascript:" not in html.lower()


def test_docs_init_script_points_swagger_at_the_schema(client: httpx.Client) -> None:
    page = client.get("/docs").text
    assert '<script src="/docs/init.js"></script>' in page
    script = client.get("/docs/init.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert '"url": "/openapi.json"' in script.text
