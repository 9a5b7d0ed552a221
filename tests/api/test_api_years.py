"""Years on the live server: after the data extrapolated (flagged, wider), before it a 4xx."""

from __future__ import annotations

import httpx

PROFILE = {"role": "ML Engineer", "country": "DE", "level": "senior"}


def test_years_outside_the_data(client: httpx.Client) -> None:
    now = client.post("/v1/estimate", json=PROFILE).json()
    last = now["year"]
    assert now["extrapolated_from"] is None
    assert {"n_effective", "spread", "confidence_basis"} <= set(now)
    ahead = client.post("/v1/estimate", json={**PROFILE, "year": last + 1})
    assert ahead.status_code == 200, ahead.text
    a = ahead.json()
    assert a["extrapolated_from"] == last and "extrapolated_year" in a["flags"]
    assert a["p50"] == now["p50"] and a["p90"] / a["p10"] > now["p90"] / now["p10"]
    before = client.post("/v1/estimate", json={**PROFILE, "year": 2016})
    assert before.status_code == 422, before.text
    d = before.json()["detail"][0]
    assert d["loc"][-1] == "year" and "before the data" in d["msg"]
    assert client.post("/v1/estimate", json={**PROFILE, "year": 2012}).status_code == 422
    rows = [PROFILE, {**PROFILE, "year": 2016}]
    batch = client.post("/v1/estimate/batch", json={"profiles": rows})
    assert batch.status_code == 200, batch.text
    body = batch.json()
    assert body["rows"][1]["confidence"] == "unresolved"
    assert "before the data" in body["errors"]["1"]
