"""What the HTTP app holds for every request -- its settings and the shared store -- as
``Annotated`` FastAPI dependencies, used by the API routes and the dashboard pages alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from payatlas.settings import Settings
from payatlas.store import Store
from payatlas.store.shared import SharedStore


def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_shared_store(request: Request) -> SharedStore:
    """The app's shared store (for writes: ``shared.writing(...)``, ``shared.serialised(...)``)."""
    shared: SharedStore = request.app.state.store
    return shared


def get_store(request: Request) -> Iterator[Store]:
    """The read-only store, leased for the request (a write from any process waits for it)."""
    with get_shared_store(request).reading() as store:
        yield store


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[Store, Depends(get_store)]
SharedStoreDep = Annotated[SharedStore, Depends(get_shared_store)]
