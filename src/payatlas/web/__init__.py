"""The dashboard: Jinja2 pages rendered by the API app, charts drawn with Plotly."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from payatlas.web.assets import STATIC, plotly_js
from payatlas.web.views import router


def install(app: FastAPI) -> None:
    """Mount /static and the plotly.js route, and register the dashboard pages."""

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_asset() -> FileResponse:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(router)


__all__ = ["install"]
