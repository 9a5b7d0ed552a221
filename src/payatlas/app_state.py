"""What the HTTP app holds for every request -- its settings and the shared store -- as
``Annotated`` FastAPI dependencies, used by the API routes and the dashboard pages alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request

from payatlas.settings import Settings
from payatlas.store import Store
from payatlas.store.shared import SharedStore


async def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with (async: no thread hop for a dict lookup)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_shared_store(request: Request) -> SharedStore:
    """The app's shared store (for writes: ``shared.writing(...)``, ``shared.serialised(...)``)."""
    shared: SharedStore = request.app.state.store
    return shared


#: threads that wait for a write to finish before a request can read (kept apart from the
#: request thread pool: requests waiting for a lease must not starve the ones holding one)
_WAITING = anyio.CapacityLimiter(1000)


async def get_store(request: Request) -> AsyncIterator[Store]:
    """The read-only store, leased for the request (a write from any process waits for the
    leases to end). Taken in the event loop when free; while a write runs, waited for on a
    thread outside the request pool."""
    shared: SharedStore = request.app.state.store
    store = shared.try_lease()
    if store is None:
        store = await anyio.to_thread.run_sync(shared.lease, limiter=_WAITING)
    try:
        yield store
    finally:
        shared.release()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[Store, Depends(get_store)]
SharedStoreDep = Annotated[SharedStore, Depends(get_shared_store)]
