"""Dependencies with ``Annotated`` aliases, so routes stay short: ``store: StoreDep``."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from payatlas.api.auth import UNAUTHORIZED, key_matches
from payatlas.settings import Settings
from payatlas.store import Store

bearer = HTTPBearer(
    auto_error=False,
    description="The PAYATLAS_API_KEY setting, sent as `Authorization: Bearer <key>`.",
)


def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The one store opened at startup (use ``store.cursor()`` for per-thread work)."""
    store: Store = request.app.state.store
    return store


def get_write_lock(request: Request) -> threading.Lock:
    """Serialises writes (ingest, train, promote): DuckDB has one writer connection."""
    lock: threading.Lock = request.app.state.write_lock
    return lock


def require_key(
    settings: Annotated[Settings, Depends(get_settings_dep)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Refuse write requests without the right bearer key (constant-time compare)."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    if not key_matches(header, settings.api_key):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[Store, Depends(get_store)]
WriteLockDep = Annotated[threading.Lock, Depends(get_write_lock)]
WriteKey = Depends(require_key)
