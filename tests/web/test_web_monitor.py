"""The Monitor page (#14) in Chromium, on a server whose store holds two survey versions the
champion was not trained on (one with pay x 1.3): alerts, the charts over versions and arrival
weeks, drift; on a 390 px phone without overflow and without axe-core violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from payatlas_live import LiveServer
from payatlas_monitor import monitor_server, stop_monitor_servers

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DRAWN = """() => [...document.querySelectorAll('[data-chart]')]
  .every((el) => el.querySelector('.main-svg'))"""


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield monitor_server(tmp_path_factory.getbasetemp())
    stop_monitor_servers()


def _open(browser: Any, server: LiveServer, **options: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto("/monitor")
    assert response is not None and response.status == 200
    page.wait_for_function(DRAWN, timeout=15_000)
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def desk(browser: Any, monitored: LiveServer) -> Iterator[Any]:
    yield from _open(browser, monitored, viewport={"width": 1366, "height": 900})


@pytest.fixture
def phone(browser: Any, monitored: LiveServer) -> Iterator[Any]:
    yield from _open(browser, monitored, viewport={"width": 390, "height": 844}, is_mobile=True,
                     bypass_csp=True)  # fmt: skip


def test_the_page_shows_alerts_charts_and_drift(desk: Any, shot: Any) -> None:
    alert = desk.get_by_role("alert")
    assert "all new records" in alert.inner_text()
    assert "80% coverage" in alert.inner_text()
    for chart in ("#versions-chart", "#weeks-chart"):
        assert desk.locator(f"{chart} .main-svg").count() >= 1
    # one coverage line per version over the weeks, one point per version over versions
    assert desk.evaluate("document.getElementById('weeks-chart').data.length") == 4
    versions = desk.locator("table", has_text="Scorings, oldest version first")
    assert "v2" in versions.inner_text() and "v3" in versions.inner_text()
    assert desk.get_by_role("heading", name="Drift of v3 against the training data").count() == 1
    assert desk.get_by_role("link", name="this view as JSON").get_attribute("href") == "/v1/monitor"
    assert desk.locator('nav a[aria-current="page"]').inner_text() == "Monitor"
    # the fairness report: ranked groups with intervals, chart and table
    assert desk.locator("#fairness-chart .main-svg").count() >= 1
    first = desk.locator("table", has_text="with 90% bootstrap intervals").first
    assert first.locator("tbody tr").first.locator("td").first.inner_text() == "1"
    assert "[" in first.locator("tbody tr").first.inner_text()  # an interval is shown
    shot(desk, "monitor")


def test_the_page_fits_a_phone_and_passes_axe(phone: Any) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run scripts/setup.sh --dev (npm ci)")
    phone.add_script_tag(path=str(AXE))
    violations = phone.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id)"
    )
    assert violations == []
