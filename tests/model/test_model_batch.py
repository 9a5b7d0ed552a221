"""Batch estimates: same rows, same order, the documented columns, equal to single estimates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from payatlas.bundled import aijobs_path
from payatlas.model import OUTPUT_COLUMNS, estimate, estimate_batch
from payatlas.model.batchfile import estimate_file
from payatlas.schema import Profile
from payatlas.settings import Settings

EXE = Path(sys.executable).with_name("payatlas")


def test_batch_matches_single_estimates(model_settings: Settings) -> None:
    frame = pd.DataFrame(
        {
            "role": ["ML Engineer", "Data Analyst", "ML Engineer", "Nope Nope", "Data Analyst"],
            "country": ["DE", "US", "DE", "US", "Atlantis"],
            "level": ["senior", "entry", "senior", "mid", "mid"],
            "remote": [0, 100, 0, 0, 0],
        }
    )
    out = estimate_batch(frame, settings=model_settings)
    assert list(out.columns) == [*frame.columns, *OUTPUT_COLUMNS]
    assert len(out) == len(frame)
    assert out["role"].tolist() == frame["role"].tolist()
    for i in (0, 1):
        single = estimate(Profile(**frame.iloc[i].to_dict()), settings=model_settings)
        row = out.iloc[i]
        assert [row.p10_usd, row.p50_usd, row.p90_usd] == [single.p10, single.p50, single.p90]
        assert row.n_comparable == single.n_comparable
        assert row.confidence == single.confidence
    assert out.iloc[0].p50_usd == out.iloc[2].p50_usd
    assert out.iloc[3].confidence == "unresolved" and pd.isna(out.iloc[3].p50_usd)
    assert set(out.attrs["errors"]) == {3, 4}
    assert "country" in out.attrs["errors"][4]


def test_batch_of_profiles(model_settings: Settings) -> None:
    profiles = [
        Profile(role="Data Engineer", country="GB"),
        Profile(role="AI Engineer", country="US"),
    ]
    out = estimate_batch(profiles, settings=model_settings)
    assert len(out) == 2 and (out["p10_usd"] < out["p90_usd"]).all()


def test_bundled_file_gives_one_row_per_input_row(model_settings: Settings) -> None:
    result = estimate_file(aijobs_path(), settings=model_settings)
    assert result.adapter == "aijobs" and result.rows == 51_081
    out = result.frame
    assert len(out) == 51_081
    assert list(out.columns[-len(OUTPUT_COLUMNS) :]) == list(OUTPUT_COLUMNS)
    assert out.columns[0] == "work_year" and "salary_in_usd" in out.columns
    resolved = out["confidence"] != "unresolved"
    assert resolved.mean() > 0.99
    assert (out.loc[resolved, "p10_usd"] <= out.loc[resolved, "p90_usd"]).all()
    assert len(result.unresolved) == (~resolved).sum()
    # the privacy rule on real data: no count from 1 to the threshold - 1, and every withheld
    # count of a resolved row is labelled low
    n = out["n_comparable"]
    threshold = model_settings.privacy_threshold
    assert not ((n > 0) & (n < threshold)).any()
    withheld = resolved & n.isna()
    assert withheld.any() and (n[resolved].dropna() >= 0).all()
    assert (out.loc[withheld, "confidence"] == "low").all()
    assert "n_comparable_note" not in out.columns  # the file contract: OUTPUT_COLUMNS only


def test_cli_batch_and_single(model_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "few.csv"
    pd.read_csv(aijobs_path()).head(40).to_csv(src, index=False)
    env = {**os.environ, "PAYATLAS_HOME": str(model_home)}
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [str(EXE), "estimate", "--input", str(src), "--output", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    original = pd.read_csv(src)
    assert len(frame) == len(original)
    assert list(frame.columns) == [*original.columns, *OUTPUT_COLUMNS]
    assert frame["job_title"].tolist() == original["job_title"].tolist()
    single = subprocess.run(
        [
            str(EXE),
            "estimate",
            "--role",
            "ML Engineer",
            "--level",
            "senior",
            "--country",
            "DE",
            "--company-size",
            "L",
            "--remote",
            "50",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert single.returncode == 0, single.stderr
    assert '"company_size": "L"' in single.stdout and '"remote": 50' in single.stdout
    bad = subprocess.run(
        [str(EXE), "estimate", "--role", "ML Engineer", "--country", "Narnia"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "unknown country" in bad.stderr


@pytest.mark.parametrize("column", ["role", "country"])
def test_batch_requires_role_and_country(column: str, model_settings: Settings) -> None:
    from payatlas.errors import InvalidInput

    frame = pd.DataFrame({"role": ["Data Scientist"], "country": ["US"]}).drop(columns=[column])
    with pytest.raises(InvalidInput):
        estimate_batch(frame, settings=model_settings)
