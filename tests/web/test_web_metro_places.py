"""Team planner with US metros and its purchasing-power view, and the Estimate page's metro field,
in a real browser; both also on a 390 px phone without overflow and under axe-core (#13)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from payatlas_live import LiveServer

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TEAM_URL = (
    "/team?role1=ML+Engineer&level1=senior&headcount1=2&countries=US%2C+Austin%2C+TX%2C+41860%2C+DE"
)
METRO_URL = "/?role=ML+Engineer&country=US&level=senior&metro=Austin%2C+TX"


def _money(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text))


def test_team_planner_takes_metros_and_shows_purchasing_power(
    page: Any, shot: Callable[[Any, str], Any]
) -> None:
    page.goto("/team")
    page.locator("#f-role1").fill("ML Engineer")
    page.locator("#f-level1").select_option("senior")
    page.locator("#f-headcount1").fill("2")
    page.locator("#f-role2").fill("")
    page.locator("#f-countries").fill("US, Austin, TX, 41860, Germany")
    page.get_by_role("button", name="Compare countries").click()
    page.wait_for_url("**/team?*")
    page.wait_for_selector("#team-chart .main-svg")
    assert page.locator("#team-chart g.barlayer path").count() == 4
    ticks = " ".join(page.locator("#team-chart .ytick text").all_text_contents())
    assert "Austin metro (US)" in ticks and "San Francisco metro (US)" in ticks
    table = page.locator("table").first.inner_text()
    assert "Austin-Round Rock-San Marcos, TX (US-12420)" in table
    ppp = page.locator("#ppp-h ~ .table-scroll table")
    rows = {r.split("\t")[0]: r.split("\t") for r in ppp.locator("tbody tr").all_inner_texts()}
    assert set(rows) == {"United States", "Austin-Round Rock-San Marcos, TX",
                         "San Francisco-Oakland-Fremont, CA", "Germany"}  # fmt: skip
    sf = rows["San Francisco-Oakland-Fremont, CA"]
    nominal, rpp, adjusted = _money(sf[1]), float(sf[3]), _money(sf[4])
    assert rpp > 100 and adjusted == pytest.approx(nominal * 100 / rpp, rel=0.01)
    assert rows["Germany"][3] == "—" and _money(rows["Germany"][2]) > _money(rows["Germany"][1])
    assert "Sources: World Bank" in page.locator("#ppp-h ~ p.note").last.inner_text()
    shot(page, "team-planner-metros")


def test_estimate_page_metro_field(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Role").fill("ML Engineer")
    page.get_by_label("Country of work").fill("US")
    page.get_by_label("Level").select_option("senior")
    page.get_by_label("US metro").fill("San Francisco, CA")
    page.get_by_role("button", name="Estimate").click()
    page.wait_for_url("**/?*metro=San+Francisco*")
    page.wait_for_selector("#range-chart .main-svg")
    assert "San Francisco-Oakland-Fremont, CA" in page.locator("#est-h").inner_text()
    note = page.locator("#metro-note").inner_text()
    assert "CBSA 41860" in note and "BLS OEWS" in note and "San Francisco vs US" in note
    metro_p50 = _money(page.locator(".figures .big").inner_text())
    page.goto("/?role=ML+Engineer&country=US&level=senior")
    assert page.locator("#metro-note").count() == 0
    assert metro_p50 > _money(page.locator(".figures .big").inner_text())
    bad = page.goto("/?role=ML+Engineer&country=DE&level=senior&metro=Austin%2C+TX")
    assert bad.status == 422
    assert "metro" in page.get_by_role("alert").inner_text().lower()


@pytest.mark.parametrize("path", [TEAM_URL, METRO_URL])
def test_metro_pages_fit_a_phone_and_pass_axe(browser: Any, server: LiveServer, path: str) -> None:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run scripts/setup.sh --dev (npm ci)")
    context = browser.new_context(viewport=PHONE, base_url=server.url, bypass_csp=True)
    try:
        pg = context.new_page()
        assert pg.goto(path).status == 200
        pg.wait_for_selector("[data-chart] .main-svg")
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        pg.add_script_tag(path=str(AXE))
        violations = pg.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id)"
        )
        assert violations == []
    finally:
        context.close()


def test_estimate_page_shows_the_postings_beside_the_range(page: Any) -> None:
    page.goto("/?role=Data+Scientist&country=US&level=senior")
    block = page.locator("#postings-evidence")
    text = block.inner_text()
    assert "job postings (advertised pay)" in text
    assert "not used by the model" in text and "Barousse" in text
    assert re.search(r"from\s+[\d,]+\s+job postings, United States", text)
    thin = page.goto("/?role=Data+Engineer&country=NZ&level=executive")
    assert thin.status == 200
    assert "no advertised range shown" in page.locator("#postings-evidence").inner_text()
