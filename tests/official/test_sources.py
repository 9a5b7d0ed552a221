"""Sources side by side: the OEWS figures exactly as published, each row labelled."""

from __future__ import annotations

import csv
import gzip
import json

import pytest
from typer.testing import CliRunner

from payatlas.bundled import data_dir
from payatlas.normalize.places import AmbiguousPlace
from payatlas.settings import Settings

runner = CliRunner()


def _published(name: str, **match: str) -> dict[str, str]:
    with gzip.open(data_dir() / name, "rt", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items())]
    assert len(rows) == 1, match
    return rows[0]


def test_sources_json_shows_the_oews_figures_as_published(official_env: Settings) -> None:
    from payatlas.cli import app

    out = runner.invoke(
        app, ["sources", "--role", "Data Scientist", "--metro", "San Francisco, CA", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["metro"]["cbsa"] == "41860" and data["soc"]["soc"] == "15-2051"
    metro = next(r for r in data["sources"] if r["kind"] == "official" and r["area"] == "41860")
    row = _published("oews_msa_may2025_pctiles.csv.gz", cbsa="41860", soc="15-2051")
    for ours, theirs in (("p10", "a_pct10"), ("p25", "a_pct25"), ("p50", "a_median"),
                         ("p75", "a_pct75"), ("p90", "a_pct90"), ("count", "tot_emp")):  # fmt: skip
        assert metro[ours] == float(row[theirs]), ours
    assert row["area_title"] in metro["population"]
    assert "OEWS May 2025" in metro["population"] and "SOC 15-2051" in metro["population"]
    assert f"{int(row['tot_emp']):,} employed" in metro["population"]
    us = next(r for r in data["sources"] if r["kind"] == "official" and r["area"] == "US")
    nat = _published("oews_national_2022_2025.csv.gz", year="2025", soc="15-2051")
    assert (us["p10"], us["p50"], us["p90"]) == tuple(
        float(nat[k]) for k in ("a_pct10", "a_median", "a_pct90")
    )
    survey = data["sources"][0]
    assert survey["kind"] == "survey" and "survey submissions" in survey["population"]
    assert survey["count"] >= 5 and survey["p10"] <= survey["p50"] <= survey["p90"]
    assert any("San Francisco vs US" in d for d in data["differences"])


def test_a_proxy_occupation_and_filings_are_labelled(official_env: Settings) -> None:
    from payatlas.analytics.sources import sources
    from payatlas.store import Store

    with Store(official_env.store_path, read_only=True) as store:
        result = sources(store, role="ML Engineer", metro="Austin, TX", settings=official_env)
    assert result.soc and result.soc["match"] == "proxy"
    metro = next(r for r in result.rows if r.kind == "official" and r.area == "12420")
    assert "proxy" in metro.note
    filing = result.row("filing")
    assert filing is not None and "legal floor" in filing.population
    assert filing.p10 is None and filing.p90 is None and filing.count and filing.count > 0
    assert any("proxy" in d for d in result.differences)


def test_sources_refuses_an_ambiguous_metro(official_env: Settings) -> None:
    from payatlas.analytics.sources import sources
    from payatlas.store import Store

    with Store(official_env.store_path, read_only=True) as store, pytest.raises(AmbiguousPlace):
        sources(store, role="Data Scientist", metro="Portland", settings=official_env)
    from payatlas.cli import app

    out = runner.invoke(app, ["sources", "--role", "Data Scientist", "--metro", "Portland"])
    assert out.exit_code != 0
