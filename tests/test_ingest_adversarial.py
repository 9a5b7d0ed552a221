"""Adversarial ingest tests: awkward real files, edge-case mappings, row accounting (#2).

Each test was written in review against a bug it exposed (or as a regression check of behaviour
that was already right); the bugs are fixed and the tests stay as regression tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from currency_converter import CurrencyConverter

from payatlas.errors import DuplicateFile, InvalidMapping, StoreError, UnreadableFile
from payatlas.ingest import IngestReport, ingest
from payatlas.ingest.mapping import mapping_from_dict
from payatlas.store import Store

BASIC = {
    "source": {"name": "adv"},
    "columns": {"title": "title", "pay": "pay", "country": "country", "year": "year"},
    "defaults": {"currency": "USD"},
}
HEADER = "title,pay,country,year\n"
ECB = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    """A real DuckDB store file in the test's temp dir."""
    s = Store(tmp_path / "x.duckdb")
    yield s
    s.close()


def _ingest(
    db: Store,
    tmp_path: Path,
    name: str,
    content: str | bytes,
    mapping: dict[str, Any] | None = None,
    **kw: Any,
) -> IngestReport:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return ingest(path, store=db, mapping=mapping_from_dict(mapping or BASIC), **kw)


def _records(db: Store, version: int | None = None) -> list[dict[str, Any]]:
    where = "" if version is None else f"WHERE dataset_version = {int(version)}"
    # record_rows: every stored row, including those without a USD amount (no_fx, kept out of
    # the `records` view analyses read)
    cur = db.execute(f"SELECT * FROM record_rows {where} ORDER BY dataset_version, source_row")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _rejects(db: Store) -> list[tuple[int, str | None, str, str]]:
    return db.execute(
        "SELECT source_row, field, reason, raw FROM rejects ORDER BY dataset_version, source_row"
    ).fetchall()


def _accounted(db: Store, report: IngestReport) -> None:
    """The report adds up, and the store holds exactly what the report says, once per row."""
    assert report.accepted + report.rejected == report.rows_read
    recs = _records(db, report.dataset_version)
    rej = db.execute(
        "SELECT source_row FROM rejects WHERE dataset_version = ?", [report.dataset_version]
    ).fetchall()
    assert len(recs) == report.accepted
    assert len(rej) == report.rejected
    rows = [r["source_row"] for r in recs] + [r[0] for r in rej]
    assert sorted(rows) == list(range(1, report.rows_read + 1))  # every row once, numbered 1..n


# -- readers: encodings, delimiters, malformed lines, row numbers ------------------------------


def test_bom_prefixed_csv(db: Store, tmp_path: Path) -> None:
    report = _ingest(db, tmp_path, "bom.csv", "\ufeff" + HEADER + "Data Scientist,100000,US,2024\n")
    _accounted(db, report)
    assert report.accepted == 1


def test_semicolon_csv_with_european_amounts(db: Store, tmp_path: Path) -> None:
    text = (
        "title;pay;country;year\n"
        'Data Engineer;"60.000,50";FR;2024\n'
        "Data Scientist;1.234,56 € / month;DE;2024\n"
    )
    report = _ingest(db, tmp_path, "eu.csv", text, {**BASIC, "defaults": {"currency": "EUR"}})
    _accounted(db, report)
    assert report.rejected == 0
    by_row = {r["source_row"]: r for r in _records(db)}
    assert by_row[1]["pay_amount"] == pytest.approx(60_000.50)
    assert (by_row[2]["pay_amount"], by_row[2]["pay_period"]) == (pytest.approx(1234.56), "month")
    assert by_row[2]["annual_local"] == pytest.approx(1234.56 * 12)


def test_multiline_cell_keeps_later_row_numbers(db: Store, tmp_path: Path) -> None:
    text = (
        HEADER + '"Data\nScientist",100000,US,2024\n'
        "Data Engineer,90000,US,2024\n"
        "Broken,1,2,3,4\n"
        "Data Analyst,80000,US,2024\n"
    )
    report = _ingest(db, tmp_path, "ml.csv", text)
    _accounted(db, report)
    assert {r["source_row"]: r["raw_title"] for r in _records(db)} == {
        1: "Data\nScientist",
        2: "Data Engineer",
        4: "Data Analyst",
    }
    assert [(r[0], r[1]) for r in _rejects(db)] == [(3, None)]


