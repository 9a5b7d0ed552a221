"""Career in a real browser: pay by rung (measured and flagged extrapolated rungs) and moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_career_shows_rungs_and_moves(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/career")
    page.locator("#f-family").select_option("data_scientist")
    page.locator("#f-country").fill("United States")
    page.get_by_role("button", name="Show career").click()
    page.wait_for_url("**/career?*")
    page.wait_for_selector("#career-chart .main-svg")
    rows = page.locator("#rungs-table tbody tr")
    rungs = [rows.nth(i).get_attribute("data-rung") for i in range(rows.count())]
    assert rungs == [
        "junior", "mid", "senior", "staff_principal", "lead_manager", "director_head",
    ]  # fmt: skip
    senior = page.locator('#rungs-table tr[data-rung="senior"]')
    assert senior.get_attribute("data-method") == "measured"
    assert "$" in senior.inner_text() and "%" in senior.inner_text()  # a figure and its coverage
    methods = {r: page.locator(f'#rungs-table tr[data-rung="{r}"]').get_attribute("data-method")
               for r in rungs}  # fmt: skip
    assert "extrapolated" in methods.values()
    flagged = page.locator('#rungs-table tr[data-method="extrapolated"]').first.inner_text()
    assert "extrapolated (fewer than 30" in flagged and "pay ratio" in flagged
    # two box traces: measured (blue) and extrapolated (grey)
    assert page.locator("#career-chart g.trace.boxes").count() == 2
    move = page.locator('#moves-table tr[data-from="data_scientist"][data-to="ml_engineer"]')
    text = move.inner_text()
    assert "Data Scientist → ML Engineer" in text and "%" in text and "level × year, US" in text
    assert "survey records" in page.content()
    shot(page, "career")


def test_career_unknown_country_says_so(page: Any) -> None:
    response = page.goto("/career?family=ml_engineer&country=Narnia")
    assert response.status == 422
    assert "narnia" in page.get_by_role("alert").inner_text().lower()
