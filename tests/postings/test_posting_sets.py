"""Postings at scale (#12): a Parquet file is read in place and gives exactly the rows its CSV
gives; the posting x skill rows are each posting's skill set's rows; migration 9 backfills the
sets of postings stored before it (their skill rows unchanged), and the skills premium reads the
same figures from them."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from payatlas_postings import SLICE

from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skill_pay import skill_premiums
from payatlas.ingest.postings import ingest_postings
from payatlas.store import Store
from payatlas.store.schema import MIGRATIONS

ROWS = 600  # the first rows of the slice, two of them made bad


def _rows() -> tuple[list[str], list[list[str]]]:
    with gzip.open(SLICE, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [r for _, r in zip(range(ROWS), reader, strict=False)]
    rows[3][header.index("job_posted_date")] = "yesterday"
    rows[7][header.index("salary_rate")] = "week"
    rows[9][header.index("job_title")] = "  Senior Data Scientist  "  # trimmed in its lookup
    return header, rows


def _table(store: Store, sql: str) -> list[tuple[object, ...]]:
    return sorted(store.execute(sql).fetchall(), key=repr)


def test_a_parquet_file_gives_exactly_the_rows_of_its_csv(tmp_path: Path) -> None:
    header, rows = _rows()
    with open(tmp_path / "p.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    columns = {h: pa.array([r[i] or None for r in rows], pa.string()) for i, h in enumerate(header)}
    pq.write_table(pa.table(columns), tmp_path / "p.parquet")
    stores = []
    for name in ("p.csv", "p.parquet"):
        store = Store(tmp_path / f"{name}.duckdb")
        report = ingest_postings(tmp_path / name, store=store)
        assert report.rows_read == ROWS and report.rejected == 2
        assert report.rejected_by_reason == {
            "job_posted_date: not an Excel serial day or a date": 1,
            "salary_rate: pay rate is neither year nor hour": 1,
        }
        stores.append(store)
    # an empty CSV cell is read as NULL, as the Parquet file's NULLs: the same postings
    for sql in (
        "SELECT * EXCLUDE (posting_id) FROM postings",
        "SELECT source_row, field, reason FROM rejects",
        "SELECT p.source_row, s.skill, s.category FROM posting_skills s JOIN postings p "
        "USING (posting_id)",
    ):
        csv_rows, parquet_rows = (_table(s, sql) for s in stores)
        assert csv_rows == parquet_rows and csv_rows
    title = stores[1].execute("SELECT raw_title FROM postings WHERE source_row = 10").fetchall()
    assert title == [("Senior Data Scientist",)]
    raw = stores[1].execute("SELECT raw FROM rejects WHERE source_row = 4").fetchall()[0][0]
    assert '"job_posted_date":"yesterday"' in raw.replace(" ", "")
    for s in stores:
        s.close()


def test_skill_sets_reproduce_every_skill_row(postings_store: Store) -> None:
    via_sets = (
        "SELECT p.posting_id, k.skill, k.category FROM postings p "
        "JOIN posting_skill_sets k USING (dataset_version, skill_set)"
    )
    rows = "SELECT posting_id, skill, category FROM posting_skills"
    for a, b in ((via_sets, rows), (rows, via_sets)):
        assert postings_store.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchall() == [
            (0,)
        ]
    no_set = postings_store.execute(
        "SELECT count(*) FILTER (skill_count > 0 AND skill_set IS NULL), "
        "count(*) FILTER (skill_count = 0 AND skill_set IS NOT NULL), count(DISTINCT skill_set) "
        "FROM postings"
    ).fetchall()[0]
    assert no_set[:2] == (0, 0) and no_set[2] > 100


def test_migration_9_backfills_the_sets_and_the_premiums_stay(
    postings_db: Path, tmp_path: Path
) -> None:
    shutil.copy(postings_db, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    slice = PostingSlice(family="data_scientist", country="US")
    before = skill_premiums(store, slice=slice, reps=50)
    ids = _table(store, "SELECT posting_id, skill_set FROM postings")
    sets = _table(store, "SELECT * FROM posting_skill_sets")
    rows = _table(store, "SELECT * FROM posting_skills")
    with store.transaction() as con:  # the store as it was before migration 9
        con.execute("CREATE TABLE _skill_rows AS SELECT * FROM posting_skills")
        con.execute("DROP VIEW posting_skills")
        con.execute("ALTER TABLE _skill_rows RENAME TO posting_skills")
        con.execute("ALTER TABLE postings DROP COLUMN skill_set")
        con.execute("DROP TABLE posting_skill_sets")
    assert _table(store, "SELECT * FROM posting_skills") == rows
    with store.transaction() as con:
        con.execute(MIGRATIONS[8])
    assert _table(store, "SELECT posting_id, skill_set FROM postings") == ids
    assert _table(store, "SELECT * FROM posting_skill_sets") == sets
    assert _table(store, "SELECT * FROM posting_skills") == rows  # now the view
    after = skill_premiums(store, slice=slice, reps=50)
    assert len(before) >= 20 and after.keys() == before.keys()
    for name, b in before.items():  # the same sums, up to the order of floating-point additions
        a = after[name]
        assert (a.support_with, a.support_without) == (b.support_with, b.support_without)
        got, want = (a.premium, a.low, a.high, a.p_value), (b.premium, b.low, b.high, b.p_value)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    store.close()
