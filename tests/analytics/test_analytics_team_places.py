"""Team planner with US metros as places and its purchasing-power view (#13), against the files."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.analytics import team_cost
from payatlas.analytics.team_input import parse_places
from payatlas.bundled import data_dir
from payatlas.cli import app
from payatlas.errors import InvalidInput, UnknownCountry
from payatlas.normalize.metros import resolve_metro
from payatlas.official.differential import metro_differential
from payatlas.settings import Settings
from payatlas.store import Store

TEAM = [{"role": "ML Engineer", "level": "senior", "headcount": 2}]


def _rpp(cbsa: str) -> float:
    with gzip.open(data_dir() / "bea_rpp_2024_by_metro.csv.gz", "rt", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["cbsa"] == cbsa]
    return float(row["rpp_all_items_2024_us100"])


def _ppp(country: str, year: int) -> float:
    with gzip.open(data_dir() / "ppp-gdp.csv.gz", "rt", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["Country ID"] == country and
                  int(r["Year"]) == year]  # fmt: skip
    return float(row["PPP"])


def test_places_read_countries_and_metros_inside_comma_lists() -> None:
    places = parse_places(["US, Austin, TX, Germany", "41860", "San Francisco Bay Area"])
    assert [p.key for p in places] == ["US", "US-12420", "DE", "US-41860"]  # SF twice: once
    assert places[1].metro is not None and places[1].metro.cbsa == "12420"
    assert places[1].name.startswith("Austin-Round Rock")
    with pytest.raises(InvalidInput, match="several metros") as amb:
        parse_places("Portland")
    assert amb.value.field == "countries"
    with pytest.raises(UnknownCountry, match="US metro") as unknown:
        parse_places("Narnia", field="baseline")
    assert unknown.value.field == "baseline"


def test_team_cost_in_metros_with_ppp_and_rpp(bundled_store: Store, home: Settings) -> None:
    result = team_cost(
        bundled_store, team=TEAM, countries=["US, Austin, TX, San Francisco, CA, DE, IN"],
        settings=home,
    )  # fmt: skip
    by = {c.place: c for c in result.countries}
    assert list(by) == ["US", "US-12420", "US-41860", "DE", "IN"]
    us, austin, sf = by["US"], by["US-12420"], by["US-41860"]
    assert austin.country == sf.country == "US" and austin.metro and austin.metro["cbsa"] == "12420"
    assert us.total_usd and austin.total_usd and sf.total_usd
    for metro, cbsa in ((austin, "12420"), (sf, "41860")):
        diff = metro_differential(bundled_store, family="ml_engineer", metro=resolve_metro(cbsa))
        assert metro.total_usd is not None
        # the median moves by the OEWS differential; the range is widened around it
        assert metro.total_usd.p50 == pytest.approx(us.total_usd.p50 * diff.ratio, rel=1e-3)
        assert metro.total_usd.p90 / metro.total_usd.p10 >= us.total_usd.p90 / us.total_usd.p10
        assert "BLS OEWS" in metro.lines[0].basis and diff.label in metro.lines[0].basis
        # RPP-adjusted dollars: the total over the metro's BEA price parity
        pp = metro.ppp
        assert pp is not None and pp.rpp == pytest.approx(_rpp(cbsa))
        assert pp.rpp_adjusted_usd is not None
        assert pp.rpp_adjusted_usd.p50 == pytest.approx(metro.total_usd.p50 * 100 / _rpp(cbsa))
        assert metro.savings_pct is not None  # compared with the national baseline
    assert sf.total_usd.p50 > us.total_usd.p50 > austin.total_usd.p50 * 0.9
    # SF's pay edge shrinks once prices are counted
    assert sf.ppp and austin.ppp and sf.ppp.rpp_adjusted_usd and austin.ppp.rpp_adjusted_usd
    nominal = sf.total_usd.p50 / austin.total_usd.p50
    assert sf.ppp.rpp_adjusted_usd.p50 / austin.ppp.rpp_adjusted_usd.p50 < nominal
    # PPP international dollars: local currency over the World Bank factor (US = 1)
    for c in (by["DE"], by["IN"]):
        assert c.ppp and c.ppp.international_dollars and c.total_local
        factor = _ppp(c.country, result.fx_year)
        assert c.ppp.ppp_factor == pytest.approx(factor)
        assert c.ppp.international_dollars.p50 == pytest.approx(c.total_local.p50 / factor)
        assert c.ppp.rpp is None and c.ppp.rpp_adjusted_usd is None
    assert by["IN"].ppp.international_dollars.p50 > by["IN"].total_usd.p50 * 2  # type: ignore[union-attr]
    assert us.ppp and us.ppp.rpp == 100 and "US average" in " ".join(us.ppp.notes)
    d = result.as_dict()
    assert d["countries"][1]["place"] == "US-12420" and d["countries"][1]["ppp"]["rpp"] > 0
    assert "World Bank" in " ".join(d["countries"][3]["ppp"]["sources"])
    assert "metro" in d["method"]
    assert {"place", "total_ppp_intl_p50", "total_rpp_usd_p50"} <= set(result.rows()[0])


def test_a_metro_as_baseline(bundled_store: Store, home: Settings) -> None:
    result = team_cost(bundled_store, team=TEAM, countries=["DE"], baseline="12420", settings=home)
    assert result.baseline == "US-12420"
    base, de = result.countries
    assert base.savings_pct is None and de.savings_pct is not None
    assert base.total_usd and de.total_usd
    assert de.savings_pct.value == pytest.approx((1 - de.total_usd.p50 / base.total_usd.p50) * 100)


def test_team_cost_cli_with_metros(bundled_env: Settings, tmp_path: Path) -> None:
    team = tmp_path / "team.csv"
    team.write_text("role,level,headcount\nML Engineer,senior,2\n")
    runner = CliRunner()
    out = runner.invoke(app, ["team-cost", str(team), "--country", "Austin, TX, DE", "--json"])
    assert out.exit_code == 0, out.output
    places = [c["place"] for c in json.loads(out.output)["countries"]]
    assert places == ["US", "US-12420", "DE"]
    table = runner.invoke(app, ["team-cost", str(team), "--country", "Austin, TX"])
    assert table.exit_code == 0 and "PPP" in table.output and "RPP" in table.output
    bad = runner.invoke(app, ["team-cost", str(team), "--country", "Springfield"])
    assert isinstance(bad.exception, InvalidInput) and bad.exception.field == "countries"
    assert "44180 Springfield, MO" in str(bad.exception)  # the choices, to pick one