BAD_LINE_CASES = [
    pytest.param("Broken,1,2,3,4", id="one-extra-field"),
    pytest.param(
        "Broken,1,2,3,4,5",
        id="two-extra-fields",
    ),
    pytest.param(
        "Broken,1",
        id="too-few-fields",
    ),
]


@pytest.mark.parametrize("bad_line", BAD_LINE_CASES)
def test_each_unparseable_line_is_one_reject(db: Store, tmp_path: Path, bad_line: str) -> None:
    text = (
        HEADER + "Data Scientist,100000,US,2024\n"
        f"{bad_line}\n"
        "Data Engineer,90000,US,2024\n"
        "Data Analyst,80000,US,2024\n"
    )
    report = _ingest(db, tmp_path, "bad.csv", text)
    assert (report.rows_read, report.accepted, report.rejected) == (4, 3, 1)
    _accounted(db, report)
    assert [r["source_row"] for r in _records(db)] == [1, 3, 4]


def test_bad_lines_in_a_large_file_keep_exact_row_numbers(db: Store, tmp_path: Path) -> None:
    bad = {777, 20_001, 49_999}
    lines = [HEADER.strip()]
    for i in range(1, 50_001):
        lines.append("Broken,1,2,3,4" if i in bad else f"Data Scientist,{50_000 + i},US,2024")
    report = _ingest(db, tmp_path, "big.csv", "\n".join(lines) + "\n")
    assert (report.rows_read, report.rejected) == (50_000, 3)
    assert {r[0] for r in _rejects(db)} == bad
    wrong = db.execute("SELECT count(*) FROM records WHERE pay_amount - 50000 <> source_row")
    assert wrong.fetchone() == (0,)


def test_blank_line_is_not_a_row(db: Store, tmp_path: Path) -> None:
    text = HEADER + "Data Scientist,100000,US,2024\n\nData Engineer,90000,US,2024\n"
    report = _ingest(db, tmp_path, "blank.csv", text)
    _accounted(db, report)
    assert [r["source_row"] for r in _records(db)] == [1, 2]


def test_blank_line_then_bad_line_keeps_file_order(db: Store, tmp_path: Path) -> None:
    text = (
        HEADER + "Data Scientist,100000,US,2024\n\n"
        "Data Engineer,90000,US,2024\n"
        "Broken,1,2,3,4\n"
        "Data Analyst,80000,US,2024\n"
    )
    report = _ingest(db, tmp_path, "blank.csv", text)
    _accounted(db, report)
    assert [r["source_row"] for r in _records(db)] == [1, 2, 4]
    assert [r[0] for r in _rejects(db)] == [3]


