"""Interactive API docs at /docs with Swagger UI served from an installed package (no CDN).

The page has no inline script (the Content-Security-Policy allows scripts from the server's own
files only): Swagger UI is started by /docs/init.js with FastAPI's default parameters."""

from __future__ import annotations

import json
from html import escape

from fastapi import FastAPI
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/static/swagger"
INIT = "/docs/init.js"


def page_html(title: str) -> str:
    """The /docs page: Swagger UI's CSS and bundle, then the init script, all from this server."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link type="text/css" rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon-32x32.png">
<title>{escape(title)}</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{INIT}"></script>
</body>
</html>
"""


def init_js(openapi_url: str) -> str:
    """Start Swagger UI on the app's schema (FastAPI's default Swagger UI parameters)."""
    params = {"url": openapi_url, **swagger_ui_default_parameters}
    return (
        f"window.ui = SwaggerUIBundle(Object.assign({json.dumps(params)}, {{\n"
        "  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],\n"
        "}));\n"
    )


def install(app: FastAPI) -> None:
    """Serve Swagger UI's files, its init script and the /docs page for the app's schema."""
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger")
    html = page_html(f"{app.title} API")
    script = init_js(app.openapi_url or "/openapi.json")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(html)

    @app.get(INIT, include_in_schema=False)
    def docs_init() -> Response:
        return Response(script, media_type="text/javascript")
