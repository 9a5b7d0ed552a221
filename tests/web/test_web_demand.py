"""Demand & skills in a real browser (the live server's store holds the postings slice)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any


def test_demand_page_draws_every_chart_with_csv(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/demand")
    for chart in ("#months-chart", "#hubs-chart", "#skills-chart", "#premium-chart", "#with-chart"):
        page.wait_for_selector(f"{chart} .main-svg")
    # stacked months: one bar trace per family shown, 12 months each
    assert page.locator("#months-chart g.barlayer g.trace").count() >= 3
    assert page.locator("#months-chart g.barlayer g.trace").first.locator("path").count() == 12
    assert page.locator("#premium-chart g.scatterlayer g.errorbar").count() >= 10
    assert page.locator("#employers tbody tr").count() >= 3
    assert "job postings" in page.locator("footer").inner_text()
    assert "not what people earn" in page.locator("#prem-h ~ p").first.inner_text()
    # each chart's data downloads as CSV with the chart's rows
    links = page.locator("a[download]")
    assert links.count() == 6
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        r = page.request.get(href)
        assert r.status == 200 and r.headers["content-type"].startswith("text/csv"), href
        rows = list(csv.DictReader(io.StringIO(r.text())))
        assert rows, href
    premiums = page.request.get("/demand/csv/premiums").text()
    assert premiums.splitlines()[0].startswith("skill,label,premium,premium_low,premium_high")
    shot(page, "demand")


def test_demand_page_filters_and_cooccurrence(page: Any) -> None:
    page.goto("/demand")
    page.locator("#f-family").select_option("data_engineer")
    page.locator("#f-country").fill("US")
    page.locator("#f-with").fill("spark")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/demand?*family=data_engineer*")
    page.wait_for_selector("#with-chart .main-svg")
    assert "spark" in page.locator("#with-h").inner_text()
    labels = page.locator("#with-chart g.ytick text").all_text_contents()
    assert "Python" in labels or "SQL" in labels
    # the months chart holds data engineers only
    assert page.locator("#months-chart g.barlayer g.trace").count() == 1


def test_demand_page_bad_input_says_so(page: Any) -> None:
    response = page.goto("/demand?country=Narnia")
    assert response.status == 422
    assert "narnia" in page.get_by_role("alert").inner_text().lower()
