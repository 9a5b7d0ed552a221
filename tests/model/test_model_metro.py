"""Metro estimates: the US estimate times an OEWS differential, range widened, source named."""

from __future__ import annotations

import csv
import gzip
import json
import math

import pytest
from typer.testing import CliRunner

from payatlas.bundled import data_dir
from payatlas.errors import InvalidInput
from payatlas.model import estimate
from payatlas.model.metro import widen
from payatlas.settings import Settings
from payatlas.store import Store

runner = CliRunner()


def _oews_median(cbsa: str, soc: str) -> float:
    with gzip.open(data_dir() / "oews_msa_may2025_pctiles.csv.gz", "rt", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["cbsa"] == cbsa and r["soc"] == soc]
    return float(row["a_median"])


def _cli(metro: str | None) -> dict:
    from payatlas.cli import app

    args = ["estimate", "--role", "ML Engineer", "--level", "senior", "--country", "US", "--json"]
    out = runner.invoke(app, [*args, *(["--metro", metro] if metro else [])])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_metro_estimate_carries_the_metro_differential_and_source(model_settings: Settings) -> None:
    austin = _cli("Austin, TX")
    assert austin["metro"]["cbsa"] == "12420"
    diff = austin["metro"]["differential"]
    assert diff["soc"] == "15-1252" and diff["match"] == "proxy"
    assert "BLS OEWS" in diff["source"] and diff["label"] == "Austin vs US"
    assert austin["reasons"][-1]["label"] == "Austin vs US"
    us = _cli(None)
    assert us.get("metro") is None
    assert austin["p50"] == pytest.approx(us["p50"] * diff["ratio"], rel=1e-3)
    # widened: the metro range is at least as wide (in ratio) as the US one
    assert austin["p90"] / austin["p10"] >= us["p90"] / us["p10"]


def test_san_francisco_over_austin_follows_the_oews_ordering(model_settings: Settings) -> None:
    sf, austin = _cli("San Francisco, CA"), _cli("Austin, TX")
    published = _oews_median("41860", "15-1252") / _oews_median("12420", "15-1252")
    ours = sf["p50"] / austin["p50"]
    assert math.copysign(1, math.log(ours)) == math.copysign(1, math.log(published))
    assert 1 < ours <= published  # damped toward 1 (the backtest's beta), never reversed


def test_a_metro_needs_a_us_profile(model_settings: Settings) -> None:
    with Store(model_settings.store_path, read_only=True) as store, pytest.raises(InvalidInput):
        estimate({"role": "ML Engineer", "country": "DE", "metro": "Austin, TX"},
                 settings=model_settings, store=store)  # fmt: skip


def test_widen_keeps_order_and_only_scales_without_uncertainty() -> None:
    q = (100.0, 130.0, 160.0, 200.0, 250.0)
    assert widen(q, ratio=1.5, log_sd=0.0) == tuple(round(v * 1.5) for v in q)
    wide = widen(q, ratio=1.0, log_sd=0.2)
    assert wide[2] == 160 and wide[0] < 100 and wide[4] > 250
    assert list(wide) == sorted(wide)
