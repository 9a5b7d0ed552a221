"""`/v1/demand` and `/v1/skills` on the real server (its store holds the postings test slice)."""

from __future__ import annotations

import httpx


def test_demand_by_month_for_data_engineers(client: httpx.Client) -> None:
    r = client.get("/v1/demand", params={"family": "data_engineer", "by": "month"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "job_posting" and body["label"] == "job postings"
    assert body["sources"][0]["credit"] == "data_jobs dataset by Luke Barousse"
    months = [row["month"] for row in body["rows"]]
    assert months == sorted(months) and len(months) == 12
    assert all(row["postings"] is None or row["postings"] >= 5 for row in body["rows"])


def test_top_employers_and_hubs(client: httpx.Client) -> None:
    r = client.get("/v1/demand", params={"by": "employer", "top": 5})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert len(rows) == 5 and all(row["postings"] >= 5 for row in rows)
    assert rows == sorted(rows, key=lambda row: -row["postings"])
    hubs = client.get("/v1/demand", params={"by": "city", "country": "US", "top": 3}).json()
    assert hubs["rows"][0]["city"].endswith(", NY")


def test_skills_with_premiums_for_us_data_scientists(client: httpx.Client) -> None:
    r = client.get("/v1/skills", params={"family": "data_scientist", "country": "US"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "not what people earn" in body["pay_label"]
    priced = [s for s in body["skills"] if s["premium"] is not None]
    assert len(priced) >= 20
    assert all(s["premium_low"] <= s["premium"] <= s["premium_high"] for s in priced)


def test_skills_with_pytorch(client: httpx.Client) -> None:
    body = client.get("/v1/skills", params={"with_skill": "PyTorch", "top": 3}).json()
    assert body["with_skill"] == "pytorch" and body["skills"][0]["lift"] is not None


def test_bad_input_is_a_422_naming_the_field(client: httpx.Client) -> None:
    r = client.get("/v1/demand", params={"by": "galaxy"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][:2] == ["query", "by"]
    r = client.get("/v1/skills", params={"with_skill": "cobolt"})
    assert r.status_code == 422 and "unknown skill" in r.json()["detail"][0]["msg"]
    r = client.get("/v1/skills", params={"country": "Atlantis"})
    assert r.status_code == 422
