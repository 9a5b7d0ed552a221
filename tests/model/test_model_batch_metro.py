"""Batch estimates honour a metro column the way single estimates do (#13)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from payatlas.model import estimate
from payatlas.model.batch import METRO_COLUMNS, OUTPUT_COLUMNS, estimate_batch
from payatlas.model.batchfile import estimate_file
from payatlas.settings import Settings

ROWS = [
    ("ML Engineer", "US", "senior", "Austin, TX"),
    ("ML Engineer", "US", "senior", None),
    ("Data Scientist", "US", "mid", "41860"),
    ("ML Engineer", "US", "senior", "Austin, TX"),
    ("ML Engineer", "DE", "senior", "Austin, TX"),
    ("ML Engineer", "US", "senior", "Narnia"),
]


def test_batch_metro_rows_match_single_metro_estimates(model_settings: Settings) -> None:
    frame = pd.DataFrame(ROWS, columns=["role", "country", "level", "metro"])
    out = estimate_batch(frame, settings=model_settings)
    assert list(out.columns) == [*frame.columns, *OUTPUT_COLUMNS, *METRO_COLUMNS]
    for i in (0, 1, 2):
        role, country, level, metro = ROWS[i]
        asked = {"role": role, "country": country, "level": level}
        single = estimate({**asked, **({"metro": metro} if metro else {})}, settings=model_settings)
        got = out.iloc[i]
        for p in ("p10", "p25", "p50", "p75", "p90"):
            assert got[f"{p}_usd"] == pytest.approx(getattr(single, p)), (i, p)
        if metro:
            assert single.metro is not None
            assert got["metro_cbsa"] == single.metro["cbsa"]
            assert got["metro_differential"] == pytest.approx(
                single.metro["differential"]["ratio"], abs=1e-4
            )
        else:
            assert pd.isna(got["metro_cbsa"]) and pd.isna(got["metro_differential"])
    assert out.iloc[3]["p50_usd"] == out.iloc[0]["p50_usd"]  # the same profile x metro
    errors = out.attrs["errors"]
    assert set(errors) == {4, 5}
    assert "for US rows" in errors[4] and "Narnia" in errors[5]
    assert (out.loc[[4, 5], "confidence"] == "unresolved").all()
    assert out.loc[[4, 5], "p50_usd"].isna().all()


def test_batch_file_with_a_metro_column(model_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "profiles.csv"
    path.write_text(
        'role,country,level,metro\nML Engineer,US,senior,"Austin, TX"\nML Engineer,US,senior,\n'
    )
    result = estimate_file(path, settings=model_settings)
    frame = result.frame
    assert frame.loc[0, "metro_cbsa"] == "12420"
    assert pd.isna(frame.loc[1, "metro_cbsa"])
    assert frame.loc[0, "p50_usd"] != frame.loc[1, "p50_usd"]
    assert result.unresolved == {}