def test_failed_ingest_of_file_with_bad_line_does_not_leak(db: Store, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(HEADER + "Data Scientist,100000,US,2024\nBroken,1,2,3,4\n")
    wrong = mapping_from_dict({"columns": {"title": "nope", "pay": "pay", "country": "country"}})
    with pytest.raises(InvalidMapping):
        ingest(tmp_path / "bad.csv", store=db, mapping=wrong)
    good = HEADER + "Data Scientist,100000,US,2024\nData Engineer,90000,US,2024\n"
    report = _ingest(db, tmp_path, "good.csv", good)
    assert (report.rows_read, report.accepted, report.rejected) == (2, 2, 0)
    assert [r["source_row"] for r in _records(db)] == [1, 2]


def test_successful_ingests_do_not_leak_bad_lines(db: Store, tmp_path: Path) -> None:
    _ingest(db, tmp_path, "bad.csv", HEADER + "Data Scientist,100000,US,2024\nBroken,1,2,3,4\n")
    report = _ingest(db, tmp_path, "good.csv", HEADER + "Data Engineer,90000,US,2024\n")
    assert (report.rows_read, report.accepted, report.rejected) == (1, 1, 0)


def test_tsv_cell_starting_with_a_quote(db: Store, tmp_path: Path) -> None:
    text = (
        "title\tpay\tcountry\tyear\n"
        '"Lead" Data Scientist\t100000\tUS\t2024\n'
        "Data Engineer\t90000\tUS\t2024\n"
    )
    report = _ingest(db, tmp_path, "q.tsv", text)
    _accounted(db, report)
    assert report.accepted == 2


def test_empty_file_is_a_clear_error(db: Store, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        _ingest(db, tmp_path, "empty.csv", "")
    assert db.is_empty()


def test_header_only_file_accounts_for_zero_rows(db: Store, tmp_path: Path) -> None:
    report = _ingest(db, tmp_path, "hdr.csv", HEADER)
    assert (report.rows_read, report.accepted, report.rejected) == (0, 0, 0)


def test_broken_jsonl_line_is_a_clear_error_and_store_unchanged(db: Store, tmp_path: Path) -> None:
    text = (
        '{"title":"Data Scientist","pay":"120000","country":"US","year":2024}\n'
        '{"title": broken\n'
        '{"title":"Data Engineer","pay":"95k","country":"US","year":2024}\n'
    )
    with pytest.raises(UnreadableFile, match=r"broken\.jsonl.*line"):
        _ingest(db, tmp_path, "broken.jsonl", text)
    assert db.is_empty()


def test_json_nested_value_is_rejected_with_reason(db: Store, tmp_path: Path) -> None:
    rows = [
        {"title": "Data Scientist", "pay": 120000, "country": "US", "year": 2024},
        {"title": "ML Engineer", "pay": {"low": 1}, "country": "US", "year": 2024},
        {"title": None, "pay": 95000, "country": "US", "year": 2024},
    ]
    report = _ingest(db, tmp_path, "n.json", json.dumps(rows))
    _accounted(db, report)
    assert {(r[0], r[1]) for r in _rejects(db)} == {(2, "pay"), (3, "title")}


def test_json_mixed_types_per_key(db: Store, tmp_path: Path) -> None:
    rows = [
        {"title": "Data Scientist", "pay": 120000, "country": "US", "year": 2024},
        {"title": "Data Engineer", "pay": "95k", "country": "US", "year": "2024"},
    ]
    report = _ingest(db, tmp_path, "mixed.json", json.dumps(rows))
    _accounted(db, report)
    assert report.accepted == 2
    assert [r["pay_amount"] for r in _records(db)] == [120_000.0, 95_000.0]


RESERVED = [
    pytest.param(
        "h1",
        id="h1-row-silently-lost",
    ),
    pytest.param(
        "copies",
        id="copies-crashes",
    ),
    pytest.param(
        "_row",
        id="_row-used-as-row-number",
    ),
    pytest.param("key", id="key"),
]


@pytest.mark.parametrize("extra", RESERVED)
def test_file_columns_with_internal_names(db: Store, tmp_path: Path, extra: str) -> None:
    text = f"title,pay,country,year,{extra}\nData Scientist,100000,US,2024,7\n"
    report = _ingest(db, tmp_path, "r.csv", text)
    _accounted(db, report)
    assert report.accepted == 1


def test_rejects_raw_holds_only_the_files_columns(db: Store, tmp_path: Path) -> None:
    _ingest(db, tmp_path, "r.csv", HEADER + "Data Scientist,oops,US,2024\n")
    (raw,) = [r[3] for r in _rejects(db)]
    assert set(json.loads(raw)) == {"title", "pay", "country", "year"}


# -- numbers that must be rejected, not crash -------------------------------------------------


def test_huge_amount_is_rejected_not_a_crash(db: Store, tmp_path: Path) -> None:
    text = HEADER + "Data Scientist,100000,US,2024\nData Scientist,99999999999999999999,US,2024\n"
    report = _ingest(db, tmp_path, "huge.csv", text)
    _accounted(db, report)
    assert [(r[0], r[1]) for r in _rejects(db)] == [(2, "pay")]


def test_huge_amount_failure_leaves_store_as_before(db: Store, tmp_path: Path) -> None:
    first = _ingest(db, tmp_path, "ok.csv", HEADER + "Data Scientist,100000,US,2024\n")
    try:
        _ingest(db, tmp_path, "huge.csv", HEADER + "Data Scientist,99999999999999999999,US,2024\n")
    except Exception:  # the bug above: whatever it raises, the store must be untouched
        assert db.latest_version() == first.dataset_version
        assert len(_records(db)) == 1
        assert db.execute("SELECT count(*) FROM rejects").fetchone() == (0,)


USD_MAP = {
    "columns": {
        "title": "title",
        "pay": "pay",
        "country": "country",
        "year": "year",
        "currency": "cur",
        "usd": "usd",
    }
}


def test_non_finite_usd_figure_is_rejected(db: Store, tmp_path: Path) -> None:
    text = "title,pay,country,year,cur,usd\nData Scientist,100000,DE,2024,EUR,nan\n"
    report = _ingest(db, tmp_path, "nan.csv", text, USD_MAP)
    _accounted(db, report)
    assert [(r[0], r[1]) for r in _rejects(db)] == [(1, "usd")]


def test_infinite_usd_with_implied_fx_does_not_crash(db: Store, tmp_path: Path) -> None:
    text = "title,pay,country,year,cur,usd\nData Scientist,100000000,CL,2024,CLP,inf\n"
    report = _ingest(db, tmp_path, "inf.csv", text, USD_MAP)
    _accounted(db, report)
    assert report.accepted == 0


def test_infinite_year_is_rejected(db: Store, tmp_path: Path) -> None:
    report = _ingest(db, tmp_path, "y.csv", HEADER + "Data Scientist,100000,US,inf\n")
    _accounted(db, report)
    assert [(r[0], r[1]) for r in _rejects(db)] == [(1, "year")]


# -- currency conversion ----------------------------------------------------------------------

DATED = {
    "columns": {
        "title": "title",
        "pay": "pay",
        "country": "country",
        "date": "date",
        "currency": "cur",
        "period": "per",
    }
}


def test_weekend_and_holiday_pay_dates_use_previous_ecb_day(db: Store, tmp_path: Path) -> None:
    text = (
        "title,pay,country,date,cur,per\n"
        "Data Scientist,50,GB,2024-03-16,GBP,per hour\n"  # Saturday
        "Data Engineer,60,GB,2024-12-25,GBP,/hr\n"  # Christmas (no ECB fixing)
        "ML Engineer,55,CH,2024-06-12,CHF,hourly\n"  # a business day
    )
    report = _ingest(db, tmp_path, "fx.csv", text, DATED)
    _accounted(db, report)
    expect = {
        1: (50, "GBP", dt.date(2024, 3, 15)),
        2: (60, "GBP", dt.date(2024, 12, 24)),
        3: (55, "CHF", dt.date(2024, 6, 12)),
    }
    for rec in _records(db):
        pay, cur, day = expect[rec["source_row"]]
        assert (rec["pay_period"], rec["fx_basis"], rec["fx_date"]) == ("hour", "daily", day)
        assert rec["annual_local"] == pytest.approx(pay * 2080)
        assert rec["annual_usd"] == pytest.approx(ECB.convert(pay * 2080, cur, "USD", date=day))


def test_slash_dates_are_read_one_way_per_file(db: Store, tmp_path: Path) -> None:
    text = (
        "title,pay,country,date,cur,per\n"
        "Data Engineer,4000,DE,03/04/2024,EUR,month\n"
        "Data Engineer,4100,DE,03/14/2024,EUR,month\n"
    )
    _ingest(db, tmp_path, "d.csv", text, DATED)
    dates = {r["source_row"]: r["pay_date"] for r in _records(db)}
    assert dates.get(2) == dt.date(2024, 3, 14)
    assert dates.get(1) != dt.date(2024, 4, 3)  # month-first like row 2, or rejected


def test_currency_without_ecb_history_uses_implied_rate(db: Store, tmp_path: Path) -> None:
    text = (
        "title,pay,country,year,cur,usd\n"
        "Data Scientist,100000000,CL,2024,CLP,105000\n"
        "Data Engineer,90000000,CL,2024,CLP,\n"
    )
    report = _ingest(db, tmp_path, "clp.csv", text, USD_MAP)
    _accounted(db, report)
    recs = _records(db)
    assert [r["fx_basis"] for r in recs] == ["implied", "implied"]
    assert all("fx_fallback" in r["flags"] for r in recs)
    assert recs[1]["annual_usd"] == pytest.approx(90_000_000 * 105_000 / 100_000_000)


def test_currency_without_any_rate_is_kept_flagged_no_fx(db: Store, tmp_path: Path) -> None:
    # #10: no ECB history, no official peg, no USD figure in the file: kept, flagged, and out
    # of `records` (every analysis reads it), never rejected
    mapping = {"columns": {k: v for k, v in USD_MAP["columns"].items() if k != "usd"}}
    text = "title,pay,country,year,cur\nData Scientist,100000000,CL,2024,CLP\n"
    report = _ingest(db, tmp_path, "clp.csv", text, mapping)
    _accounted(db, report)
    assert _rejects(db) == []
    (rec,) = _records(db)
    assert rec["flags"] == ["no_fx"] and rec["annual_usd"] is None and rec["fx_rate"] is None
    assert db.execute("SELECT count(*) FROM records").fetchone() == (0,)


def test_default_year_is_converted(db: Store, tmp_path: Path) -> None:
    mapping = {
        "columns": {"title": "title", "pay": "pay", "country": "country"},
        "defaults": {"currency": "EUR", "year": "2024"},
    }
    report = _ingest(
        db, tmp_path, "dy.csv", "title,pay,country\nData Scientist,70000,DE\n", mapping
    )
    assert report.accepted == 1
    (rec,) = _records(db)
    assert (rec["pay_year"], rec["fx_basis"]) == (2024, "year_avg")


def test_pay_year_from_first_seen_is_converted(db: Store, tmp_path: Path) -> None:
    mapping = {
        "columns": {"title": "title", "pay": "pay", "country": "country", "first_seen": "fs"},
        "defaults": {"currency": "USD"},
    }
    text = "title,pay,country,fs\nData Scientist,100000,US,2024-03-02\n"
    report = _ingest(db, tmp_path, "fs.csv", text, mapping)
    assert report.accepted == 1


# -- pay ranges in two columns ----------------------------------------------------------------

LOW_HIGH = {
    "columns": {
        "title": "title",
        "pay_low": "lo",
        "pay_high": "hi",
        "country": "country",
        "year": "year",
    },
    "defaults": {"currency": "USD"},
}


def test_pay_low_high_columns(db: Store, tmp_path: Path) -> None:
    text = (
        "title,lo,hi,country,year\n"
        "Data Scientist,50k,70k,US,2024\n"
        "Data Scientist,50k,,US,2024\n"
        "Data Scientist,,70k,US,2024\n"
        "Data Scientist,,,US,2024\n"
    )
    report = _ingest(db, tmp_path, "lh.csv", text, LOW_HIGH)
    _accounted(db, report)
    got = {r["source_row"]: (r["pay_low"], r["pay_high"], r["pay_amount"]) for r in _records(db)}
    assert got == {
        1: (50_000, 70_000, 60_000),
        2: (50_000, 50_000, 50_000),
        3: (70_000, 70_000, 70_000),
    }
    assert [(r[0], r[2]) for r in _rejects(db)] == [(4, "missing pay")]


def test_swapped_low_high_columns_are_rejected(db: Store, tmp_path: Path) -> None:
    report = _ingest(
        db, tmp_path, "sw.csv", "title,lo,hi,country,year\nData Scientist,90000,60000,US,2024\n",
        LOW_HIGH,
    )  # fmt: skip
    assert report.rejected == 1


def test_mixed_currencies_across_low_high_are_rejected(db: Store, tmp_path: Path) -> None:
    report = _ingest(
        db, tmp_path, "mx.csv", "title,lo,hi,country,year\nData Scientist,€50k,$60k,US,2024\n",
        LOW_HIGH,
    )  # fmt: skip
    assert report.rejected == 1


# -- mappings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"defaults": "USD"}, id="defaults-not-a-table"),
        pytest.param({"source": "acme"}, id="source-not-a-table"),
        pytest.param({"periods": [2000]}, id="periods-not-a-table"),
        pytest.param({"periods": {"hour": True}}, id="periods-bool"),
    ],
)
def test_malformed_mapping_sections_are_invalid_mapping(extra: dict[str, Any]) -> None:
    with pytest.raises(InvalidMapping):
        mapping_from_dict({"columns": {"title": "t", "pay": "p", "country": "c"}, **extra})


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", "1800"), ("currency", "ZZZ"), ("period", "quarterly"), ("country", "Atlantis")],
)
def test_invalid_default_is_refused_and_store_unchanged(
    db: Store, tmp_path: Path, field: str, value: str
) -> None:
    mapping = {
        "columns": {"title": "title", "pay": "pay", "country": "country"},
        "defaults": {"currency": "USD", "year": "2024", field: value},
    }
    with pytest.raises(InvalidMapping, match=field):
        _ingest(db, tmp_path, "d.csv", "title,pay,country\nData Scientist,100000,US\n", mapping)
    assert db.is_empty()


