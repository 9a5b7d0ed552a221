"""The promotion gate through the API (#11): a real server refuses to promote a deliberately
worse candidate and one trained on a dataset version with shuffled pay (409, typed), and the
champion stays. Small fixed stores (tests/support/payatlas_gate.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from payatlas_gate import gate_home, gate_registry
from payatlas_live import start


@pytest.mark.parametrize("case", ["worse", "shuffled"])
def test_the_api_refuses_worse_and_shuffled_candidates(
    case: str, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    reg = gate_registry(tmp_path_factory.getbasetemp() / "gate")
    store = reg.stores.v1 if case == "worse" else reg.stores.shuffled
    candidate = reg.worse if case == "worse" else reg.shuffled
    server = start(gate_home(tmp_path / "home", reg.models, store))
    try:
        with httpx.Client(base_url=server.url, timeout=900) as client:
            assert client.get("/healthz").json()["champion"] == reg.champion
            r = client.post(f"/v1/models/{candidate}/promote", headers=server.auth)
            assert r.status_code == 409, r.text
            body = r.json()
            assert body["error"] == "PromotionRefused"
            assert f"worse than champion {reg.champion}" in body["detail"]
            if case == "worse":
                assert "beyond noise" in body["detail"]
                assert "paired-bootstrap interval" in body["detail"]
            else:
                assert "global-median predictor" in body["detail"]
            assert client.get("/healthz").json()["champion"] == reg.champion
            listed = client.get("/v1/models").json()
            assert listed["champion"] == reg.champion
            assert all(p["model_id"] != candidate for p in listed["promotions"])
    finally:
        server.stop()
