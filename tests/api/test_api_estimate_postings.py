"""Job postings beside an estimate (#12 item 5) through the API and the CLI, and the demand rows
of the reports-vs-data view (#12 item 7), on the live server's home (the bundled survey plus the
postings test slice and a champion)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from payatlas_live import LiveServer
from typer.testing import CliRunner

from payatlas.settings import Settings, get_settings

ASK = {"role": "Data Scientist", "country": "US", "level": "senior"}


def test_estimate_carries_the_postings_beside_the_survey_range(client: httpx.Client) -> None:
    r = client.post("/v1/estimate", json=ASK)
    assert r.status_code == 200, r.text
    body = r.json()
    jp = body["postings"]
    assert jp["label"] == "job postings (advertised pay)" and jp["in_model"] is False
    assert jp["scope"] == "country" and jp["area"] == "US" and jp["level"] == "senior"
    assert jp["n"] >= 5 and jp["p10"] <= jp["p50"] <= jp["p90"]
    assert "Barousse" in " ".join(jp["sources"])
    assert "survey submissions" in body["basis"]  # the survey range stays the survey's
    again = client.post("/v1/estimate", json=ASK).json()  # cached estimate: same evidence
    assert again["postings"] == jp
    metro = client.post("/v1/estimate", json={**ASK, "metro": "Austin, TX"}).json()["postings"]
    assert metro["area"] in ("12420", "US")  # the metro, or the country when the metro is thin
    if metro["area"] == "US":
        assert "country-level" in metro["note"]
    else:
        assert metro["scope"] == "metro" and metro["n"] < jp["n"]


def test_a_thin_cell_is_withheld(client: httpx.Client) -> None:
    body = client.post(
        "/v1/estimate", json={"role": "Data Engineer", "country": "NZ", "level": "executive"}
    ).json()
    jp = body["postings"]
    assert jp["p50"] is None and jp["p10"] is None
    assert jp["n"] == 0 or (jp["n"] is None and "fewer than" in jp["n_note"])


@pytest.fixture
def server_env(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("PAYATLAS_HOME", str(server.home))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_cli_json_and_table_show_the_postings(server_env: Settings) -> None:
    from payatlas.cli import app

    args = ["estimate", "--role", "Data Scientist", "--country", "US", "--level", "senior"]
    out = CliRunner().invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    jp = json.loads(out.output)["postings"]
    assert jp["label"] == "job postings (advertised pay)" and jp["n"] >= 5
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    text = " ".join(table.output.split())
    assert "job postings (advertised pay)" in text and f"{jp['n']:,} postings" in text
    assert "not in the model" in text


def test_api_indicators_compare_has_demand_rows(client: httpx.Client) -> None:
    r = client.get("/v1/indicators", params={"compare": "true"})
    assert r.status_code == 200, r.text
    comps = r.json()["comparisons"]["comparisons"]
    demand = [c for c in comps if c["payatlas"]["source"] == "job postings"]
    assert {c["reported"]["indicator"] for c in demand} >= {"share_of_openings"}
    assert all("one collector" in c["caveat"] for c in demand)
    assert any(c["payatlas"]["source"] == "survey records" for c in comps)
