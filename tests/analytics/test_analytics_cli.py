"""The analytics commands print what the library returns: tables, --json and --csv."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from payatlas.analytics import Slice, benchmark
from payatlas.settings import Settings
from payatlas.store import Store

runner = CliRunner()


def test_benchmark_json_groups(bundled_env: Settings, bundled_home: Path) -> None:
    from payatlas.cli import app

    out = runner.invoke(
        app, ["benchmark", "--role", "ML Engineer", "--by", "country", "--by", "level", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["basis"]["unit"] == "survey records"
    assert data["basis"]["row_policy"] == "all rows"
    assert data["by"] == ["country", "level"]
    for g in data["groups"]:
        if g["suppressed"]:
            assert set(g) == {"country", "level", "suppressed", "note"}
        else:
            assert {"n", "p10", "p25", "p50", "p75", "p90", "mean"} <= set(g)
            assert g["p10"] <= g["p25"] <= g["p50"] <= g["p75"] <= g["p90"]
    with Store(bundled_home / "payatlas.duckdb", read_only=True) as s:
        lib = benchmark(
            s, slice=Slice(role="ML Engineer"), by=["country", "level"], settings=bundled_env
        )
    assert data == json.loads(json.dumps(lib.as_dict()))


def test_benchmark_csv_and_table(bundled_env: Settings) -> None:
    from payatlas.cli import app

    out = runner.invoke(
        app, ["benchmark", "--by", "region", "--distinct", "--year", "2024", "--csv"]
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {"region", "n", "p50", "suppressed"} <= set(rows[0])
    assert "north_america" in {r["region"] for r in rows}
    table = runner.invoke(app, ["benchmark", "--by", "level", "--country", "GB"])
    assert table.exit_code == 0
    assert "senior" in table.output and "survey records" in table.output


def test_trend_and_premium_commands(bundled_env: Settings) -> None:
    from payatlas.cli import app

    out = runner.invoke(app, ["trend", "--role", "Data Engineer", "--json"])
    data = json.loads(out.output)
    assert data["years"] and "not job postings" in data["submissions_label"]
    table = runner.invoke(app, ["trend", "--role", "Data Engineer"])
    assert "90% interval" in table.output and "not job postings" in table.output
    prem = runner.invoke(app, ["premium", "--which", "ai_ml", "--which", "remote", "--json"])
    p = json.loads(prem.output)
    assert [x["key"] for x in p["premiums"]] == ["ai_ml", "remote"]
    assert p["premiums"][0]["cohort"]["low_pct"] is not None


def test_errors_are_one_line_with_exit_code(bundled_home: Path) -> None:
    env = {**os.environ, "PAYATLAS_HOME": str(bundled_home)}
    for args in (
        ["benchmark", "--by", "salary"],
        ["benchmark", "--country", "Atlantis"],
        ["trend", "--year", "soon"],
    ):
        proc = subprocess.run(
            [sys.executable, "-c", "from payatlas.cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.startswith("error:") and len(proc.stderr.strip().splitlines()) == 1