def test_invalid_default_is_caught_when_the_mapping_is_loaded() -> None:
    with pytest.raises(InvalidMapping) as err:
        mapping_from_dict(
            {"columns": {"title": "t", "pay": "p", "country": "c"}, "defaults": {"year": "1800"}},
            file="m.toml",
        )
    assert err.value.file == "m.toml"


def test_mapping_naming_absent_column_lists_what_the_file_has(db: Store, tmp_path: Path) -> None:
    mapping = {"columns": {"title": "Job", "pay": "pay", "country": "country"}}
    with pytest.raises(InvalidMapping, match=r"title -> 'Job'.*file has title, pay"):
        _ingest(db, tmp_path, "m.csv", HEADER + "Data Scientist,1e5,US,2024\n", mapping)
    assert db.is_empty()


# -- duplicates, versions, re-ingest ----------------------------------------------------------

FS_MAP = {
    "columns": {
        "title": "title",
        "pay": "pay",
        "country": "country",
        "first_seen": "fs",
        "year": "year",
    },
    "defaults": {"currency": "USD"},
}


def test_earliest_arriving_copy_is_the_unflagged_one(db: Store, tmp_path: Path) -> None:
    text = (
        "title,pay,country,fs,year\n"
        "Data Scientist,100000,US,2024-05-01,2024\n"
        "Data Scientist,100000,US,2024-01-01,2024\n"
        "Data Scientist,100000,US,2024-05-01,2024\n"
    )
    report = _ingest(db, tmp_path, "dup.csv", text, FS_MAP)
    _accounted(db, report)
    assert {r["source_row"]: r["is_duplicate"] for r in _records(db)} == {
        1: True,
        2: False,
        3: True,
    }
    assert report.flags == {"duplicate": 2}


