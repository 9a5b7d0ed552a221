"""Market page and GET /v1/premiums say when a group is missing in some years, and what the
remote premium is (#11)."""

from __future__ import annotations

import html

import httpx
from payatlas_live import LiveServer


def test_market_lists_mix_warnings_and_the_remote_note(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:
        page = client.get("/market")
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert 'id="premium-warnings"' in text
        assert "Software Engineer missing in 2022, 2023 (present in 2024)" in text
        assert 'data-premium-note="remote"' in text and "average over the slice" in text
        body = client.get("/v1/premiums", params={"which": ["ai_ml", "remote"]}).json()
        got = {p["key"]: p for p in body["premiums"]}
        assert any("Software Engineer" in w for w in got["ai_ml"]["warnings"])
        assert got["remote"]["warnings"] == [] and "reasons" in got["remote"]["note"]
