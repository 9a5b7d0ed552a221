"""Years outside the data (extrapolated after, refused before) and confidence that follows the
effective sample size (duplicates once) and the spread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from payatlas.errors import YearOutsideData
from payatlas.model import estimate, estimate_batch
from payatlas.model.estimate import MEDIUM_MIN, confidence_label
from payatlas.model.evidence import COHORTS
from payatlas.model.registry import champion
from payatlas.settings import Settings

EXE = Path(sys.executable).with_name("payatlas")
DE = {"role": "ML Engineer", "country": "DE", "level": "senior"}


def test_a_year_after_the_data_is_extrapolated_with_a_wider_range(
    model_settings: Settings,
) -> None:
    last = int(champion(model_settings).meta["years"][1])
    now = estimate({**DE, "year": last}, settings=model_settings)
    ahead = estimate({**DE, "year": last + 2}, settings=model_settings)
    assert now.extrapolated_from is None and "extrapolated_year" not in now.flags
    assert ahead.extrapolated_from == last and "extrapolated_year" in ahead.flags
    assert ahead.p50 == now.p50
    assert ahead.p10 < now.p10 and ahead.p90 > now.p90
    assert ahead.spread > now.spread
    assert "extrapolated_year" in ahead.confidence_basis
    with pytest.raises(YearOutsideData, match="more than 3 years after"):
        estimate({**DE, "year": last + 4}, settings=model_settings)


def test_a_year_before_the_data_is_refused_in_single_and_batch(model_settings: Settings) -> None:
    first = int(champion(model_settings).meta["years"][0])
    with pytest.raises(YearOutsideData, match=f"before the data .pay years {first}") as err:
        estimate({**DE, "year": first - 1}, settings=model_settings)
    assert err.value.field == "year"
    rows = pd.DataFrame([{**DE, "year": first}, {**DE, "year": first - 1}, {**DE, "year": 2012}])
    out = estimate_batch(rows, settings=model_settings)
    assert out["confidence"].tolist()[1:] == ["unresolved", "unresolved"]
    assert out["p50_usd"].notna().tolist() == [True, False, False]
    errors = out.attrs["errors"]
    assert set(errors) == {1, 2}
    assert "year 2012 is before the data" in errors[2] and "'year'" in errors[2]


@pytest.mark.parametrize(
    ("command", "year"),
    [("estimate", "2012"), ("estimate", "2016"), ("offer --amount 100000", "2016")],
)
def test_cli_year_before_the_data_is_one_line_naming_year(
    model_settings: Settings, command: str, year: str
) -> None:
    env = {**os.environ, "PAYATLAS_HOME": str(model_settings.home), "COLUMNS": "100"}
    args = [*command.split(), "--role", "ML Engineer", "--country", "US", "--year", year]
    got = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=120)
    lines = got.stderr.strip().splitlines()
    print(lines)
    assert got.returncode == 2 and got.stdout == ""
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert f"--year {year}" in lines[0] and "pydantic" not in lines[0]


def test_confidence_follows_distinct_records_and_spread(model_settings: Settings) -> None:
    assert confidence_label(6, (), 5) == "low"  # never "medium" on 6 records
    assert confidence_label(MEDIUM_MIN, (), 5) == "medium"
    assert confidence_label(40, (), 5, spread=2.0) == "high"
    assert confidence_label(40, (), 5, spread=3.5) == "medium"
    ev = champion(model_settings).evidence
    cells = ev.counts[COHORTS[0][0]]
    dup = [k for k, n in cells.items() if ev.effective(k) < n and ev.effective(k) >= 1]
    assert dup, "the bundled data has duplicate records"
    thin = [k for k, n in cells.items() if 5 <= ev.effective(k) < MEDIUM_MIN]
    assert thin
    fam, level, country = thin[0].split("|")
    est = estimate({"role": fam, "level": level, "country": country}, settings=model_settings)
    print(est.confidence_basis)
    assert est.confidence == "low"
    assert est.spread == pytest.approx(est.p90 / est.p10, abs=0.01)
    assert f"P90/P10 {est.spread:.2f}" in est.confidence_basis
    assert "duplicates counted once" in est.confidence_basis
    d = est.as_dict()
    assert {"n_effective", "spread", "confidence_basis", "extrapolated_from"} <= set(d)
