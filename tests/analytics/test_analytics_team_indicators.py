"""Team cost across countries (library and CLI), published indicators and reports vs data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.analytics import (
    compare_indicators,
    indicators,
    load_indicators,
    load_on_costs,
    load_team,
    team_cost,
)
from payatlas.bundled import indicators_path
from payatlas.cli import app
from payatlas.errors import InvalidInput, UnknownCountry, UnknownRole
from payatlas.settings import Settings
from payatlas.store import Store

TEAM = [
    {"role": "ML Engineer", "level": "senior", "headcount": 2},
    {"role": "Data Engineer", "level": "mid", "headcount": 1},
]
COUNTRIES = ["US", "DE", "PL", "IN", "BR"]


@pytest.fixture
def team_toml(tmp_path: Path) -> Path:
    p = tmp_path / "team.toml"
    p.write_text(
        '[[line]]\nrole = "ML Engineer"\nlevel = "senior"\nheadcount = 2\n\n'
        '[[line]]\nrole = "Data Engineer"\nlevel = "mid"\nheadcount = 1\n'
    )
    return p


def test_team_cost_across_countries(bundled_store: Store, home: Settings) -> None:
    result = team_cost(bundled_store, team=TEAM, countries=COUNTRIES, settings=home)
    assert [c.country for c in result.countries] == COUNTRIES
    us = result.countries[0]
    assert us.savings_pct is None and us.total_usd is not None
    for c in result.countries:
        assert c.total_usd is not None and c.total_local is not None
        t = c.total_usd
        assert 0 < t.p10 <= t.p50 <= t.p90
        assert len(c.lines) == 2
        assert sum(ln.total.p50 for ln in c.lines if ln.total) == pytest.approx(t.p50)
        for ln in c.lines:
            assert ln.confidence and ln.basis
            n = ln.n_comparable
            assert n is None or n == 0 or n >= home.privacy_threshold
            if n is None and ln.basis.startswith("champion model"):  # withheld: said so
                assert ln.note and f"fewer than {home.privacy_threshold}" in ln.note
        if c.country != "US":
            s = c.savings_pct
            assert s is not None and s.value is not None and s.low is not None
            assert s.high is not None and s.low <= s.value <= s.high
            assert s.value == pytest.approx((1 - t.p50 / us.total_usd.p50) * 100)
    assert {c.currency for c in result.countries} == {"USD", "EUR", "PLN", "INR", "BRL"}
    by = {c.country: c for c in result.countries}
    assert by["IN"].total_usd.p50 < by["DE"].total_usd.p50 < us.total_usd.p50  # type: ignore[union-attr]
    assert result.lines_frame().shape[0] == 10


def test_on_costs_and_contract_mode(bundled_store: Store, home: Settings, tmp_path: Path) -> None:
    toml = tmp_path / "oncosts.toml"
    toml.write_text('[DE]\nrate = 0.2\nsource = "my payroll"\n')
    costs = load_on_costs(toml)
    plain = team_cost(bundled_store, team=TEAM, countries=["DE"], settings=home)
    loaded = team_cost(bundled_store, team=TEAM, countries=["DE"], settings=home, on_costs=costs)
    de_plain, de_loaded = plain.countries[1], loaded.countries[1]
    assert de_loaded.total_usd.p50 == pytest.approx(de_plain.total_usd.p50 * 1.2)  # type: ignore[union-attr]
    assert de_loaded.as_dict()["on_cost_source"] == "my payroll"
    contract = team_cost(
        bundled_store, team=TEAM, countries=COUNTRIES, settings=home, mode="contract"
    )
    assert "published" in contract.method
    for c in contract.countries:
        for ln in c.lines:
            assert ln.basis.startswith("published rates")
            assert "9cv9" in ln.basis  # the citation travels with the figure
    with pytest.raises(InvalidInput):
        team_cost(bundled_store, team=TEAM, countries=["DE"], settings=home, mode="freelance")  # type: ignore[arg-type]


def test_team_files_and_errors(team_toml: Path, tmp_path: Path) -> None:
    assert [(t.role, t.level, t.headcount) for t in load_team(team_toml)] == [
        ("ml_engineer", "senior", 2),
        ("data_engineer", "mid", 1),
    ]
    p = tmp_path / "team.csv"
    p.write_text("role,level,headcount\nML Engineer,senior,2\nData Engineer,mid,1\n")
    assert load_team(p) == load_team(team_toml)
    p.write_text("role,level,headcount\nML Engineer,senior,two\n")
    with pytest.raises(InvalidInput) as exc:
        load_team(p)
    assert exc.value.field == "headcount" and exc.value.row == 1
    p.write_text("role,level,headcount\nBasket Weaver,senior,1\n")
    with pytest.raises(UnknownRole):
        load_team(p)
    with pytest.raises(UnknownCountry):
        from payatlas.analytics import parse_countries

        parse_countries("DE,Atlantis")


def test_team_cost_cli_matches_library(
    bundled_env: Settings, bundled_home: Path, team_toml: Path
) -> None:
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "team-cost",
            str(team_toml),
            "--country",
            "DE,PL",
            "--country",
            "IN",
            "--country",
            "BR",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    with Store(bundled_home / "payatlas.duckdb", read_only=True) as s:
        lib = team_cost(s, team=TEAM, countries=COUNTRIES, settings=bundled_env)
    assert data == json.loads(json.dumps(lib.as_dict(), default=str))
    table = runner.invoke(app, ["team-cost", str(team_toml), "--country", "US,DE,PL,IN,BR"])
    assert table.exit_code == 0, table.output
    for code in COUNTRIES:
        assert code in table.output
    assert "savings" in table.output and "baseline" in table.output
    assert "Evidence per line" in table.output
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(app, ["team-cost", str(team_toml), "--country", "DE", "--csv"]).output
            )
        )
    )
    assert {r["country"] for r in rows} == {"US", "DE"} and "n_comparable" in rows[0]


def test_indicators_listed_with_citations(store: Store) -> None:
    n_csv = sum(1 for _ in csv.DictReader(indicators_path().open()))
    assert load_indicators(store) == n_csv
    assert load_indicators(store) == n_csv  # reloading replaces, never duplicates
    every = indicators(store)
    assert len(every.indicators) == n_csv
    assert all(i.published_in and i.citation for i in every.indicators)
    rates = indicators(store, indicator="hourly_rate", region="Latin")
    assert {i.region for i in rates.indicators} == {"Latin America"}
    assert rates.to_frame()["citation"].str.contains("9cv9").all()


def test_reports_vs_data(bundled_store: Store, home: Settings) -> None:
    result = compare_indicators(bundled_store, settings=home)
    measured = [c for c in result.comparisons if c.measured.value is not None]
    kinds = {c.reported.indicator for c in measured}
    assert {"ai_wage_premium", "median_ai_salary"} <= kinds
    assert len(measured) >= 2
    for c in measured:
        assert c.measured.low is not None and c.measured.high is not None
        assert c.measured.low <= c.measured.value <= c.measured.high  # type: ignore[operator]
        assert c.n is not None and c.n >= home.privacy_threshold
        assert c.reported.citation in c.text and "PayAtlas data" in c.text
    d = result.as_dict()
    assert d["comparisons"][0]["reported"]["citation"]


def test_cli_indicators(bundled_env: Settings) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["indicators", "--indicator", "ai_wage_premium", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)["indicators"]
    assert len(rows) == 2 and all("citation" in r for r in rows)
    compared = runner.invoke(app, ["indicators", "--compare", "--json"])
    data = json.loads(compared.output)
    assert sum(c["payatlas"]["value"] is not None for c in data["comparisons"]) >= 2
