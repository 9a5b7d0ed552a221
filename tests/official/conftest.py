"""Official-statistics fixtures: a home holding a copy of the session's bundled store (survey
records plus the official tables, as ``payatlas init`` leaves them)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from payatlas.settings import Settings, get_settings


@pytest.fixture(scope="session")
def official_home(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Path:
    home = tmp_path_factory.mktemp("official_home")
    shutil.copy(bundled_db, home / "payatlas.duckdb")
    return home


@pytest.fixture
def official_env(official_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("PAYATLAS_HOME", str(official_home))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()
