"""Mapping cleaning per column, location columns and the place check, `mapping suggest` (#10)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.cli import app
from payatlas.errors import InvalidMapping, UnknownCountry
from payatlas.ingest import ingest
from payatlas.ingest.mapping import mapping_from_dict
from payatlas.ingest.money import decimal_mark, parse_money
from payatlas.normalize.countries import to_alpha2
from payatlas.normalize.fields import parse_date
from payatlas.normalize.places import read_location, us_context
from payatlas.settings import Settings
from payatlas.store import Store

HEADER = "title,yearly,hourly,size,schedule,remote,posted,location,country,skills\n"
ROWS = [
    'Data Scientist,$53K-$91K (Glassdoor est.),,1001 to 5000 employees,Full-time,Remote,45040.41,"Austin, TX",Sudan,"[\'sql\', \'python\']"',  # noqa: E501
    "Data Engineer,,34.875,Unknown,Full-time and Part-time,Other/it's complicated,45041.0,Florida,United States,[]",  # noqa: E501
    'ML Engineer,Employer Provided Salary:$150K-$160K,,-1,Contractor,On-site,45042.9,Georgia,,"[\'pytorch\']"',  # noqa: E501
    "Data Analyst,,$17-$24 Per Hour(Glassdoor est.),51 to 200 employees,Part-time,,45043,Anywhere,Canada,",  # noqa: E501
    'Data Architect,-1,,10000+ employees,Full-time,,45044,"Tbilisi, Georgia",Georgia,',
]  # fmt: skip
MAPPING = """
[source]
name = "cleaning"

[columns]
title = "title"
pay = ["yearly", "hourly"]
company_size = "size"
employment_type = "schedule"
remote = "remote"
date = "posted"
location = "location"
country = "country"
industry = "skills"

[defaults]
currency = "USD"
country = "US"

[clean.pay]
period_by_column = { yearly = "year", hourly = "hour" }
unknown = ["-1"]

[clean.company_size]
map = { "1001 to 5000 employees" = "L", "51 to 200 employees" = "M" }
unknown = ["Unknown", "-1"]

[clean.employment_type]
map = { "Contractor" = "CT" }
unknown = ["Full-time and Part-time"]

[clean.date]
format = "excel"

