"""Estimates, offers and the model registry on the live server (a small champion)."""

from __future__ import annotations

import math

import httpx
from payatlas_live import LiveServer

PROFILE = {"role": "ML Engineer", "country": "DE", "level": "senior", "remote": 100}


def test_estimate_carries_range_evidence_reasons_versions(
    client: httpx.Client, server: LiveServer
) -> None:
    r = client.post("/v1/estimate", json=PROFILE)
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["p10"] <= e["p25"] <= e["p50"] <= e["p75"] <= e["p90"]
    local = e["local"]
    assert local["currency"] == "EUR" == e["currency"]
    assert local["p10"] <= local["p50"] <= local["p90"]
    assert e["n_comparable"] >= 0
    assert e["cohort"]["n"] >= e["n_comparable"]
    assert e["confidence"] in ("low", "medium", "high")
    assert e["model_version"] == server.champion
    assert e["data_version"] >= 1
    # the reasons multiply up from the reference median to this estimate's median
    total = sum(math.log1p(x["premium_pct"] / 100) for x in e["reasons"])
    assert math.isclose(e["reference"]["p50"] * math.exp(total), e["p50"], rel_tol=0.01)
    fields = {x["field"] for x in e["reasons"]}
    assert {"role", "level", "country"} <= fields


def test_estimate_without_reasons_is_the_same_range(client: httpx.Client) -> None:
    full = client.post("/v1/estimate", json=PROFILE).json()
    lean = client.post("/v1/estimate", params={"reasons": False}, json=PROFILE).json()
    assert lean["reasons"] == []
    assert [lean[p] for p in ("p10", "p50", "p90")] == [full[p] for p in ("p10", "p50", "p90")]


def test_estimate_input_errors_are_clear_4xx(client: httpx.Client) -> None:
    r = client.post("/v1/estimate", json={"role": "ML Engineer", "country": "Atlantis"})
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["type"] == "unknown_country"
    assert "Atlantis" in d["msg"]
    r = client.post("/v1/estimate", json={"role": "ML Engineer"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "country"]
    r = client.post("/v1/estimate", json={**PROFILE, "remote": 150})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "remote"]
    r = client.post("/v1/estimate", json={**PROFILE, "shoe_size": 44})
    assert r.status_code == 422


def test_batch_one_row_per_profile_in_order(client: httpx.Client) -> None:
    profiles = [
        PROFILE,
        {"role": "Data Analyst", "country": "US", "level": "entry"},
        {"role": "ML Engineer", "country": "Atlantis"},
        {"role": "Research Scientist", "country": "GB", "level": "mid"},
    ]
    r = client.post("/v1/estimate/batch", json={"profiles": profiles})
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body["rows"]
    assert [x["role"] for x in rows] == [p["role"] for p in profiles]
    assert rows[2]["p50_usd"] is None
    assert rows[2]["confidence"] == "unresolved"
    assert "2" in body["errors"]
    single = client.post("/v1/estimate", json=PROFILE).json()
    assert rows[0]["p50_usd"] == single["p50"]
    assert rows[1]["p50_usd"] < rows[0]["p50_usd"] * 2


def test_offer_percentiles(client: httpx.Client) -> None:
    est = client.post("/v1/estimate", json=PROFILE).json()
    low = client.post("/v1/offer", json={**PROFILE, "amount": est["p10"] * 0.8})
    high = client.post("/v1/offer", json={**PROFILE, "amount": est["p90"] * 1.2})
    assert low.status_code == high.status_code == 200
    assert low.json()["percentile"] < 10 < 90 < high.json()["percentile"]
    eur = client.post("/v1/offer", json={**PROFILE, "amount": 100000, "currency": "EUR"}).json()
    assert eur["currency"] == "EUR"
    assert eur["amount_usd"] > 100000 * 0.8
    r = client.post("/v1/offer", json={**PROFILE, "amount": -5})
    assert r.status_code == 422


def test_models_lists_the_champion(client: httpx.Client, server: LiveServer) -> None:
    body = client.get("/v1/models").json()
    assert body["champion"] == server.champion
    champ = [m for m in body["models"] if m["champion"]]
    assert [m["model_id"] for m in champ] == [server.champion]
    assert "path" not in champ[0]
    assert 0 < champ[0]["metrics"]["coverage"]["overall"] < 1
    assert body["promotions"][-1]["model_id"] == server.champion


def test_train_and_promote_need_the_key(client: httpx.Client, server: LiveServer) -> None:
    assert client.post("/v1/models/train").status_code == 401
    r = client.post(f"/v1/models/{server.champion}/promote")
    assert r.status_code == 401
    bad = {"Authorization": "Bearer " + server.api_key + "x"}
    assert client.post(f"/v1/models/{server.champion}/promote", headers=bad).status_code == 401


def test_promote_unknown_and_current(client: httpx.Client, server: LiveServer) -> None:
    r = client.post("/v1/models/v9-nosuchmodel/promote", headers=server.auth)
    assert r.status_code == 404
    r = client.post(f"/v1/models/{server.champion}/promote", headers=server.auth)
    assert r.status_code == 200
    assert r.json()["champion"] is True


def _bundled_cells(server: LiveServer) -> tuple[list[str], list[str], dict[str, int]]:
    """Keys (role family|level|country) of the champion's cells with 1-4 records and with >= 5."""
    from payatlas.model.registry import champion
    from payatlas.settings import Settings

    cells = champion(Settings(home=server.home)).evidence.counts["role_family x level x country"]
    small = sorted(k for k, n in cells.items() if 1 <= n < 5)
    big = sorted(k for k, n in cells.items() if n >= 5)
    return small, big, cells


def test_small_bundled_cells_never_show_their_count(
    client: httpx.Client, server: LiveServer
) -> None:
    small, big, cells = _bundled_cells(server)
    assert len(small) >= 3 and len(big) >= 2
    keys = [*small[:3], *big[:2]]
    profiles = [dict(zip(("role", "level", "country"), k.split("|"), strict=True)) for k in keys]
    shown: list[int | None] = []
    for key, profile in zip(keys, profiles, strict=True):
        e = client.post("/v1/estimate", json=profile).json()
        if key in small:
            assert e["n_comparable"] is None, (key, e["n_comparable"])
            assert (
                e["n_comparable_note"]
                == "fewer than 5 (under the privacy threshold, not published)"
            )
            assert "few_comparable_records" in e["flags"] and e["confidence"] == "low"
        else:  # rounded to a multiple of the threshold (payatlas.disclosure)
            n = e["n_comparable"]
            assert n % 5 == 0 and abs(n - cells[key]) < 5 and e["n_comparable_note"] is None
        shown.append(e["n_comparable"])
    rows = client.post("/v1/estimate/batch", json={"profiles": profiles}).json()["rows"]
    assert [r["n_comparable"] for r in rows] == shown  # the batch publishes the same counts
