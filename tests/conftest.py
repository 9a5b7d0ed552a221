"""Shared fixtures: real DuckDB files in temp dirs, the bundled dataset, settings per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.official.load import load_official
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A fresh PAYATLAS_HOME for one test (environment and cached settings)."""
    monkeypatch.setenv("PAYATLAS_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def store(home: Settings) -> Iterator[Store]:
    """An empty store file in the test's home."""
    s = Store.open(home)
    yield s
    s.close()


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the whole bundled dataset (built once per test session)."""
    path = tmp_path_factory.mktemp("bundled") / "payatlas.duckdb"
    with Store(path) as s:
        ingest(aijobs_path(), store=s)
        load_official(s)  # as payatlas init does
    return path


@pytest.fixture
def bundled_store(bundled_db: Path) -> Iterator[Store]:
    """The bundled store opened read-only (tests must not change it)."""
    s = Store(bundled_db, read_only=True)
    yield s
    s.close()


@pytest.fixture
def examples() -> Path:
    """The worked example files from docs/examples."""
    return EXAMPLES
