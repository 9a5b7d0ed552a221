"""Every dashboard page on a 390 px phone and under axe-core, before and after each form is sent.

The page list comes from the app's routes (payatlas_pages), so pages added later are covered.
axe-core is the npm package pinned in package.json (scripts/setup.sh --dev installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from payatlas_live import LiveServer
from payatlas_pages import dashboard_pages, fill_form

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = dashboard_pages()
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')]
  .every((el) => typeof Plotly === 'undefined' || el.querySelector('.main-svg'))"""


def test_the_page_list_comes_from_the_routes() -> None:
    assert {"/", "/explore", "/team", "/market", "/model"} <= set(PAGES)
    assert "/docs" not in PAGES and "/openapi.json" not in PAGES


def views(page: Any, path: str) -> Iterator[str]:
    """Open ``path``, then send each of its GET forms with valid input; yield after each load."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response}"
    settle(page)
    yield path
    forms = page.locator("main form").count()
    for i in range(forms):
        page.goto(path)
        settle(page)
        form = page.locator("main form").nth(i)
        fill_form(form)
        with page.expect_navigation() as nav:
            form.locator('button[type="submit"], input[type="submit"]').first.click()
        status = nav.value.status if nav.value is not None else None
        assert status == 200, f"form {i + 1} of {path} answered {status} at {page.url}"
        settle(page)
        yield f"{path} form {i + 1} -> {page.url.split('/', 3)[-1]}"


def settle(page: Any) -> None:
    """Wait until scripts ran and every chart is drawn (charts change the layout)."""
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN, timeout=10_000)


@pytest.fixture
def phone(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A 390 x 844 phone page; script errors fail the test."""
    context = browser.new_context(viewport=PHONE, base_url=server.url, is_mobile=True)
    yield from _page(context)


@pytest.fixture
def axe_page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A phone page whose context bypasses the CSP, so the axe-core script may be added."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run scripts/setup.sh --dev (npm ci)")
    context = browser.new_context(viewport=PHONE, base_url=server.url, bypass_csp=True)
    yield from _page(context)


def _page(context: Any) -> Iterator[Any]:
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_phone(phone: Any, path: str) -> None:
    too_wide = []
    for view in views(phone, path):
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = phone.evaluate(WIDEST, PHONE["width"])
            too_wide.append(f"{view}: {width} px wide; past the edge: {culprits}")
    assert not too_wide, "\n".join(too_wide)


#: elements reaching past the viewport that are not inside a box that scrolls or clips them
WIDEST = """(width) => [...document.querySelectorAll('body *')].filter((el) => {
  if (el.getBoundingClientRect().right <= width + 0.5) return false;
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return false;
  }
  return true;
}).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '')
  +
  ' (' + Math.round(el.getBoundingClientRect().right) + ' px)')"""


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(axe_page: Any, path: str) -> None:
    found = []
    for view in views(axe_page, path):
        axe_page.add_script_tag(path=str(AXE))
        violations = axe_page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map((v) => ({id: v.id, impact: v.impact, help: v.help,"
            " targets: v.nodes.map((n) => n.target.join(' '))}))"
        )
        found += [
            f"{view}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['targets'][:5])}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    assert not found, "axe-core violations:\n" + "\n".join(found)
