"""Explore in a real browser: the form drives the benchmark table, box chart and trend band."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_explore_by_country_draws_charts(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/explore")
    page.locator("#f-role").fill("Data Scientist")
    page.get_by_label("Distribution by").select_option("country")
    page.get_by_role("button", name="Show pay").press("Enter")
    page.wait_for_url("**/explore?*by=country*")
    page.wait_for_selector("#dist-chart .main-svg")
    page.wait_for_selector("#trend-chart .main-svg")
    # one plotly box per published country cohort, and the trend's interval band (a filled area)
    assert page.locator("#dist-chart g.trace.boxes path.box").count() >= 1
    assert page.locator("#trend-chart g.scatterlayer g.trace").count() == 3
    assert page.locator("#trend-chart path.js-fill").count() >= 1
    page.wait_for_selector("#subs-chart .main-svg")
    assert page.locator("#subs-chart g.barlayer g.trace").count() >= 1
    assert "not job postings" in page.locator("#subs-h").inner_text()
    header = page.locator("table").first.locator("thead th").first.inner_text()
    assert header == "Country"
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() >= 3
    assert "US" in rows.first.inner_text()
    assert "survey records" in page.locator("footer").inner_text()
    shot(page, "explore")


def test_explore_bad_country_is_a_message_not_a_crash(page: Any) -> None:
    response = page.goto("/explore?country=Atlantis")
    assert response.status == 422
    assert "unknown country" in page.get_by_role("alert").inner_text().lower()


def test_nav_is_keyboard_reachable(page: Any) -> None:
    page.goto("/explore")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "PayAtlas"
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Explore"
