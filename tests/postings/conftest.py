"""Postings fixtures: a fixed slice of the bundled postings (every 6th row, 5,446 real postings)
loaded once per session into a store file; tests open it read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from payatlas_postings import load_slice

from payatlas.store import Store


@pytest.fixture(scope="session")
def postings_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the postings slice (no survey records)."""
    path = tmp_path_factory.mktemp("postings") / "payatlas.duckdb"
    load_slice(path)
    return path


@pytest.fixture
def postings_store(postings_db: Path) -> Iterator[Store]:
    """The postings slice store, read-only."""
    s = Store(postings_db, read_only=True)
    yield s
    s.close()