def test_duplicates_are_judged_on_normalised_values(db: Store, tmp_path: Path) -> None:
    # "US" and "USA", "100000" and "$100k" normalise alike: the second row is a duplicate
    text = HEADER + "Data Scientist,100000,US,2024\nData Scientist,$100k,USA,2024\n"
    _ingest(db, tmp_path, "n.csv", text)
    assert [r["is_duplicate"] for r in _records(db)] == [False, True]


def test_duplicate_flags_are_per_file(db: Store, tmp_path: Path) -> None:
    text = HEADER + "Data Scientist,100000,US,2024\nData Scientist,100000,US,2024\n"
    _ingest(db, tmp_path, "a.csv", text)
    _ingest(db, tmp_path, "b.csv", text + "Data Engineer,90000,US,2024\n")
    got = [(r["dataset_version"], r["source_row"], r["is_duplicate"]) for r in _records(db)]
    # as docs/data.md says: "an exact duplicate of an earlier row of the same file"
    assert got == [(1, 1, False), (1, 2, True), (2, 1, False), (2, 2, True), (2, 3, False)]


def test_same_content_and_mapping_refused_whatever_the_source(db: Store, tmp_path: Path) -> None:
    # #15: the repeat check keys on file content + mapping; the source name is no way round it
    first = _ingest(db, tmp_path, "a.csv", HEADER + "Data Scientist,100000,US,2024\n")
    (tmp_path / "copy.csv").write_bytes((tmp_path / "a.csv").read_bytes())
    for name, source in (("a.csv", None), ("a.csv", "b"), ("copy.csv", None)):
        with pytest.raises(DuplicateFile, match="already ingested with this mapping") as err:
            ingest(tmp_path / name, store=db, mapping=mapping_from_dict(BASIC), source=source)
        assert str(tmp_path) not in str(err.value)  # the file's name, never a (server) path
    forced = ingest(
        tmp_path / "a.csv", store=db, mapping=mapping_from_dict(BASIC), allow_same_file=True
    )
    assert (first.dataset_version, forced.dataset_version) == (1, 2)
    assert db.record_count() == 2  # the same rows twice: de-duplication is per file only


