"""Places in a real browser: sources side by side, purchasing power and the metro map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_places_shows_sources_ppp_and_the_map(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/places")
    page.locator("#f-role").fill("Data Scientist")
    page.locator("#f-metro").fill("San Francisco, CA")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/places?*")
    rows = page.locator("#sources-table tbody tr")
    kinds = [rows.nth(i).get_attribute("data-kind") for i in range(rows.count())]
    assert kinds[0] == "survey" and "official" in kinds
    metro = page.locator('#sources-table tr[data-kind="official"][data-area="41860"]').inner_text()
    assert "OEWS May 2025" in metro and "$170,110" in metro  # as BLS published it
    assert "Why they differ" in page.content()
    # purchasing power: EUR 95K in Berlin restated in Austin
    sentence = page.locator("#ppp-sentence").inner_text()
    assert sentence.startswith("EUR 95,000 in Berlin is worth USD") and "Austin" in sentence
    # the map: one marker per published metro, recoloured by RPP-adjusted pay
    page.wait_for_selector("#metro-map .main-svg")
    markers = page.locator("#metro-map g.scatterlayer path.point")
    assert markers.count() > 200
    assert page.locator("#metro-map").get_attribute("data-colour") == "p50"
    page.get_by_label("RPP-adjusted median").check()
    page.wait_for_function(
        "document.querySelector('#metro-map').dataset.colour === 'p50_rpp_adjusted'"
    )
    assert (
        "U.S. Bureau of Economic Analysis"
        in page.locator("text=Credits").locator("..").inner_text()
    )
    shot(page, "places")


def test_places_ambiguous_metro_says_so(page: Any) -> None:
    response = page.goto("/places?role=Data+Scientist&metro=Portland")
    assert response.status == 422
    alert = page.get_by_role("alert").inner_text()
    assert "38900" in alert and "38860" in alert
