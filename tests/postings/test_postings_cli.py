"""`payatlas demand` and `payatlas skills` as a user runs them (real entry point, subprocess), on
a home holding the fixed slice of real postings."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("payatlas")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, postings_db: Path) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    shutil.copy(postings_db, home / "payatlas.duckdb")
    return home


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=300)


def test_skills_for_us_data_scientists(home: Path) -> None:
    result = run(home, "skills", "--family", "data_scientist", "--country", "US", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["kind"] == "job_posting" and "not what people earn" in out["pay_label"]
    priced = [s for s in out["skills"] if s["premium"] is not None]
    assert len(priced) >= 20
    for s in priced:
        assert 0 < s["share"] <= 1
        assert s["premium_low"] <= s["premium"] <= s["premium_high"]
        assert 0 <= s["p_value"] <= s["p_adjusted"] <= 1
        assert s["support_with"] >= 30 and s["support_without"] >= 30


def test_demand_for_data_engineers_by_month(home: Path) -> None:
    result = run(home, "demand", "--family", "data_engineer", "--by", "month", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["label"] == "job postings" and out["by"] == ["month"]
    months = [r["month"] for r in out["rows"]]
    assert months == sorted(months) and len(months) == 12
    assert sum(r["postings"] for r in out["rows"] if r["postings"]) <= out["postings"]
    assert out["sources"][0]["credit"] == "data_jobs dataset by Luke Barousse"


def test_csv_and_tables(home: Path) -> None:
    result = run(home, "demand", "--by", "state", "--country", "US", "--top", "5", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 and {"state", "postings", "growth_low"} <= rows[0].keys()
    table = run(home, "skills", "--with", "pytorch", "--top", "5")
    assert table.returncode == 0 and "Skills in job postings with pytorch" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("demand", "--by", "galaxy"), "by must be one or two of"),
        (("skills", "--with", "cobolt"), "unknown skill 'cobolt'"),
        (("skills", "--country", "Atlantis"), "unknown country"),
        (("demand", "--json", "--csv"), "choose one of --json and --csv"),
    ],
)
def test_bad_options_are_one_line_errors(home: Path, args: tuple[str, ...], message: str) -> None:
    result = run(home, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
