"""Currencies outside the ECB set: official pegs, withdrawn ISO codes, rows kept as no_fx (#10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from payatlas.analytics import team_cost
from payatlas.ingest import ingest
from payatlas.ingest.money import parse_money
from payatlas.normalize import fx
from payatlas.normalize.fields import currency_code
from payatlas.settings import Settings
from payatlas.store import Store

DAY = dt.date(2024, 3, 15)


@pytest.mark.parametrize(
    ("code", "per_usd"),
    [("AED", 3.6725), ("SAR", 3.75), ("QAR", 3.64), ("OMR", 0.3845), ("BHD", 0.376),
     ("JOD", 0.709), ("XCD", 2.70)],
)  # fmt: skip
def test_dollar_pegs_convert_at_their_parity(code: str, per_usd: float) -> None:
    rate = fx.rate_on(code, DAY)
    assert rate.basis == "peg" and not rate.fallback
    assert 1 / rate.usd_per_unit == pytest.approx(per_usd)
    assert fx.year_average(code, 2023).usd_per_unit == pytest.approx(1 / per_usd)


def test_euro_pegs_follow_the_ecb_euro_rate() -> None:
    eur = fx.rate_on("EUR", DAY).usd_per_unit
    assert fx.rate_on("XOF", DAY).usd_per_unit == pytest.approx(eur / 655.957)
    assert fx.rate_on("BAM", DAY).usd_per_unit == pytest.approx(eur / 1.95583)
    assert fx.rate_on("HKD", DAY).basis == "daily"  # the ECB publishes HKD: its own rate wins
    with pytest.raises(Exception, match="ARS"):
        fx.rate_on("ARS", DAY)


def test_every_peg_is_a_pay_currency_with_a_cited_basis() -> None:
    for code, peg in fx.PEGS.items():
        assert currency_code(code) == code and fx.has_history(code)
        assert peg.per_anchor > 0 and len(peg.basis) > 15 and fx.has_history(peg.anchor)


@pytest.mark.parametrize("code", ["BGN", "HRK", "ANG", "XCG", "ZWG", "VES"])
def test_recent_iso_codes_are_known(code: str) -> None:
    assert currency_code(code.lower()) == code
    assert parse_money(f"60000 {code}").currency == code


def test_no_rate_keeps_the_row_flagged_no_fx(store: Store, tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(
        '[columns]\ntitle = "t"\npay = "p"\ncurrency = "c"\ncountry = "k"\nyear = "y"\n'
    )
    (tmp_path / "f.csv").write_text(
        "t,p,c,k,y\nData Scientist,12000000,ARS,Argentina,2024\n"
        "Data Engineer,420000,AED,United Arab Emirates,2024\n"
        "ML Engineer,300000,SAR,Saudi Arabia,2024\nData Analyst,60000,BGN,Bulgaria,2024\n"
    )
    report = ingest(tmp_path / "f.csv", store=store, mapping=tmp_path / "m.toml")
    assert (report.accepted, report.rejected, report.flags.get("no_fx")) == (4, 0, 1)
    rows = dict(store.execute("SELECT currency, fx_basis FROM record_rows").fetchall())
    assert rows == {"ARS": None, "AED": "peg", "SAR": "peg", "BGN": "year_avg"}
    kept = store.execute("SELECT flags, annual_usd FROM record_rows WHERE currency = 'ARS'")
    assert kept.fetchone() == (["no_fx"], None)
    # every analysis reads `records`: the row without a USD amount is not in it
    assert store.execute("SELECT count(*) FROM records").fetchone() == (3,)
    aed = store.execute("SELECT annual_usd FROM records WHERE currency = 'AED'").fetchone()
    assert aed[0] == pytest.approx(420000 / 3.6725)


def test_team_cost_in_a_country_without_a_rate(bundled_store: Store, home: Settings) -> None:
    team = [{"role": "ML Engineer", "level": "senior", "headcount": 1}]
    result = team_cost(bundled_store, team=team, countries=["US", "AR", "AE"], settings=home)
    ar, ae = result.countries[1], result.countries[2]
    assert ar.currency == "ARS" and ar.total_usd is not None and ar.total_local is None
    assert ar.note and "no exchange rate for ARS" in ar.note
    assert ae.currency == "AED" and ae.total_local is not None and ae.total_usd is not None
    assert ae.total_local.p50 == pytest.approx(ae.total_usd.p50 * 3.6725)
