"""Dependencies with ``Annotated`` aliases, so routes stay short: ``store: StoreDep``. The app's
state (settings, store) comes from :mod:`payatlas.app_state`, shared with the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from payatlas.api.auth import UNAUTHORIZED, key_matches
from payatlas.app_state import SettingsDep, SharedStoreDep, StoreDep, get_settings_dep
from payatlas.settings import Settings

__all__ = ["SettingsDep", "SharedStoreDep", "StoreDep", "WriteKey", "bearer", "require_key"]

bearer = HTTPBearer(
    auto_error=False,
    description="The PAYATLAS_API_KEY setting, sent as `Authorization: Bearer <key>`.",
)


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


WriteKey = Depends(require_key)