def test_corrected_mapping_can_reingest_the_same_file(db: Store, tmp_path: Path) -> None:
    wrong = {**BASIC, "defaults": {"currency": "EUR"}}
    first = _ingest(db, tmp_path, "a.csv", HEADER + "Data Scientist,100000,US,2024\n", wrong)
    fixed = ingest(tmp_path / "a.csv", store=db, mapping=mapping_from_dict(BASIC))
    assert (first.dataset_version, fixed.dataset_version) == (1, 2)
    assert first.mapping_sha256 != fixed.mapping_sha256
    renamed = {**BASIC, "source": {"name": "other-name"}}  # a new name is not a correction
    with pytest.raises(DuplicateFile):
        ingest(tmp_path / "a.csv", store=db, mapping=mapping_from_dict(renamed))


def test_rejects_file_contents(db: Store, tmp_path: Path) -> None:
    text = (
        HEADER + "Data Scientist,100000,US,2024\n"
        "Data Scientist,not disclosed,US,2024\n"
        ",100000,US,2024\n"
        "Data Scientist,100000,Atlantis,2024\n"
        "Data Scientist,5,US,2024\n"
        "Broken,1,2,3,4\n"
    )
    report = _ingest(db, tmp_path, "rj.csv", text)
    _accounted(db, report)
    assert report.rejects_file is not None
    with open(report.rejects_file, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(int(r["row"]), r["field"]) for r in rows] == [
        (2, "pay"),
        (3, "title"),
        (4, "country"),
        (5, "pay"),
        (6, ""),
    ]
    assert "Atlantis" in rows[2]["reason"] and "implausible" in rows[3]["reason"]
    assert rows[4]["raw"] == "Broken,1,2,3,4"
    assert json.loads(rows[0]["raw"])["pay"] == "not disclosed"
    assert sum(report.rejected_by_reason.values()) == report.rejected == 5


