"""CLI mistakes get one line naming the option or command (never a traceback), and every
command's --help shows an example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from payatlas.cli.reference import command_paths

EXE = Path(sys.executable).with_name("payatlas")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("trend", "--by", "level"), "--by"),
        (("offer", "--amount", "abc", "--role", "ML Engineer", "--country", "US"), "--amount"),
        (("estimate", "--remote", "hybrid"), "--remote"),
        (("benchmrk",), "benchmrk"),
        (("data", "shw"), "shw"),
        (("estimate", "--country", "US"), "--role"),  # a PayAtlas error: also one line
    ],
)
def test_a_mistake_is_one_line_naming_it(tmp_path: Path, args: tuple[str, ...], names: str) -> None:
    got = run(tmp_path, *args)
    assert got.returncode == 2
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1, got.stderr
    assert lines[0].startswith("error: ") and names in lines[0]
    assert "Traceback" not in got.stderr and got.stdout == ""


def test_no_arguments_prints_the_help(tmp_path: Path) -> None:
    got = run(tmp_path)
    assert got.returncode == 0 and "Usage" in got.stdout + got.stderr


def test_every_help_has_an_example(tmp_path: Path) -> None:
    for path in [[], *command_paths(), ["data"]]:
        got = run(tmp_path, *path, "--help")
        assert got.returncode == 0, got.stderr
        assert "Example: " in got.stdout and "payatlas " in got.stdout, path


def test_the_cli_imports_nothing_heavy_before_a_command_runs() -> None:
    """What `payatlas --help` and a typo pay for: no pandas, DuckDB, LightGBM, NumPy,
    pydantic-settings, Rich console or MLflow at import time (each command imports its own)."""
    heavy = ("pandas", "numpy", "duckdb", "lightgbm", "pydantic_settings", "rich.console")
    heavy += ("mlflow",)
    code = f"import sys, payatlas.cli; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip() == ""
