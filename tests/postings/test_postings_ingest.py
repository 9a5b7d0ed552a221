"""The postings loader on real rows: every row accounted for, the known defects fixed and
flagged, postings kept apart from the survey records; a fresh `payatlas init` holds both."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from payatlas_postings import SLICE

from payatlas.errors import InvalidMapping, StoreError
from payatlas.ingest.posting_places import parse_place
from payatlas.ingest.postings import ingest_postings
from payatlas.store import Store

EXE = Path(sys.executable).with_name("payatlas")


def test_slice_rows_are_all_accounted_for(postings_store: Store) -> None:
    (version,) = postings_store.versions()
    assert version.kind == "job_posting"
    assert version.credit == "data_jobs dataset by Luke Barousse"
    assert version.accepted + version.rejected == version.rows_read == 5446
    n, skills = postings_store.execute(
        "SELECT count(*), (SELECT count(*) FROM posting_skills) FROM postings"
    ).fetchall()[0]
    assert n == version.accepted and skills > 4 * n * 0.8
    # postings are not survey records: the survey side of the store is still empty
    assert postings_store.latest_version() is None and postings_store.is_empty()
    assert postings_store.execute("SELECT count(*) FROM records").fetchall()[0][0] == 0


def test_sudan_rows_are_fixed_by_their_location_and_flagged(postings_store: Store) -> None:
    rows = postings_store.execute(
        "SELECT p.country, p.state, p.flags, p.location_raw FROM postings p "
        "JOIN (SELECT source_row FROM postings) USING (source_row) "
        "WHERE list_contains(flags, 'country_from_location') "
        "OR list_contains(flags, 'country_assumed_us')"
    ).fetchall()
    assert len(rows) >= 438  # the slice's Sudan rows (438), plus any other contradiction
    assert (
        postings_store.execute("SELECT count(*) FROM postings WHERE country = 'SD'").fetchall()[0][
            0
        ]
        == 0
    )
    austin = [r for r in rows if r[3] == "Austin, TX"]
    assert austin and all(r[0] == "US" and r[1] == "TX" for r in austin)


def test_hourly_pay_is_annualised_and_the_period_kept(postings_store: Store) -> None:
    rows = postings_store.execute(
        "SELECT pay_rate, pay_amount, annual_usd FROM postings WHERE pay_rate = 'hour' LIMIT 50"
    ).fetchall()
    assert rows and all(annual == amount * 2080 for _, amount, annual in rows)
    decimals = postings_store.execute(
        "SELECT count(*) FROM postings WHERE pay_rate = 'hour' AND pay_amount <> round(pay_amount)"
    ).fetchall()[0][0]
    assert decimals > 0  # 34.875 an hour stays 34.875, not 34,875


def test_posted_dates_come_from_excel_serials(postings_store: Store) -> None:
    lo, hi = postings_store.execute(
        "SELECT min(posted_date), max(posted_date) FROM postings"
    ).fetchall()[0]
    assert lo.year == hi.year == 2023


@pytest.mark.parametrize(
    ("location", "country", "expected"),
    [
        ("Austin, TX", "Sudan", ("Austin", "TX", "US", False, ("country_from_location",))),
        ("Anywhere", "Sudan", (None, None, "US", True, ("country_assumed_us",))),
        ("Anywhere", "Canada", (None, None, "CA", True, ())),
        ("Georgia", "United States", (None, "GA", "US", False, ())),
        ("Georgia", "Georgia", (None, None, "GE", False, ())),
        ("Toronto, ON, Canada", "Canada", ("Toronto", "ON", "CA", False, ())),
        ("Texas   (+2 others)", "Sudan",
         (None, "TX", "US", False, ("several_locations", "country_from_location"))),
        ("Dubai - United Arab Emirates", "United Arab Emirates", (None, None, "AE", False, ())),
    ],
)  # fmt: skip
def test_places(location: str, country: str, expected: tuple[object, ...]) -> None:
    p = parse_place(location, country)
    assert (p.city, p.state, p.country, p.remote, p.flags) == expected


def test_bad_rows_are_rejected_with_row_field_and_reason(store: Store, tmp_path: Path) -> None:
    with gzip.open(SLICE, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [next(reader) for _ in range(3)]
    rows[1][header.index("job_posted_date")] = "yesterday"
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    report = ingest_postings(path, store=store)
    assert (report.rows_read, report.accepted, report.rejected) == (3, 2, 1)
    (reject,) = store.execute("SELECT source_row, field, reason FROM rejects").fetchall()
    assert reject == (2, "job_posted_date", "not an Excel serial day or a date")
    with pytest.raises(StoreError, match="already ingested"):
        ingest_postings(path, store=store)


def test_a_file_without_the_postings_columns_is_refused_and_nothing_written(
    store: Store, examples: Path
) -> None:
    with pytest.raises(InvalidMapping, match="missing columns"):
        ingest_postings(examples / "acme_survey.csv", store=store)
    assert store.versions() == []


@pytest.mark.slow
def test_fresh_init_loads_the_survey_and_all_postings(tmp_path: Path) -> None:
    """The one full-file test: `payatlas init` on a fresh home, then `data versions --json`."""
    env = {**os.environ, "PAYATLAS_HOME": str(tmp_path / "home")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(EXE), *args], env=env, capture_output=True, text=True, timeout=600
        )

    init = run("init", "--json")
    assert init.returncode == 0, init.stderr
    out = json.loads(init.stdout)
    assert out["dataset_version"] == 1 and out["accepted"] == 51081  # the survey, as before
    postings = out["postings"]
    assert postings["rows_read"] == 32672
    assert postings["accepted"] >= 0.995 * 32672
    assert postings["accepted"] + postings["rejected"] == 32672
    assert (
        postings["flags"]["country_from_location"] + postings["flags"]["country_assumed_us"] >= 2680
    )
    versions = json.loads(run("data", "versions", "--json").stdout)
    kinds = {(v["source"], v["kind"], v["credit"]) for v in versions}
    assert kinds == {
        ("aijobs", "survey_submission", "aijobs.net salary index (CC0)"),
        ("data_jobs", "job_posting", "data_jobs dataset by Luke Barousse"),
    }
    again = json.loads(run("init", "--json").stdout)
    assert again["loaded"] is False and again["postings"] is None


def test_a_store_made_before_the_postings_tables_still_reads(tmp_path: Path) -> None:
    """Opened read-only (no migration), a store without the postings tables answers survey
    questions as before and says it holds no postings."""
    import duckdb

    from payatlas.analytics.demand import demand
    from payatlas.errors import EmptyStore
    from payatlas.store.schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
    )
    for number, sql in enumerate(MIGRATIONS[:3], start=1):
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)", [number])
    con.close()
    with Store(path, read_only=True) as old:
        assert old.latest_version() is None and old.versions() == []
        with pytest.raises(EmptyStore, match="no job postings"):
            demand(old)


def test_a_postings_version_publishes_its_rejects_file(tmp_path: Path) -> None:
    """A postings ingest leaves its version whole: the rejects file is published beside the
    survey's, so a reader finds nothing to repair afterwards."""
    from payatlas.store.rejects import needs_recovery

    with Store(tmp_path / "payatlas.duckdb") as store:
        report = ingest_postings(SLICE, store=store)
        assert report.rejects_file == str(tmp_path / "rejects" / f"v{report.dataset_version}.csv")
    rejects = Path(report.rejects_file)
    assert rejects.read_text().splitlines()[0].startswith("row,")
    assert len(rejects.read_text().splitlines()) == 1 + report.rejected
    with Store(tmp_path / "payatlas.duckdb", read_only=True) as store:
        assert not needs_recovery(store)
    assert list((tmp_path / "tmp").glob("*")) == []
