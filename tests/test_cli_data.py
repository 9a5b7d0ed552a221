"""The data commands, run as a user would: the real `payatlas` entry point in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from payatlas_types import check

from payatlas.ingest.report import IngestReport
from payatlas.store.duckdb_store import DatasetVersion
from payatlas.store.summary import DataSummary

EXE = Path(sys.executable).with_name("payatlas")


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def loaded_home(tmp_path: Path, bundled_db: Path) -> Path:
    """A home whose store already holds the bundled data (copied, not re-ingested)."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(bundled_db, home / "payatlas.duckdb")
    return home


def test_ingest_json_report_and_rejects(loaded_home: Path, examples: Path) -> None:
    result = run(
        loaded_home,
        "ingest",
        str(examples / "acme_survey.csv"),
        "--mapping",
        str(examples / "acme_mapping.toml"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    check(IngestReport, report)  # --json prints the library's type, as POST /v1/ingest (#9)
    for key in (
        "rows_read",
        "accepted",
        "flagged",
        "rejected",
        "dataset_version",
        "by_role_family",
    ):
        assert key in report
    assert report["accepted"] + report["rejected"] == report["rows_read"] == 15
    assert report["dataset_version"] == 2
    assert Path(report["rejects_file"]).parent == loaded_home / "rejects"

    versions = json.loads(run(loaded_home, "data", "versions", "--json").stdout)
    check(list[DatasetVersion], versions)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["source"] == "acme-survey" and versions[1]["rejected"] == 6

    shown = json.loads(run(loaded_home, "data", "show", "--json").stdout)
    assert check(DataSummary, shown).records == shown["records"]
    assert shown["records"] == 51_081 + 9
    assert sum(shown["by_role_family"].values()) == shown["records"]


def test_table_output(loaded_home: Path) -> None:
    result = run(loaded_home, "data", "show")
    assert result.returncode == 0
    assert "51,081 survey records" in result.stdout
    assert "job posting" not in result.stdout.lower()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "no-such-file.csv"], "no-such-file.csv: no such file"),
        (["ingest", "{examples}/acme_survey.csv"], "unrecognised column layout"),
        (
            ["ingest", "{examples}/acme_survey.csv", "--mapping", "missing.toml"],
            "missing.toml: no such mapping file",
        ),
        (["data", "show", "--version", "7"], "the store is empty"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(
    tmp_path: Path, examples: Path, args: list[str], message: str
) -> None:
    result = run(tmp_path / "empty-home", *[a.format(examples=examples) for a in args])
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_init_is_idempotent(loaded_home: Path) -> None:
    result = run(loaded_home, "init", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["loaded"] is False and out["dataset_version"] == 1


def test_unknown_version(loaded_home: Path) -> None:
    result = run(loaded_home, "data", "show", "--version", "7")
    assert result.returncode == 1
    assert "no dataset version 7 in the store (versions 1-1)" in result.stderr
