"""The batch estimate CSV neutralises formula cells from the input (#15 item 4), numbers stay
numbers, through the CLI as the user runs it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from payatlas.normalize.csvsafe import TRIGGERS

EXE = Path(sys.executable).with_name("payatlas")


def test_batch_output_neutralises_formula_cells(model_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "profiles.csv"
    pd.DataFrame(
        {
            "role": ['=HYPERLINK("http://evil.example","ML")', "Data Scientist", "@SUM(A1)"],
            "country": ["US", "DE", "US"],
            "note": ["=cmd|' /C calc'!A0", "-5", "+1"],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [str(EXE), "estimate", "--input", str(src), "--output", str(out)],
        env={**os.environ, "PAYATLAS_HOME": str(model_home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["role"] == '\'=HYPERLINK("http://evil.example","ML")'
    assert rows[0]["note"] == "'=cmd|' /C calc'!A0"
    assert rows[2]["role"] == "'@SUM(A1)"
    assert rows[1]["note"] == "-5" and rows[2]["note"] == "+1"  # plain numbers stay numbers
    assert float(rows[1]["p50_usd"]) > 0  # figures are numbers
    for row in rows:
        for key, value in row.items():
            assert not key.startswith(TRIGGERS)
            if value.startswith(TRIGGERS):
                float(value)  # only plain numbers may start with + or -
