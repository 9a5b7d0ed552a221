"""Swagger UI's "Try it out" sends the published example body and gets an answer, not a 422."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/v1/estimate", "/v1/team-cost"])
def test_try_it_out_default_body_is_answered(page: Any, path: str) -> None:
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    op = page.locator(f'.opblock-post:has(.opblock-summary-path[data-path="{path}"])').first
    op.locator(".opblock-summary").click()
    op.locator("button.try-out__btn").click()
    body = op.locator("textarea.body-param__text").input_value()
    assert '"role": "ML Engineer"' in body  # the example, not Swagger's "string" placeholders
    op.locator("button.execute").click()
    status = op.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip() == "200", op.locator(".live-responses-table").inner_text()
