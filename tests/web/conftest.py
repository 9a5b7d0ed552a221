"""Browser test fixtures: the session's live server and Debian's chromium via Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from payatlas_live import LiveServer, live_server, stop_all

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Iterator[LiveServer]:
    """The running server (shared with the API tests)."""
    yield live_server(tmp_path_factory.getbasetemp() / "live", bundled_db)
    stop_all()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system chromium (never a downloaded browser)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/setup.sh --dev")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A fresh laptop-sized page; console errors fail the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=server.url)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # a 422 page is an answer the tests ask for; any other failed load or script error is a bug
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "status of 422" not in msg.text
            else None
        ),
    )
    # everything a page needs comes from the server itself (no CDN: the machine may be offline)
    outside: list[str] = []
    pg.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if not req.url.startswith((server.url, "data:", "blob:"))
            else None
        ),
    )
    yield pg
    context.close()
    assert not errors, f"browser errors: {errors}"
    assert not outside, f"requests outside the server: {outside}"


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under artifacts/screenshots/ (gitignored test artifacts)."""

    def save(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        return path

    return save