def test_two_stores_in_one_directory_keep_their_rejects(tmp_path: Path) -> None:
    text = HEADER + "Data Scientist,oops,US,2024\n"
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        ra = _ingest(a, tmp_path, "a.csv", text)
        rb = _ingest(b, tmp_path, "b.csv", HEADER + "Data Scientist,100000,US,2024\n")
        assert ra.rejects_file != rb.rejects_file
        assert Path(str(ra.rejects_file)).read_text(encoding="utf-8").count("\n") == 2


def test_reopen_read_only_after_ingest(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    with Store(path) as s:
        report = _ingest(s, tmp_path, "a.csv", HEADER + "Data Scientist,100000,US,2024\n")
    with Store(path, read_only=True) as ro:
        assert ro.latest_version() == report.dataset_version
        assert ro.record_count() == 1
        assert ro.versions()[0].rows_read == 1


def test_conflicting_open_is_a_store_error(db: Store) -> None:
    with pytest.raises(StoreError):
        Store(db.path, read_only=True)


# -- typed sources, encodings, paths, the CLI -------------------------------------------------


def test_json_number_with_three_decimals_is_not_thousands(db: Store, tmp_path: Path) -> None:
    mapping = {**BASIC, "columns": {**BASIC["columns"], "period": "per"}}
    rows = [
        {"title": "Data Scientist", "pay": 45.125, "country": "US", "year": 2024, "per": "hour"}
    ]
    report = _ingest(db, tmp_path, "n.json", json.dumps(rows), mapping)
    assert report.accepted == 1
    assert _records(db)[0]["pay_amount"] == pytest.approx(45.125)


def test_latin1_file_is_decoded_not_rejected(db: Store, tmp_path: Path) -> None:
    # #15: Latin-1/cp1252 files used to reject every row with a non-ASCII byte
    text = HEADER + "Datenanalyst Zürich,100000,CH,2024\nData Engineer,90000,US,2024\n"
    report = _ingest(db, tmp_path, "latin1.csv", text.encode("latin-1"))
    _accounted(db, report)
    assert report.rejected == 0
    assert [r["raw_title"] for r in _records(db)] == ["Datenanalyst Zürich", "Data Engineer"]


def test_broken_bytes_in_a_utf8_file_reject_only_their_rows(db: Store, tmp_path: Path) -> None:
    good = "Data Scientist Zürich,100000,CH,2024\n".encode()
    text = HEADER.encode() + good * 3 + b"Data Engineer \xff\xfe,90000,US,2024\n" + good
    report = _ingest(db, tmp_path, "broken.csv", text)
    _accounted(db, report)
    assert [(r[0], r[1]) for r in _rejects(db)] == [(4, None)]
    assert "utf-8" in _rejects(db)[0][2]


def test_crlf_bad_line_raw_text(db: Store, tmp_path: Path) -> None:
    text = HEADER.replace("\n", "\r\n") + "Data Scientist,100000,US,2024\r\nBroken,1,2,3,4\r\n"
    report = _ingest(db, tmp_path, "crlf.csv", text)
    _accounted(db, report)
    assert _rejects(db)[0][3] == "Broken,1,2,3,4"


def test_glob_characters_in_a_file_name(db: Store, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(HEADER + "Data Engineer,90000,US,2024\n", encoding="utf-8")
    report = _ingest(db, tmp_path, "a*.csv", HEADER + "Data Scientist,100000,US,2024\n")
    assert report.rows_read == 1
    assert [r["raw_title"] for r in _records(db)] == ["Data Scientist"]


def test_failure_writing_rejects_file_is_not_after_commit(db: Store, tmp_path: Path) -> None:
    (tmp_path / "rejects").write_text("not a directory", encoding="utf-8")
    try:
        _ingest(db, tmp_path, "a.csv", HEADER + "Data Scientist,oops,US,2024\n")
    except Exception as exc:
        assert db.is_empty(), f"raised {exc!r} after committing a version"


def _cli(tmp_path: Path, *args: str) -> tuple[int, str]:
    exe = Path(sys.executable).with_name("payatlas")
    env = {**os.environ, "PAYATLAS_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, done.stderr


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "huge.csv").write_text(HEADER + "Data Scientist,99999999999999999999,US,2024\n")
    (tmp_path / "m.toml").write_text(
        '[columns]\ntitle = "title"\npay = "pay"\ncountry = "country"\nyear = "year"\n'
        '[defaults]\ncurrency = "USD"\n'
    )
    code, err = _cli(
        tmp_path, "ingest", str(tmp_path / "huge.csv"), "--mapping", str(tmp_path / "m.toml")
    )
    assert "Traceback" not in err
    assert code == 0 or len(err.strip().splitlines()) == 1, err


# -- countries, regions, outliers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "wrong"),
    [
        ("San Francisco, CA", "CA"),
        ("Boston, MA", "MA"),
        ("Chicago, IL", "IL"),
        ("Denver, CO", "CO"),
        ("Paris, TX", "FR"),
    ],
)
def test_us_city_state_locations(db: Store, tmp_path: Path, location: str, wrong: str) -> None:
    report = _ingest(db, tmp_path, "loc.csv", HEADER + f'Data Scientist,100000,"{location}",2024\n')
    _accounted(db, report)
    assert [r["country"] for r in _records(db)] in ([], ["US"]), f"stored as {wrong}"


def test_every_country_has_a_sensible_region(db: Store, tmp_path: Path) -> None:
    text = HEADER + "".join(
        f"Data Scientist,100000,{c},2024\n" for c in ("Antigua and Barbuda", "Greenland", "BM")
    )
    _ingest(db, tmp_path, "reg.csv", text)
    regions = [r["region"] for r in _records(db)]
    assert regions == ["latin_america", "north_america", "north_america"]  # Greenland: geography


def test_pay_25_percent_above_a_tied_cohort_is_not_an_outlier(db: Store, tmp_path: Path) -> None:
    mapping = {**BASIC, "columns": {**BASIC["columns"], "company": "co"}}
    rows = [f"Data Scientist,100000,US,2024,c{i}\n" for i in range(30)]
    rows += [f"Data Scientist,125000,US,2024,d{i}\n" for i in range(5)]
    report = _ingest(db, tmp_path, "o.csv", "title,pay,country,year,co\n" + "".join(rows), mapping)
    _accounted(db, report)
    assert "outlier" not in report.flags


def test_far_off_pay_is_an_outlier(db: Store, tmp_path: Path) -> None:
    mapping = {**BASIC, "columns": {**BASIC["columns"], "company": "co"}}
    rows = [f"Data Scientist,{90_000 + 1_000 * i},US,2024,c{i}\n" for i in range(40)]
    rows.append("Data Scientist,2000000,US,2024,x\n")
    report = _ingest(db, tmp_path, "o.csv", "title,pay,country,year,co\n" + "".join(rows), mapping)
    flagged = [r["source_row"] for r in _records(db) if r["is_outlier"]]
    assert flagged == [41]
    assert report.flags.get("outlier") == 1


def test_remote_fraction_column(db: Store, tmp_path: Path) -> None:
    mapping = {**BASIC, "columns": {**BASIC["columns"], "remote": "rem"}}
    text = "title,pay,country,year,rem\n" + "".join(
        f"Data Scientist,{100_000 + i},US,2024,{v}\n" for i, v in enumerate(("0", "0.5", "1"))
    )
    report = _ingest(db, tmp_path, "rem.csv", text, mapping)
    _accounted(db, report)
    assert [r["remote_ratio"] for r in _records(db)] == [0, 50, 100]
