"""Team planner and Market in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_team_planner_compares_countries(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/team")
    page.locator("#f-role1").fill("ML Engineer")
    page.locator("#f-level1").select_option("senior")
    page.locator("#f-headcount1").fill("2")
    page.locator("#f-role2").fill("Data Engineer")
    page.locator("#f-level2").select_option("mid")
    page.locator("#f-headcount2").fill("1")
    page.locator("#f-countries").fill("US, DE, PL, IN, BR")
    page.get_by_role("button", name="Compare countries").click()
    page.wait_for_url("**/team?*")
    page.wait_for_selector("#team-chart .main-svg")
    # one range bar per country, and the median markers with their savings labels
    assert page.locator("#team-chart g.barlayer path").count() == 5
    labels = page.locator("#team-chart g.scatterlayer text").all_text_contents()
    assert "baseline" in labels
    assert sum(label.startswith(("saves", "costs")) for label in labels) == 4
    table = page.locator("table").first.inner_text()
    for name in ("United States", "Germany", "Poland", "India", "Brazil"):
        assert name in table
    assert page.locator("text=Evidence per line").count() == 1
    shot(page, "team-planner")


def test_team_planner_unknown_country_says_so(page: Any) -> None:
    response = page.goto("/team?role1=ML+Engineer&level1=senior&headcount1=1&countries=Narnia")
    assert response.status == 422
    assert "narnia" in page.get_by_role("alert").inner_text().lower()


def test_market_shows_citations_and_reports_vs_data(
    page: Any, shot: Callable[[Any, str], Any]
) -> None:
    page.goto("/market")
    page.wait_for_selector("#premium-chart .main-svg")
    compared = page.locator("table").first
    rows = compared.locator("tbody tr")
    assert rows.count() >= 2
    text = compared.inner_text()
    assert "survey records" in text
    assert "%" in text
    # every published indicator row names where it was published
    listed = page.locator("#ind-h ~ .table-scroll table tbody tr")
    assert listed.count() > 10
    citations = page.locator("#ind-h ~ .table-scroll table tbody td:last-child").all_inner_texts()
    assert all(c.strip() for c in citations)
    assert page.locator("#premium-chart g.scatterlayer g.trace").count() >= 1
    shot(page, "market")
    page.locator("#f-search").fill("India")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/market?*search=India*")
    regions = page.locator("#ind-h ~ .table-scroll table tbody tr").all_inner_texts()
    assert regions
    assert all("India" in r for r in regions)
