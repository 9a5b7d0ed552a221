"""The batch CSV writer (DuckDB's) writes what ``DataFrame.to_csv(index=False)`` writes, byte for
byte: quotes, commas, newlines, empty strings, nulls, unicode, floats, nullable integers; frames
it cannot match (booleans, mixed objects, carriage returns) are written by pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payatlas.model.batchfile import write_csv

TEXT = ["x,y", 'he said "hi"', "line\nbreak", "'=1+1", "", " lead", "trail ", "tab\there",
        "ünï", None]  # fmt: skip
BASE = pd.DataFrame(
    {
        "text": pd.array(TEXT, dtype="string"),
        "obj": np.array(["x", "", "y", None, "z", "w", '"', "q", "r", "s"], dtype=object),
        "p50_usd": [1.5, np.nan, 1e16, 1e-5, 0.1 + 0.2, 123400.0, -0.0, 2.0, 1 / 3, np.inf],
        "n_comparable": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
        "a, b": ["m"] * 10,
        "int": np.arange(10),
    }
)


@pytest.mark.parametrize(
    "frame",
    [
        BASE,
        BASE.assign(flag=[True, False] * 5),
        BASE.assign(mixed=np.array([1, "=a", 2.5, None, "", 3, 4, 5, 6, 7], dtype=object)),
        BASE.assign(text="cr\rhere"),
        BASE.iloc[:0],
    ],
    ids=["text-and-numbers", "booleans", "mixed-objects", "carriage-return", "empty"],
)
def test_the_batch_csv_is_what_pandas_writes(frame: pd.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(frame, out)
    assert out.read_bytes() == frame.to_csv(index=False).encode("utf-8")
