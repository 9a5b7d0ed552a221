"""Analytics endpoints on the live server: the library's results, privacy and clear 4xx."""

from __future__ import annotations

import httpx
import pytest

from payatlas.analytics import Slice, benchmark
from payatlas.settings import Settings
from payatlas.store import Store


def test_benchmarks_match_the_library(client: httpx.Client, bundled_store: Store) -> None:
    r = client.get(
        "/v1/benchmarks",
        params={"role": "ML Engineer", "by": ["level"], "version": 1},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    direct = benchmark(
        bundled_store,
        slice=Slice(role="ML Engineer", version=1),
        by=["level"],
        settings=Settings(home="unused", privacy_threshold=5),
    ).as_dict()
    assert body["overall"] == direct["overall"]
    assert body["groups"] == direct["groups"]
    assert body["basis"]["unit"] == "survey records"


def test_benchmarks_never_publish_small_cohorts(client: httpx.Client) -> None:
    r = client.get("/v1/benchmarks", params={"role": "ML Engineer", "by": ["country"]})
    groups = r.json()["groups"]
    small = [g for g in groups if g["suppressed"]]
    assert small, "the bundled data has countries with under 5 ML engineers"
    for g in small:
        assert set(g) == {"country", "suppressed", "note"}
    assert all(g["n"] >= 5 for g in groups if not g["suppressed"])


@pytest.mark.parametrize(
    ("params", "field", "kind"),
    [
        ({"country": "Atlantis"}, "country", "unknown_country"),
        ({"role": "zzqx florp"}, "role", "unknown_role"),
        ({"by": ["shoe_size"]}, "by", "literal_error"),  # the schema's enum (#15)
        ({"version": 999}, "version", "unknown_version"),
    ],
)
def test_bad_filters_are_field_errors(
    client: httpx.Client, params: dict[str, object], field: str, kind: str
) -> None:
    r = client.get("/v1/benchmarks", params=params)  # type: ignore[arg-type]
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][:2] == ["query", field]
    assert detail["type"] == kind
    assert detail["msg"]


def test_pydantic_validation_is_field_level(client: httpx.Client) -> None:
    r = client.get("/v1/benchmarks", params={"limit": 0})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "limit"]


def test_trends_carry_intervals(client: httpx.Client) -> None:
    r = client.get("/v1/trends", params={"role": "Data Scientist", "country": "US"})
    assert r.status_code == 200
    years = [y for y in r.json()["years"] if y.get("p50") is not None]
    assert len(years) >= 2
    for y in years:
        assert y["p50_low"] <= y["p50"] <= y["p50_high"]
    assert "not job postings" in r.json()["submissions_label"]


def test_premiums_have_both_views(client: httpx.Client) -> None:
    r = client.get("/v1/premiums", params={"which": ["ai_ml", "remote"]})
    assert r.status_code == 200
    got = {p["key"]: p for p in r.json()["premiums"]}
    assert set(got) == {"ai_ml", "remote"}
    ai = got["ai_ml"]["cohort"]
    assert ai["low_pct"] <= ai["premium_pct"] <= ai["high_pct"]
    assert "model" in got["ai_ml"]


def test_indicators_with_citations_and_comparisons(client: httpx.Client) -> None:
    r = client.get("/v1/indicators")
    assert r.status_code == 200
    body = r.json()
    assert all(i["citation"] for i in body["indicators"]["indicators"])
    assert len(body["comparisons"]["comparisons"]) >= 2
    r = client.get("/v1/indicators", params={"compare": False, "search": "India"})
    assert r.json()["comparisons"] is None
    assert all("India" in str(i) for i in r.json()["indicators"]["indicators"])


def test_team_cost_across_countries(client: httpx.Client) -> None:
    team = [
        {"role": "ML Engineer", "level": "senior", "headcount": 2},
        {"role": "Data Engineer", "level": "mid", "headcount": 1},
    ]
    r = client.post(
        "/v1/team-cost", json={"team": team, "countries": ["US", "DE", "PL", "IN", "BR"]}
    )
    assert r.status_code == 200, r.text
    countries = {c["country"]: c for c in r.json()["countries"]}
    assert set(countries) == {"US", "DE", "PL", "IN", "BR"}
    for code in ("DE", "PL", "IN", "BR"):
        s = countries[code]["savings_vs_baseline_pct"]
        assert s["low"] <= s["value"] <= s["high"]
        t = countries[code]["total_usd"]
        assert t["p10"] <= t["p50"] <= t["p90"]
        assert all(line["basis"] for line in countries[code]["lines"])


def test_team_cost_bad_input(client: httpx.Client) -> None:
    r = client.post(
        "/v1/team-cost",
        json={"team": [{"role": "ML Engineer", "level": "senior"}], "countries": ["Narnia"]},
    )
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"][0] == "body"
    assert "Narnia" in detail["msg"]
    r = client.post("/v1/team-cost", json={"team": [], "countries": ["US"]})
    assert r.status_code == 422


def test_team_cost_in_us_metros_with_purchasing_power(client: httpx.Client) -> None:
    team = [{"role": "ML Engineer", "level": "senior", "headcount": 2}]
    r = client.post(
        "/v1/team-cost", json={"team": team, "countries": ["Austin, TX", "41860", "Germany"]}
    )
    assert r.status_code == 200, r.text
    by = {c["place"]: c for c in r.json()["countries"]}
    assert list(by) == ["US", "US-12420", "US-41860", "DE"]
    assert by["US-12420"]["metro"]["cbsa"] == "12420" and by["US-12420"]["country"] == "US"
    for key in ("US-12420", "US-41860"):
        ppp = by[key]["ppp"]
        total = by[key]["total_usd"]["p50"]
        assert ppp["rpp_adjusted_usd"]["p50"] == pytest.approx(total * 100 / ppp["rpp"], abs=2)
    de = by["DE"]["ppp"]
    assert de["rpp"] is None and de["ppp_factor"] > 0
    assert de["ppp_international_dollars"]["p50"] == pytest.approx(
        by["DE"]["total_local"]["p50"] / de["ppp_factor"], abs=2
    )
    amb = client.post("/v1/team-cost", json={"team": team, "countries": ["Portland"]})
    assert amb.status_code == 422 and "several metros" in amb.text