[clean.industry]
list = "join"
"""


@pytest.fixture
def cleaned(store: Store, tmp_path: Path) -> dict[str, dict[str, object]]:
    (tmp_path / "f.csv").write_text(HEADER + "\n".join(ROWS) + "\n")
    (tmp_path / "m.toml").write_text(MAPPING)
    report = ingest(tmp_path / "f.csv", store=store, mapping=tmp_path / "m.toml")
    assert (report.rows_read, report.accepted, report.rejected) == (5, 4, 1)
    assert store.execute("SELECT source_row, field FROM rejects").fetchall() == [(5, "pay")]
    cur = store.execute("SELECT * FROM record_rows ORDER BY source_row")
    names = [d[0] for d in cur.description]
    return {r[names.index("raw_title")]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def test_pay_strings_coalesced_columns_and_hourly_decimals(cleaned) -> None:  # type: ignore[no-untyped-def]
    ds, de, ml, da = (cleaned[t] for t in ("Data Scientist", "Data Engineer", "ML Engineer",
                                           "Data Analyst"))  # fmt: skip
    assert (ds["pay_low"], ds["pay_high"], ds["pay_period"]) == (53_000, 91_000, "year")
    assert ds["pay_amount"] == 72_000
    assert (de["pay_amount"], de["pay_period"]) == (34.875, "hour")  # never 34,875 an hour
    assert de["annual_usd"] == pytest.approx(34.875 * 2080)
    assert (ml["pay_low"], ml["pay_high"]) == (150_000, 160_000)
    assert (da["pay_low"], da["pay_high"], da["pay_period"]) == (17, 24, "hour")


def test_value_maps_and_unknown_optional_values(cleaned) -> None:  # type: ignore[no-untyped-def]
    ds, de, ml, da = (cleaned[t] for t in ("Data Scientist", "Data Engineer", "ML Engineer",
                                           "Data Analyst"))  # fmt: skip
    assert (ds["company_size"], da["company_size"]) == ("L", "M")
    assert de["company_size"] is None and "company_size_unknown" in de["flags"]
    assert ml["company_size"] is None and "company_size_unknown" in ml["flags"]
    assert de["employment_type"] == "FT" and "employment_type_unknown" in de["flags"]
    assert ml["employment_type"] == "CT"
    # an odd optional value nobody listed: dropped and flagged, never a reject
    assert de["remote_ratio"] is None and "remote_unread" in de["flags"]
    assert ds["industry"] == "sql, python" and ml["industry"] == "pytorch"


def test_dates_from_excel_serials(cleaned) -> None:  # type: ignore[no-untyped-def]
    assert cleaned["Data Scientist"]["pay_date"] == dt.date(2023, 4, 24)
    assert cleaned["Data Analyst"]["pay_date"] == dt.date(2023, 4, 27)


def test_locations_win_over_a_contradicting_country(cleaned) -> None:  # type: ignore[no-untyped-def]
    ds, de, ml, da = (cleaned[t] for t in ("Data Scientist", "Data Engineer", "ML Engineer",
                                           "Data Analyst"))  # fmt: skip
    assert (ds["country"], ds["city"]) == ("US", "Austin, TX")
    assert "country_from_location" in ds["flags"]  # the column said Sudan
    assert de["country"] == "US"  # "Florida" is a state
    assert ml["country"] == "US"  # "Georgia" in a US file is the state
    assert (da["country"], da["remote_ratio"]) == ("CA", 100)  # Anywhere: remote, column's country


def test_report_counts_the_flags(store: Store, tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(HEADER + "\n".join(ROWS) + "\n")
    (tmp_path / "m.toml").write_text(MAPPING)
    report = ingest(tmp_path / "f.csv", store=store, mapping=tmp_path / "m.toml")
    assert report.flags["country_from_location"] == 1
    assert report.flags["company_size_unknown"] == 2


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('[clean.pay]\nstrip = ["x"]\n', "clean.pay.strip"),
        ('[clean.pay]\nextract = "(["\n', "clean.pay.extract"),
        ('[clean.pay]\nlist = "all"\n', "clean.pay.list"),
        ('[clean.pay]\nperiod_by_column = { nope = "year" }\n', "clean.pay.period_by_column"),
        ('[clean.pay]\nperiod_by_column = { P = "fortnight" }\n', "clean.pay.period_by_column"),
        ('[clean.level]\nunknown = ["x"]\n', "clean.level"),
        ('[clean.pay]\nformat = "excel"\n', "clean.pay.format"),
        ('[clean.date]\nformat = "dd/mm"\n', "clean.date.format"),
        ('[clean.pay]\nmap = ["a"]\n', "clean.pay.map"),
    ],
)
def test_a_bad_mapping_fails_before_any_row_naming_the_key(extra: str, key: str) -> None:
    text = '[columns]\ntitle = "T"\npay = "P"\ncountry = "C"\ndate = "D"\n' + extra
    with pytest.raises(InvalidMapping) as err:
        mapping_from_dict(tomllib.loads(text))
    assert err.value.field == key


def test_only_some_fields_take_several_columns() -> None:
    with pytest.raises(InvalidMapping) as err:
        mapping_from_dict({"columns": {"title": "T", "pay": "P", "country": "C",
                                       "level": ["a", "b"]}})  # fmt: skip
    assert err.value.field == "level"


@pytest.mark.parametrize(
    ("text", "low", "high", "period"),
    [
        ("$53K-$91K (Glassdoor est.)", 53_000, 91_000, None),
        ("Employer Provided Salary:$150K-$160K", 150_000, 160_000, None),
        ("$17-$24 Per Hour(Glassdoor est.)", 17, 24, "hour"),
        ("34.875 per hour", 34.875, 34.875, "hour"),
        ("225.000", 225_000, 225_000, None),  # still thousands when nothing says otherwise
    ],
)
def test_pay_strings(text: str, low: float, high: float, period: str | None) -> None:
    m = parse_money(text)
    assert (m.low, m.high, m.period) == (low, high, period)


def test_a_column_of_plain_decimals_reads_dot_as_decimal() -> None:
    assert decimal_mark(["98901.5", "34.875", "120000"]) == "."
    assert decimal_mark(["225.000", "1.250"]) is None
    assert parse_money("34.875", decimal=".").low == 34.875


def test_timestamps_and_serials() -> None:
    assert parse_date("4/11/2023 11:02:00", order="MDY") == dt.date(2023, 4, 11)
    assert parse_date("4/27/2021 11:02:10") == dt.date(2021, 4, 27)
    assert parse_date("45040.41") == dt.date(2023, 4, 24)
    assert parse_date("4/11/2023 11:02:00", fmt="%m/%d/%Y %H:%M:%S") == dt.date(2023, 4, 11)


@pytest.mark.parametrize(
    ("text", "code"),
    [("U.S. Virgin Islands", "VI"), ("Macedonia (FYROM)", "MK"), ("Luxemburg", "LU"),
     ("Aotearoa New Zealand", "NZ"), ("U.S.", "US"), ("The Bahamas", "BS"),
     ("Bosnia & Herzegovina", "BA"), ("Congo, Democratic Republic of the", "CD")],
)  # fmt: skip
def test_country_variants_and_former_names(text: str, code: str) -> None:
    assert to_alpha2(text) == code


def test_georgia_and_florida() -> None:
    assert read_location("Georgia").country == "GE"
    assert read_location("Georgia", us=True).country == "US"
    assert read_location("Florida").country == "US"
    assert read_location("Tbilisi, Georgia").country == "GE"
    assert read_location("Atlanta, Georgia").city == "Atlanta, GA"
    assert read_location("Remote").remote and read_location("Anywhere").country is None
    assert us_context(["Austin, TX", "Boston, MA", "Berlin, Germany"])
    assert not us_context(["Berlin, Germany", "Paris, France"])
    with pytest.raises(UnknownCountry):
        read_location("Somewhere, Nowhereland")


def test_mapping_suggest_cli_prints_a_valid_commented_mapping(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(HEADER + "\n".join(ROWS) + "\n")
    result = CliRunner().invoke(app, ["mapping", "suggest", str(tmp_path / "f.csv")])
    assert result.exit_code == 0, result.output
    data = tomllib.loads(result.output)
    assert data["columns"]["title"] == "title" and data["columns"]["location"] == "location"
    assert "# " in result.output.split("[columns]", 1)[1].split("\n")[1]  # a comment per line
    assert data["clean"]["company_size"]["map"]["1001 to 5000 employees"] == "L"
    mapping_from_dict(data)


def test_ingest_cli_says_the_location_overruled_the_country(home: Settings, tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(HEADER + "\n".join(ROWS) + "\n")
    (tmp_path / "m.toml").write_text(MAPPING)
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "f.csv"), "--mapping", str(tmp_path / "m.toml")]
    )
    assert result.exit_code == 0, result.output
    assert "1 rows: the country column contradicts the location" in " ".join(result.output.split())
