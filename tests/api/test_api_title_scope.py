"""An out-of-scope title is a clear 4xx; an in-scope title without a family is estimated from
its nearest family, flagged and less confident (#10)."""

from __future__ import annotations

import httpx

RANK = {"low": 0, "medium": 1, "high": 2}


def test_an_out_of_scope_title_is_a_typed_422(client: httpx.Client) -> None:
    r = client.post("/v1/estimate", json={"role": "Social Worker", "country": "US"})
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["type"] == "out_of_scope_role" and d["loc"] == ["body", "role"]
    assert "Social Worker" in d["msg"] and "PayAtlas covers AI/ML, data and software" in d["msg"]
    r = client.get("/v1/benchmarks", params={"role": "Mechanical Engineer"})
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "out_of_scope_role"


def test_a_title_without_a_family_gets_the_nearest_one_flagged(client: httpx.Client) -> None:
    base = {"country": "US", "level": "senior"}
    near = client.post("/v1/estimate", json={**base, "role": "Product Designer"})
    assert near.status_code == 200, near.text
    got = near.json()
    assert got["role_family"] == "product_manager" and "nearest_family" in got["flags"]
    own = client.post("/v1/estimate", json={**base, "role": "Product Manager"}).json()
    assert "nearest_family" not in own["flags"]
    assert RANK[got["confidence"]] < RANK[own["confidence"]]
