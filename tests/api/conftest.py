"""API test fixtures: one real uvicorn server on 127.0.0.1 for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from payatlas_live import LiveServer, live_server, stop_all


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Iterator[LiveServer]:
    """The running server (shared with the web tests)."""
    yield live_server(tmp_path_factory.getbasetemp() / "live", bundled_db)
    stop_all()


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the server's base URL."""
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
