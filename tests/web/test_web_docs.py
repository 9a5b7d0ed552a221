"""The interactive API docs render offline (Swagger UI served by PayAtlas itself)."""

from __future__ import annotations

from typing import Any


def test_docs_render_every_operation_offline(page: Any) -> None:
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    summaries = page.locator(".opblock-summary-path").all_text_contents()
    paths = {s.replace("\u200b", "") for s in summaries}
    for path in ("/healthz", "/v1/estimate", "/v1/team-cost", "/v1/models/{model_id}/promote"):
        assert path in paths
    schema = page.request.get("/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert page.locator(".opblock").count() == operations
