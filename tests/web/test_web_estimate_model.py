"""Estimate and Model pages in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_estimate_form_shows_range_and_reasons(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/")
    page.get_by_label("Role").fill("Data Scientist")
    page.get_by_label("Country of work").fill("United Kingdom")
    page.get_by_label("Level").select_option("senior")
    page.get_by_label("Remote").select_option("100")
    page.get_by_label("Company size").select_option("L")
    page.get_by_role("button", name="Estimate").click()
    page.wait_for_url("**/?*country=United+Kingdom*")
    page.wait_for_selector("#range-chart .main-svg")
    page.wait_for_selector("#reasons-chart .main-svg")
    assert "Data Scientist, senior, GB" in page.locator("#est-h").inner_text()
    # confidence with what it follows: distinct records and the range's spread (#11)
    figures = page.locator("dl.figures").inner_text()
    assert "distinct comparable survey submissions" in figures and "P90/P10" in figures
    # the range bar: P10-P90 and P25-P75 bars plus the percentile marks with their labels
    assert page.locator("#range-chart g.barlayer path").count() == 2
    labels = " ".join(page.locator("#range-chart .annotation-text").all_text_contents())
    assert "P10" in labels and "P50" in labels and "P90" in labels
    assert "£" in labels and "$" in labels
    # one reasons bar per differing field: level, country, remote, company size (role = ref)
    assert page.locator("#reasons-chart g.barlayer path").count() == 4
    evidence = page.locator("#ev-h + dl").inner_text()
    assert "Comparable survey records" in evidence
    assert "model v1-" in evidence
    shot(page, "estimate")


def test_estimate_is_keyboard_usable_and_checks_an_offer(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Role").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("ML Engineer")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Germany")
    page.get_by_label("Annual amount").fill("90000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Annual amount").press("Enter")
    page.wait_for_url("**/?*amount=90000*")
    status = page.get_by_role("status").inner_text()
    assert "€90,000" in status
    assert "percentile" in status


def test_estimate_unknown_role_is_explained(page: Any) -> None:
    response = page.goto("/?role=zzqx+florp&country=US")
    assert response.status == 422
    assert "zzqx florp" in page.get_by_role("alert").inner_text()


def test_model_page_shows_backtest_and_coverage(page: Any, shot: Callable[[Any, str], Any]) -> None:
    page.goto("/model")
    page.wait_for_selector("#coverage-chart .main-svg")
    assert page.locator("#coverage-chart g.barlayer path").count() >= 5
    assert "Champion v1-" in page.locator("#bt-h").inner_text()
    versions = page.locator("#mv-h ~ .table-scroll table tbody tr")
    assert versions.count() >= 1
    assert "champion" in versions.all_inner_texts()[-1] or any(
        "champion" in t for t in versions.all_inner_texts()
    )
    shot(page, "model")


def test_estimate_page_never_shows_a_small_count(page: Any, server: Any) -> None:
    from payatlas.model.registry import champion
    from payatlas.settings import Settings

    cells = champion(Settings(home=server.home)).evidence.counts["role_family x level x country"]
    key = min(k for k, n in cells.items() if 1 <= n < 5)
    role, level, country = key.split("|")
    page.goto(f"/?role={role}&level={level}&country={country}")
    evidence = page.locator("#ev-h + dl").inner_text()
    assert "fewer than 5" in evidence
    assert f"{cells[key]} with the same role family" not in evidence
    assert "few comparable records" in evidence
