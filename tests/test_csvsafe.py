"""CSV formula neutralisation (OWASP CSV injection, #15 item 4): one rule, in Python and in SQL,
applied to the rejects file of a real ingest."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payatlas.ingest import ingest
from payatlas.normalize.csvsafe import TRIGGERS, neutralise, neutralise_frame, neutralise_sql
from payatlas.store import Store

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+SUM(1,2)",
            "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1", "-", "+"]  # fmt: skip
PLAIN = ["Data Scientist", "", "a=b", "95,000", "-5", "+3.5", "-1e3", ".5", "5-", "é=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_get_a_leading_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN)
def test_text_and_plain_numbers_are_unchanged(value: str) -> None:
    assert neutralise(value) == value


def test_numbers_and_missing_values_are_never_touched() -> None:
    for value in (-5, -5.5, 0, None, float("nan")):
        assert neutralise(value) is value
    frame = pd.DataFrame({"title": ["=x", "ok", None], "delta": [-5.0, 1.0, -0.5]})
    safe = neutralise_frame(frame)
    assert safe["title"].tolist()[:2] == ["'=x", "ok"]
    assert safe["delta"].tolist() == [-5.0, 1.0, -0.5]  # numeric column: numbers stay numbers
    assert frame["title"][0] == "=x"  # the input frame is not changed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from([*TRIGGERS, "1", ".", "e", "a", " ", "'"]),
                        max_size=8), min_size=1, max_size=20))  # fmt: skip
def test_sql_rule_equals_the_python_rule(values: list[str]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t(i INTEGER, x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    got = [r[0] for r in con.execute(f"SELECT {neutralise_sql('x')} FROM t ORDER BY i").fetchall()]
    con.close()
    assert got == [neutralise(v) for v in values]
    for before, after in zip(values, got, strict=True):
        assert after in (before, "'" + before)  # nothing else changes


def test_rejects_file_neutralises_formula_cells(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "hostile.csv"
    src.write_text(
        "title,pay,currency,country,date\n"
        "Data Scientist,100000,USD,US,2024-03-15\n"
        '=HYPERLINK("http://evil.example"),1,2,3,4,5,6,7\n'  # unparseable: too many cells
        "Data Analyst,90000,USD,=cmd|' /C calc'!A0,2024-03-15\n",  # rejected: country
        encoding="utf-8",
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\ntitle = "title"\npay = "pay"\ncurrency = "currency"\n'
        'country = "country"\ndate = "date"\n',
        encoding="utf-8",
    )
    report = ingest(src, store=store, mapping=mapping)
    assert report.rejected == 2 and report.rejects_file
    with open(report.rejects_file, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cells = [v for row in rows for v in row.values() if v]
    assert any(c.startswith("'=HYPERLINK") for c in cells), cells
    assert not [c for c in cells if c.startswith(TRIGGERS)], cells
    assert [row["row"] for row in rows] == ["2", "3"]  # numbers stay numbers
    stored = store.con.execute("SELECT raw FROM rejects ORDER BY source_row").fetchall()
    assert str(stored[0][0]).startswith("=HYPERLINK")  # the store keeps the raw line as read
