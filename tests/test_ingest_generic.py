"""A generic file with ranges, three currencies, hourly/monthly pay, country names, broken rows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from currency_converter import CurrencyConverter

from payatlas.errors import InvalidMapping, StoreError
from payatlas.ingest import ingest
from payatlas.store import Store


@pytest.fixture
def report(store: Store, examples: Path):  # type: ignore[no-untyped-def]
    return ingest(examples / "acme_survey.csv", store=store, mapping=examples / "acme_mapping.toml")


def test_every_row_accounted_for(report) -> None:  # type: ignore[no-untyped-def]
    assert report.rows_read == 15
    assert report.accepted + report.rejected == report.rows_read
    assert report.accepted == 9
    assert report.rejected == 6


def test_rejects_file_names_row_field_and_reason(report) -> None:  # type: ignore[no-untyped-def]
    with open(report.rejects_file, newline="") as fh:
        rows = {int(r["row"]): r for r in csv.DictReader(fh)}
    assert set(rows) == {9, 10, 11, 12, 13, 14}
    assert rows[9]["field"] == "pay" and "not disclosed" in rows[9]["reason"]
    assert rows[10]["field"] == "country" and "Atlantis" in rows[10]["reason"]
    assert rows[11]["field"] == "title" and rows[11]["reason"] == "missing title"
    assert rows[12]["field"] == "pay"
    assert rows[13]["field"] == "pay" and "implausible" in rows[13]["reason"]
    assert rows[14]["field"] == "date" and "not-a-date" in rows[14]["reason"]
    assert '"Job Title":"Head of Data"' in rows[13]["raw"]


def _row(store: Store, title: str) -> dict[str, object]:
    cur = store.execute("SELECT * FROM records WHERE raw_title = ?", [title])
    names = [d[0] for d in cur.description]
    found = cur.fetchall()
    assert len(found) == 1, title
    return dict(zip(names, found[0], strict=True))


ECB = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@pytest.mark.parametrize(
    ("title", "currency", "local", "day"),
    [
        ("Data Scientist", "EUR", 70_000.0, dt.date(2024, 5, 2)),
        ("ML Engineer", "INR", 3_250_000.0, dt.date(2024, 6, 10)),
        ("Data Analyst", "EUR", 4_500.0 * 12, dt.date(2024, 2, 29)),
        ("Research Scientist", "GBP", 7_500.0 * 12, dt.date(2024, 7, 1)),
        ("AI Engineer", "GBP", 95_000.0, dt.date(2023, 11, 20)),
    ],
)
def test_usd_matches_ecb_rate_of_pay_date(
    report,
    store: Store,
    title: str,
    currency: str,
    local: float,
    day: dt.date,  # type: ignore[no-untyped-def]
) -> None:
    row = _row(store, title)
    assert row["currency"] == currency
    assert row["annual_local"] == pytest.approx(local)
    expected = ECB.convert(local, currency, "USD", date=day)
    assert row["annual_usd"] == pytest.approx(expected, rel=1e-9)
    assert row["fx_basis"] == "daily"
    assert row["fx_date"] == day  # all these days are ECB business days


def test_ranges_periods_and_levels(report, store: Store) -> None:  # type: ignore[no-untyped-def]
    senior = _row(store, "Senior Machine Learning Engineer")
    assert (senior["pay_low"], senior["pay_high"]) == (150_000.0, 190_000.0)
    assert senior["annual_usd"] == pytest.approx(170_000.0)
    assert senior["role_family"] == "ml_engineer" and senior["level"] == "senior"
    assert senior["company_size"] == "L" and senior["remote_ratio"] == 100
    hourly = _row(store, "Data Engineer")
    assert hourly["pay_period"] == "hour" and hourly["annual_usd"] == pytest.approx(85 * 2080)
    text_hourly = _row(store, "Analytics Engineer")
    assert text_hourly["pay_period"] == "hour" and text_hourly["country"] == "CA"
    assert _row(store, "Data Scientist")["country"] == "DE"


def test_bare_dollar_takes_the_currency_column(report, store: Store) -> None:  # type: ignore[no-untyped-def]
    row = _row(store, "Big Data Engineer")  # "$95k" with Currency = CAD, in Toronto
    assert (row["currency"], row["annual_local"], row["country"]) == ("CAD", 95_000.0, "CA")
    assert _row(store, "Analytics Engineer")["currency"] == "USD"  # "62/hr" with USD


def test_period_override_in_mapping(store: Store, examples: Path, tmp_path: Path) -> None:
    mapping = (examples / "acme_mapping.toml").read_text() + "\n[periods]\nhour = 2000\n"
    (tmp_path / "m.toml").write_text(mapping)
    ingest(examples / "acme_survey.csv", store=store, mapping=tmp_path / "m.toml")
    assert _row(store, "Data Engineer")["annual_usd"] == pytest.approx(85 * 2000)


def test_same_file_twice_is_refused(report, store: Store, examples: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="already ingested with this mapping as dataset version 1"):
        ingest(examples / "acme_survey.csv", store=store, mapping=examples / "acme_mapping.toml")
    assert store.latest_version() == 1


def test_mapping_naming_missing_column(store: Store, examples: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('[columns]\ntitle = "Nope"\npay = "Pay"\ncountry = "X"\n')
    with pytest.raises(InvalidMapping, match="Nope"):
        ingest(examples / "acme_survey.csv", store=store, mapping=tmp_path / "bad.toml")
    assert store.is_empty()


def test_unrecognised_layout_asks_for_mapping(store: Store, examples: Path) -> None:
    with pytest.raises(InvalidMapping, match="unrecognised column layout"):
        ingest(examples / "acme_survey.csv", store=store)
