"""Ingest integrity (#15): every source row is stored at most once, whatever the values.

Property tests (hypothesis, bounded) write random small files mixing date, number and text
spellings, ingest them through the library and check that the report adds up and that the store
holds exactly what the report says: each source row once, as a record or a reject, with its own
values. In PayAtlas ``flagged`` is a subset of ``accepted``: ``rows_read = accepted + rejected``
and ``accepted = unflagged + flagged``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payatlas.errors import InvalidInput
from payatlas.ingest import IngestReport, ingest
from payatlas.ingest.mapping import mapping_from_dict
from payatlas.store import Store

MAPPING = mapping_from_dict(
    {
        "source": {"name": "fuzz"},
        "columns": {
            "title": "title",
            "pay": "pay",
            "currency": "currency",
            "country": "country",
            "date": "date",
            "level": "level",
        },
    }
)
FIELDS = ["title", "pay", "currency", "country", "date", "level"]
FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DAYS = [dt.date(2024, 3, 15), dt.date(2023, 1, 2), dt.date(2022, 12, 31), dt.date(2021, 7, 4)]


def _date_spellings(d: dt.date) -> list[str]:
    return [
        d.isoformat(),
        d.strftime("%d.%m.%Y"),
        d.strftime("%Y/%m/%d"),
        d.strftime("%b %Y"),
        d.isoformat() + "T09:30:00",
        f" {d.isoformat()} ",
        d.strftime("%m/%d/%Y"),  # slash dates: read one way per column, or refused
    ]


dates = st.one_of(
    st.sampled_from(DAYS).flatmap(lambda d: st.sampled_from(_date_spellings(d))),
    st.sampled_from(["", "not a date", "2024-13-45", "2024-03-15junk", "0", "45040.41"]),
)
pays = st.one_of(
    st.integers(20_000, 400_000).flatmap(
        lambda n: st.sampled_from(
            [str(n), f"{n:,}", f"${n / 1000:g}k", f"{n:,}".replace(",", "."), f"€{n:,}", f" {n} "]
        )
    ),
    st.sampled_from(["", "n/a", "-5", "1e400", "$53K-$91K", "90,000 - 110,000", "12"]),
)
currencies = st.sampled_from(["USD", "usd", " EUR ", "GBP", "", "XXX", "ABC", "XAU", "INR"])
countries = st.sampled_from(
    ["US", "usa", "United States", "de", "Germany", "Berlin, Germany", "Boston, MA", "IN",
     "none", "0", "1", "12", "-1", "", "Atlantis", "U S"]
)  # fmt: skip
titles = st.sampled_from(
    ["Data Scientist", "data scientist ", "ML Engineer", "Sr. Data Engineer", "Data Analyst",
     "Head of Data", "", "Basket Weaver", "Ingénieur Données"]
)  # fmt: skip
levels = st.sampled_from(["", "SE", "mid", "junior", "7", "99999", "-1", "none", "EX"])
rows = st.lists(
    st.fixed_dictionaries(
        {
            "title": titles,
            "pay": pays,
            "currency": currencies,
            "country": countries,
            "date": dates,
            "level": levels,
        }
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for all the examples: each ingest is its own dataset version."""
    s = Store(tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb")
    yield s
    s.close()


def write_csv(path: Path, data: list[dict[str, str]]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def assert_stored_once(store: Store, report: IngestReport, data: list[dict[str, str]]) -> None:
    """The report adds up and the store holds each source row exactly once, with its values."""
    n = len(data)
    assert report.rows_read == n
    assert report.accepted + report.rejected == n
    assert 0 <= report.flagged <= report.accepted
    assert (report.accepted - report.flagged) + report.flagged + report.rejected == n
    v = report.dataset_version
    recs = store.execute(
        "SELECT source_row, raw_title, len(flags) > 0 FROM records "
        "WHERE dataset_version = ? ORDER BY source_row",
        [v],
    ).fetchall()
    rej = store.execute(
        "SELECT source_row FROM rejects WHERE dataset_version = ? ORDER BY source_row", [v]
    ).fetchall()
    assert len(recs) == report.accepted  # stored rows == accepted (flagged included)
    assert sum(1 for r in recs if r[2]) == report.flagged
    assert len(rej) == report.rejected
    assert sorted([r[0] for r in recs] + [r[0] for r in rej]) == list(range(1, n + 1))
    for row, title, _ in recs:  # each record is its own source row, not another row's copy
        assert title == data[row - 1]["title"].strip()


@FAST
@given(data=rows)
def test_every_row_stored_at_most_once_csv(
    fuzz_store: Store, tmp_path: Path, data: list[dict[str, str]]
) -> None:
    path = write_csv(tmp_path / "fuzz.csv", data)
    report = ingest(path, store=fuzz_store, mapping=MAPPING, allow_same_file=True)
    assert_stored_once(fuzz_store, report, data)


@FAST
@given(data=rows)
def test_json_lines_and_csv_agree_row_for_row(
    fuzz_store: Store, tmp_path: Path, data: list[dict[str, str]]
) -> None:
    by_csv = ingest(
        write_csv(tmp_path / "f.csv", data), store=fuzz_store, mapping=MAPPING,
        allow_same_file=True,
    )  # fmt: skip
    lines = tmp_path / "f.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
    by_json = ingest(lines, store=fuzz_store, mapping=MAPPING, allow_same_file=True)
    assert_stored_once(fuzz_store, by_json, data)
    assert (by_json.accepted, by_json.flagged, by_json.rejected) == (
        by_csv.accepted,
        by_csv.flagged,
        by_csv.rejected,
    )


def test_issue_example_one_date_spelled_two_ways(store: Store, tmp_path: Path) -> None:
    """The issue's reproduction: 3 rows read used to give 12 accepted and 12 stored."""
    data = [
        {"title": "Data Scientist", "pay": "100000", "currency": "USD", "country": "US",
         "date": "2024-03-15", "level": ""},
        {"title": "Data Engineer", "pay": "120000", "currency": "USD", "country": "US",
         "date": "15.03.2024", "level": ""},
        {"title": "Data Analyst", "pay": "90000", "currency": "USD", "country": "US",
         "date": "2024-03-15", "level": ""},
    ]  # fmt: skip
    report = ingest(write_csv(tmp_path / "d.csv", data), store=store, mapping=MAPPING)
    assert (report.rows_read, report.accepted, report.rejected) == (3, 3, 0)
    assert_stored_once(store, report, data)
    dates = store.execute("SELECT DISTINCT pay_date FROM records").fetchall()
    assert dates == [(dt.date(2024, 3, 15),)]


def test_many_spellings_of_every_field_in_one_file(store: Store, tmp_path: Path) -> None:
    """Each value spelled every way at once: any lookup keyed on a non-unique value would
    multiply rows by the number of spellings."""
    data: list[dict[str, str]] = []
    for i, d in enumerate(_date_spellings(dt.date(2024, 3, 15))[:6]):
        for j, pay in enumerate(["100000", "100,000", "$100k", "100.000"]):
            data.append(
                {"title": f"Data Scientist {i}{j}", "pay": pay,
                 "currency": ["USD", "usd", " USD"][j % 3],
                 "country": ["US", "usa", "United States"][i % 3], "date": d, "level": ""}
            )  # fmt: skip
    report = ingest(write_csv(tmp_path / "m.csv", data), store=store, mapping=MAPPING)
    assert report.rejected == 0
    assert_stored_once(store, report, data)


def test_a_lookup_with_repeated_keys_is_refused_not_joined() -> None:
    from payatlas.errors import StoreError
    from payatlas.ingest.lookups import require_unique

    require_unique([("USD", 1), ("EUR", 1)], "t")
    with pytest.raises(StoreError, match="repeated keys"):
        require_unique([("USD", 1), ("USD", 1)], "t")


def _value_of(store: Store, column: str) -> list[Any]:
    return [r[0] for r in store.execute(f"SELECT {column} FROM records").fetchall()]


@pytest.mark.parametrize("value", ["none", "0", "1", "12", "-1", "100", "U S", "n/a", "Atlantis"])
def test_non_country_is_rejected_never_a_real_country(
    store: Store, tmp_path: Path, value: str
) -> None:
    # #15: "none" was stored as Italy, "0", "1", "12", "-1" as Sweden
    data = [{"title": "Data Scientist", "pay": "100000", "currency": "USD", "country": value,
             "date": "2024-03-15", "level": ""}]  # fmt: skip
    report = ingest(write_csv(tmp_path / "c.csv", data), store=store, mapping=MAPPING)
    assert (report.accepted, report.rejected) == (0, 1)
    reason = store.execute("SELECT field, reason FROM rejects").fetchone()
    assert reason == ("country", f"unknown country {value!r}")


@pytest.mark.parametrize("value", ["99999", "61", "100 years", "-1", "none"])
def test_non_level_is_dropped_never_senior(store: Store, tmp_path: Path, value: str) -> None:
    # #15: never read as senior; #10: an unreadable optional value is dropped and flagged,
    # the row is kept
    data = [{"title": "Data Scientist", "pay": "100000", "currency": "USD", "country": "US",
             "date": "2024-03-15", "level": value}]  # fmt: skip
    report = ingest(write_csv(tmp_path / "l.csv", data), store=store, mapping=MAPPING)
    assert (report.accepted, report.rejected) == (1, 0)
    level, flags = store.execute("SELECT level, flags FROM records").fetchone()
    assert level is None and "level_unread" in flags


@pytest.mark.parametrize("value", ["XXX", "XAU", "XTS", "XDR", "ABC", "BTC"])
def test_non_currency_is_rejected(store: Store, tmp_path: Path, value: str) -> None:
    data = [{"title": "Data Scientist", "pay": "100000", "currency": value, "country": "US",
             "date": "2024-03-15", "level": ""},
            {"title": "Data Engineer", "pay": f"100000 {value}", "currency": "", "country": "US",
             "date": "2024-03-15", "level": ""}]  # fmt: skip
    report = ingest(write_csv(tmp_path / "u.csv", data), store=store, mapping=MAPPING)
    assert (report.accepted, report.rejected) == (0, 2)
    fields = [r[0] for r in store.execute("SELECT field FROM rejects ORDER BY 1").fetchall()]
    assert fields == ["currency", "pay"]


def test_real_values_still_resolve() -> None:
    from payatlas.normalize.countries import to_alpha2
    from payatlas.normalize.fields import currency_code
    from payatlas.normalize.levels import normalize_level

    names = [
        "Germany",
        "germany",
        "DEU",
        "de",
        "Korea, Republic of",
        "Viet Nam",
        "Czechia",
        "Berlin, Germany",
        "Austin, TX, United States",
        "United Kingdom",
        "SWE",
    ]
    assert [to_alpha2(n) for n in names] == [
        "DE", "DE", "DE", "DE", "KR", "VN", "CZ", "DE", "US", "GB", "SE"]  # fmt: skip
    assert [normalize_level(v) for v in ["7", "60", "0", "3.5 years", "SE"]] == [
        "senior", "senior", "entry", "mid", "senior"]  # fmt: skip
    assert [currency_code(c) for c in ["usd", "XOF", "XAF", "XCD", "XPF"]] == [
        "USD", "XOF", "XAF", "XCD", "XPF"]  # fmt: skip
    for bad in ["Swe den", "Germ", "Ital"]:
        with pytest.raises(InvalidInput):
            to_alpha2(bad)
