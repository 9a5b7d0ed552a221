"""The FastAPI app: API under /v1, the dashboard at /, on the shared store
(:class:`~payatlas.store.shared.SharedStore`: read-only, let go for writers of any process)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from payatlas import __version__
from payatlas.analytics import indicators
from payatlas.api import docs, errors
from payatlas.api.auth import KeyGate
from payatlas.api.headers import SecurityHeaders
from payatlas.api.limits import BodySizeLimit
from payatlas.api.routes import (
    analytics,
    career,
    data,
    estimates,
    geo,
    models,
    monitor,
    postings,
    system,
)
from payatlas.errors import PayAtlasError
from payatlas.settings import Settings, get_settings
from payatlas.store import Store
from payatlas.store.shared import SharedStore
from payatlas.web import install as install_dashboard

DESCRIPTION = (
    "Compensation estimates with measured ranges, market benchmarks and team cost for AI/ML "
    "roles, computed from survey records (aijobs.net salary index, CC0). Write endpoints take "
    "`Authorization: Bearer <PAYATLAS_API_KEY>`. No endpoint returns individual records or a "
    "cohort under the privacy threshold."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The shared store is opened at startup and closed at shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from payatlas.model.registry import preload_boosters

        preload_boosters()  # a server: LightGBM's per-call evaluation beats the compiled forest
        shared = SharedStore(settings)
        app.state.store = shared
        with shared.reading() as store:
            warm_up(store)
        try:
            yield
        finally:
            shared.close()

    app = FastAPI(
        title="PayAtlas",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by payatlas.api.docs without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_mb << 20)
    app.add_middleware(KeyGate, api_key=settings.api_key)
    app.add_middleware(SecurityHeaders)  # added last = runs first: on every answer, 401/413 too
    errors.install(app)
    for router in (
        system.router,
        estimates.router,
        analytics.router,
        career.router,
        models.router,
        monitor.router,
        data.router,
        geo.router,
        postings.router,
    ):
        app.include_router(router)
    docs.install(app)
    install_dashboard(app)
    return app


def warm_up(store: Store) -> None:
    """Load what the first requests would otherwise load concurrently (published indicators)."""
    with contextlib.suppress(PayAtlasError):
        indicators(store)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory payatlas.api.app:app_from_env`` (settings from env)."""
    return create_app(get_settings())
