"""GET /v1/benchmarks, /v1/trends and /v1/premiums take ``source`` and ``kind`` (strict) and
name the kind and sources behind the result (#10); the session server holds the survey and the
postings test slice."""

from __future__ import annotations

import httpx


def test_api_benchmarks_source_and_kind(client: httpx.Client) -> None:
    r = client.get("/v1/benchmarks", params={"kind": "posting", "by": "role_family"})
    assert r.status_code == 200, r.text
    assert r.json()["basis"]["unit"] == "job postings"
    assert r.json()["basis"]["sources"] == ["data_jobs"]
    r = client.get("/v1/benchmarks", params={"source": "aijobs"})
    assert r.status_code == 200 and r.json()["basis"]["sources"] == ["aijobs"]
    r = client.get("/v1/benchmarks", params={"kind": "filing"})
    assert r.status_code == 422
    r = client.get("/v1/trends", params={"kind": "posting"})
    assert r.status_code == 200 and r.json()["basis"]["unit"] == "job postings"
    r = client.get("/v1/premiums", params={"kind": "posting", "which": "ai_ml"})
    assert r.status_code == 200 and r.json()["basis"]["unit"] == "job postings"
