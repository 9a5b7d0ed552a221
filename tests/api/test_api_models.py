"""Training through the API, and the promotion gate (the champion is restored afterwards)."""

from __future__ import annotations

import httpx
from payatlas_live import FAST_PARAMS, LiveServer


def test_train_then_promote_gate_and_force(client: httpx.Client, server: LiveServer) -> None:
    r = client.post(
        "/v1/models/train",
        json={"seed": 7, "params": {**FAST_PARAMS, "num_boost_round": 20}},
        headers=server.auth,
        timeout=600,
    )
    assert r.status_code == 200, r.text
    candidate = r.json()
    assert candidate["model_id"] != server.champion
    assert candidate["champion"] is False
    assert candidate["params"]["num_boost_round"] == 20
    assert client.get("/healthz").json()["champion"] == server.champion
    listed = {m["model_id"] for m in client.get("/v1/models").json()["models"]}
    assert candidate["model_id"] in listed
    try:
        r = client.post(  # the gate trains and scores both models: minutes on a busy box
            f"/v1/models/{candidate['model_id']}/promote", headers=server.auth, timeout=900
        )
        if r.status_code == 409:  # worse on the backtest: refused, with the reason
            assert "worse" in r.json()["detail"]
            assert r.json()["error"] == "PromotionRefused"
            r = client.post(
                f"/v1/models/{candidate['model_id']}/promote",
                json={"force": True},
                headers=server.auth,
                timeout=900,
            )
        assert r.status_code == 200, r.text
        assert client.get("/healthz").json()["champion"] == candidate["model_id"]
        est = client.post("/v1/estimate", json={"role": "Data Scientist", "country": "US"})
        assert est.json()["model_version"] == candidate["model_id"]
    finally:
        back = client.post(
            f"/v1/models/{server.champion}/promote",
            json={"force": True},
            headers=server.auth,
            timeout=900,
        )
        assert back.status_code == 200
    assert client.get("/healthz").json()["champion"] == server.champion


def test_train_rejects_unknown_params(client: httpx.Client, server: LiveServer) -> None:
    r = client.post("/v1/models/train", json={"params": {"max_depth": 3}}, headers=server.auth)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "max_depth"
