"""Versions you can manage (#10): `payatlas data drop VERSION` removes an ingest atomically,
the same content is refused whatever `--source` says (`--force` overrides), and exact duplicates
across files are flagged. Library and the real console script on real DuckDB files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from payatlas_types import check

from payatlas.errors import DuplicateFile, UnknownVersion
from payatlas.ingest import ingest
from payatlas.model.stale import DropReport
from payatlas.store import Store
from payatlas.store import drop as drop_module
from payatlas.store.drop import drop_version

EXE = Path(sys.executable).with_name("payatlas")
MAPPING = (
    '[source]\nname = "team-survey"\n[columns]\ntitle = "title"\npay = "pay"\n'
    'country = "country"\ndate = "date"\n[defaults]\ncurrency = "USD"\nperiod = "year"\n'
)
FIRST = "title,pay,country,date\n" + "".join(
    f"Data Scientist,{100_000 + i * 1_000},US,2024-05-0{1 + i % 9}\n" for i in range(12)
)
#: the first file's first three rows again (exact duplicates across files), and two new rows
SECOND = (
    "title,pay,country,date\n"
    + "".join(FIRST.splitlines(keepends=True)[1:4])
    + "ML Engineer,150000,DE,2024-06-01\nML Engineer,bad pay,DE,2024-06-01\n"
)


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "a.csv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.csv").write_text(SECOND, encoding="utf-8")
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "m.toml"


def _counts(store: Store, version: int) -> tuple[int, ...]:
    """(records, rejects, version rows) of one dataset version."""
    return tuple(
        int(store.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [version])
            .fetchone()[0])
        for table, column in (("record_rows", "dataset_version"), ("rejects", "dataset_version"),
                              ("dataset_versions", "version"))
    )  # fmt: skip


def test_drop_removes_one_ingest_and_only_it(store: Store, tmp_path: Path) -> None:
    a, b, m = _files(tmp_path)
    first = ingest(a, store=store, mapping=m)
    second = ingest(b, store=store, mapping=m)
    assert (first.dataset_version, second.dataset_version) == (1, 2)
    assert _counts(store, 2) == (4, 1, 1)
    rejects_file = Path(second.rejects_file or "")
    assert rejects_file.is_file()
    dropped = drop_version(store, 2)
    assert (dropped.version, dropped.records, dropped.rejects, dropped.postings) == (2, 4, 1, 0)
    assert dropped.source == "team-survey" and dropped.source_file == "b.csv"
    assert _counts(store, 2) == (0, 0, 0)
    assert _counts(store, 1) == (12, 0, 1)  # the other version untouched
    assert not rejects_file.exists()
    assert [v.version for v in store.versions()] == [1]
    with pytest.raises(UnknownVersion, match=r"dataset version 2 does not exist \(versions: 1\)"):
        drop_version(store, 2)


def test_a_failed_drop_changes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _, m = _files(tmp_path)
    ingest(a, store=store, mapping=m)
    # the records go first; then a statement fails: the transaction must take the delete back
    broken = (("record_rows", "dataset_version"), ("rejects", "no_such_column"))
    monkeypatch.setattr(drop_module, "_TABLES", broken)
    with pytest.raises(Exception, match="no_such_column"):
        drop_version(store, 1)
    assert _counts(store, 1) == (12, 0, 1)


def test_same_content_refused_whatever_the_source_and_duplicates_flagged(
    store: Store, tmp_path: Path
) -> None:
    a, b, m = _files(tmp_path)
    ingest(a, store=store, mapping=m)
    for source in (None, "renamed"):
        with pytest.raises(DuplicateFile, match="payatlas data drop 1"):
            ingest(a, store=store, mapping=m, source=source)
    second = ingest(b, store=store, mapping=m)
    assert second.flags.get("duplicate_across_files") == 3
    flagged = store.execute(
        "SELECT source_row FROM record_rows WHERE dataset_version = 2 "
        "AND list_contains(flags, 'duplicate_across_files') ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in flagged] == [1, 2, 3]
    first_rows = store.execute(
        "SELECT count(*) FROM record_rows WHERE dataset_version = 1 AND len(flags) > 0"
    ).fetchone()[0]
    assert first_rows == 0  # the earlier file's rows are the originals
    drop_version(store, 1)  # the originals gone: a re-ingest of the first file is new again
    again = ingest(a, store=store, mapping=m)
    assert again.flags.get("duplicate_across_files") == 3  # now b.csv holds the earlier copies


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(home), "COLUMNS": "120"}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=120)


def test_cli_drop_repeat_and_force(tmp_path: Path) -> None:
    a, _, m = _files(tmp_path)
    home = tmp_path / "home"
    done = _cli(home, "ingest", str(a), "--mapping", str(m), "--json")
    assert done.returncode == 0, done.stderr
    again = _cli(home, "ingest", str(a), "--mapping", str(m), "--source", "another-name")
    assert again.returncode == 1 and "already ingested" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and "Traceback" not in again.stderr
    forced = _cli(home, "ingest", str(a), "--mapping", str(m), "--force", "--json")
    assert forced.returncode == 0 and json.loads(forced.stdout)["dataset_version"] == 2
    assert json.loads(forced.stdout)["flags"]["duplicate_across_files"] == 12
    dropped = _cli(home, "data", "drop", "2", "--json")
    assert dropped.returncode == 0, dropped.stderr
    got = json.loads(dropped.stdout)
    check(DropReport, got)  # the library's type, as the API's drop answers it (#9)
    assert (got["version"], got["records"], got["stale_models"]) == (2, 12, [])
    text = _cli(home, "data", "drop", "1")
    assert text.returncode == 0 and "Dropped dataset version 1" in text.stdout
    assert "12 survey records" in text.stdout
    missing = _cli(home, "data", "drop", "7")
    assert missing.returncode == 2 and "dataset version 7 does not exist" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    versions = _cli(home, "data", "versions", "--json")
    assert json.loads(versions.stdout) == []
