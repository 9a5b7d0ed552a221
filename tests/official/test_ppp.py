"""Purchasing power: market FX, PPP international dollars and RPP-adjusted dollars, against the
bundled World Bank and BEA files."""

from __future__ import annotations

import csv
import gzip
import json

import pytest
from typer.testing import CliRunner

from payatlas.bundled import data_dir
from payatlas.errors import InvalidInput
from payatlas.normalize.fx import usd_rate
from payatlas.official.maps import metro_map
from payatlas.official.ppp import equivalent_pay, purchasing_power
from payatlas.settings import Settings
from payatlas.store import Store


def _file(name: str, **match: str) -> dict[str, str]:
    with gzip.open(data_dir() / name, "rt", encoding="utf-8", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items())]
    return row


@pytest.fixture
def store(official_env: Settings):  # type: ignore[no-untyped-def]
    with Store(official_env.store_path, read_only=True) as s:
        yield s


def test_a_figure_in_three_units(store: Store) -> None:
    de = float(_file("ppp-gdp.csv.gz", **{"Country ID": "DE", "Year": "2024"})["PPP"])
    v = purchasing_power(store, amount=95_000, currency="EUR", place="Berlin, Germany")
    assert v.ppp_international_dollars == round(95_000 / de)
    assert v.usd_market == round(95_000 * usd_rate("EUR", year=2024).usd_per_unit)
    assert v.rpp is None and v.place.level == "country" and "country-level" in v.notes[0]
    sf_rpp = float(_file("bea_rpp_2024_by_metro.csv.gz", cbsa="41860")["rpp_all_items_2024_us100"])
    sf = purchasing_power(store, amount=200_000, currency="USD", place="San Francisco, CA")
    assert sf.rpp == sf_rpp and sf.rpp_adjusted_usd == round(200_000 / (sf_rpp / 100))


def test_berlin_to_austin_in_purchasing_power(store: Store) -> None:
    de = float(_file("ppp-gdp.csv.gz", **{"Country ID": "DE", "Year": "2024"})["PPP"])
    austin = float(_file("bea_rpp_2024_by_metro.csv.gz", cbsa="12420")["rpp_all_items_2024_us100"])
    e = equivalent_pay(store, amount=95_000, currency="EUR", origin="Berlin, Germany",
                       target="Austin, TX")  # fmt: skip
    assert e.equivalent_in_target == round(95_000 / de * austin / 100)
    assert e.target_currency == "USD"
    assert e.sentence.startswith("EUR 95,000 in Berlin is worth USD ") and "Austin" in e.sentence
    # between US metros only the price levels differ
    sf = equivalent_pay(store, amount=200_000, currency="USD", origin="San Francisco, CA",
                        target="Austin, TX")  # fmt: skip
    assert sf.equivalent_in_target is not None and sf.equivalent_in_target < 200_000


def test_bad_input_is_a_typed_error(store: Store) -> None:
    with pytest.raises(InvalidInput):
        purchasing_power(store, amount=1, currency="XYZ", place="Germany")
    with pytest.raises(InvalidInput):
        purchasing_power(store, amount=1, currency="USD", place="Narnia")
    with pytest.raises(InvalidInput):
        purchasing_power(store, amount=-5, currency="USD", place="Germany")


def test_the_metro_map_holds_every_metro_with_published_medians(store: Store) -> None:
    m = metro_map(store, role="Data Scientist")
    assert len(m.points) == 393 and m.soc["soc"] == "15-2051"
    sf = next(p for p in m.points if p.cbsa == "41860")
    assert sf.p50 == float(_file("oews_msa_may2025_pctiles.csv.gz", cbsa="41860",
                                 soc="15-2051")["a_median"])  # fmt: skip
    assert sf.p50_rpp_adjusted == round(sf.p50 / (sf.rpp / 100))  # type: ignore[operator]


def test_ppp_command(official_env: Settings) -> None:
    from payatlas.cli import app

    out = CliRunner().invoke(app, ["ppp", "--amount", "95000", "--currency", "EUR", "--place",
                                   "Berlin, Germany", "--to", "Austin, TX", "--json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["sentence"].startswith("EUR 95,000 in Berlin is worth USD")
