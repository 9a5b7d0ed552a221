"""The promotion gate's acceptance (#11): a deliberately worse candidate and one trained on a
version with shuffled pay are refused (library and `payatlas promote`); the plain LightGBM
challenger is promoted when it wins; the backtest's test window is the version's newest
arrivals. Small fixed stores (tests/support/payatlas_gate.py), real DuckDB and LightGBM."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from payatlas_gate import FAST as FAST_PARAMS
from payatlas_gate import SNAPSHOT_END, GateRegistry, gate_home

from payatlas.errors import PromotionRefused
from payatlas.model import champion_id, promote, promotion_log
from payatlas.model.backtest import TEST_MONTHS, rolling_cutoff
from payatlas.model.data import load_frame
from payatlas.model.registry import get_record
from payatlas.settings import Settings
from payatlas.store import Store

EXE = Path(sys.executable).with_name("payatlas")


def _settings(reg: GateRegistry, tmp_path: Path, models: Path, store: Path) -> Settings:
    return Settings(home=gate_home(tmp_path / "home", models, store))


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=600)


def test_the_backtest_tests_on_the_newest_arrivals(gate_reg: GateRegistry) -> None:
    reg = gate_reg
    with Store(reg.stores.real, read_only=True) as store:
        v1, v2 = load_frame(store, version=1), load_frame(store, version=2)
    champ = get_record(reg.champion, Settings(home=reg.models.parent))
    real = get_record(reg.real, Settings(home=reg.models.parent))
    # v1's window: its last TEST_MONTHS months of arrivals
    assert champ.backtest["cutoff"] == rolling_cutoff(v1).isoformat()
    last1 = v1["first_seen"].max()
    assert pd.Timestamp(champ.backtest["cutoff"]) > last1 - pd.DateOffset(months=TEST_MONTHS)
    assert champ.backtest["test_rows"] == int((v1["first_seen"] >= champ.backtest["cutoff"]).sum())
    # ingesting later arrivals moved the window onto them: every new record is a test record
    assert real.backtest["cutoff"] == rolling_cutoff(v2).isoformat() > champ.backtest["cutoff"]
    assert real.backtest["cutoff"] > v1["first_seen"].min().date().isoformat()
    new = v2["first_seen"] >= pd.Timestamp(SNAPSHOT_END)
    # every later row but the few other professions' titles, which are never trained on (#10)
    assert reg.stores.later_rows - 50 < int(new.sum()) <= reg.stores.later_rows
    assert int(new.sum()) > 1000
    assert pd.Timestamp(real.backtest["cutoff"]) <= v2.loc[new, "first_seen"].min()
    assert real.backtest["test_rows"] == int((v2["first_seen"] >= real.backtest["cutoff"]).sum())
    assert real.backtest["test_rows"] >= int(new.sum())
    assert real.backtest["train_rows"] + real.backtest["test_rows"] == len(v2)
    assert real.metrics["rows"]["overall"] == real.backtest["test_rows"]
    assert dt.date.fromisoformat(real.backtest["cutoff"]) < dt.date(2024, 10, 6)


def test_the_gate_refuses_a_deliberately_worse_candidate(
    gate_reg: GateRegistry, tmp_path: Path
) -> None:
    reg = gate_reg
    settings = _settings(reg, tmp_path, reg.models, reg.stores.v1)
    steps: list[str] = []
    with pytest.raises(PromotionRefused, match="beyond noise") as refused:
        promote(reg.worse, settings, progress=steps.append)
    msg = str(refused.value)
    assert f"worse than champion {reg.champion}" in msg and "paired-bootstrap interval" in msg
    assert "newest arrivals" in msg
    assert any(s.startswith(f"scoring champion {reg.champion}") for s in steps)
    assert any(s.startswith(f"scoring candidate {reg.worse}") for s in steps)
    assert champion_id(settings) == reg.champion
    # the champion was scored independently: its figures differ from the candidate's
    again = get_record(reg.champion, settings).rescored
    (entry,) = again.values()
    worse = get_record(reg.worse, settings)
    assert entry["metrics"]["mae_log"] < worse.metrics["mae_log"] - 0.02
    assert entry["test_rows"] == worse.backtest["test_rows"]


def test_the_gate_refuses_a_candidate_trained_on_shuffled_pay(
    gate_reg: GateRegistry, tmp_path: Path
) -> None:
    reg = gate_reg
    settings = _settings(reg, tmp_path, reg.models, reg.stores.shuffled)
    with pytest.raises(PromotionRefused, match="global-median predictor") as refused:
        promote(reg.shuffled, settings)
    assert "was pay shuffled?" in str(refused.value)
    assert champion_id(settings) == reg.champion
    # the same recipe on the real later arrivals passes that check
    real = get_record(reg.real, Settings(home=reg.models.parent))
    shuffled = get_record(reg.shuffled, settings)
    assert real.metrics["mae_log"] < shuffled.metrics["mae_log"] - 0.05


def test_promote_cli_refuses_worse_and_shuffled(gate_reg: GateRegistry, tmp_path: Path) -> None:
    reg = gate_reg
    home = gate_home(tmp_path / "worse", reg.models, reg.stores.v1)
    refused = run(home, "promote", reg.worse)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "worse than champion" in refused.stderr and "beyond noise" in refused.stderr
    assert "Traceback" not in refused.stderr
    home = gate_home(tmp_path / "shuffled", reg.models, reg.stores.shuffled)
    refused = run(home, "promote", reg.shuffled)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "global-median predictor" in refused.stderr
    listed = json.loads(run(home, "models", "--json").stdout)
    assert [m["model_id"] for m in listed if m["champion"]] == [reg.champion]


def test_the_plain_lightgbm_is_promoted_when_it_wins(
    gate_reg: GateRegistry, tmp_path: Path
) -> None:
    """Champion and candidate are weak models: the plain LightGBM challenger, scored on the
    same split, beats the candidate beyond noise and is trained and promoted instead."""
    reg = gate_reg
    settings = _settings(reg, tmp_path, reg.weak_models, reg.stores.v1)
    record = promote(reg.mediocre, settings)
    assert record.model_id != reg.mediocre and "-plain-" in record.model_id
    assert record.params["procedure"] == "plain" and record.champion
    assert champion_id(settings) == record.model_id
    entry = promotion_log(settings)[-1]
    assert entry["instead_of"] == reg.mediocre and entry["model_id"] == record.model_id
    assert entry["reason"].startswith("the plain LightGBM challenger beat candidate")
    used = entry["backtest"]
    assert used["plain_wins"] is True and used["plain_verdict"] is None
    assert used["plain_mae_log"] < used["candidate_mae_log"] < used["champion_mae_log"]
    assert used["plain_vs_candidate_mae_diff"][2] < 0
    # the plain model's own backtest is the same split, and its figures the gate's
    assert record.backtest["cutoff"] == used["cutoff"]
    assert record.metrics["mae_log"] == pytest.approx(used["plain_mae_log"], rel=1e-9)
    mediocre = get_record(reg.mediocre, settings)
    assert not mediocre.champion


def test_bias_is_reported_by_the_gate_the_models_list_and_the_card(
    gate_reg: GateRegistry, tmp_path: Path
) -> None:
    """Mean log error overall, per level and per region: in the gate's verdict (the promotion
    log), in `payatlas models` and in the model card."""
    from payatlas.model.backtest import evaluate
    from payatlas.model.card import model_card

    reg = gate_reg
    home = gate_home(tmp_path / "home", reg.models, reg.stores.real)
    done = run(home, "promote", reg.real)
    assert done.returncode == 0, done.stderr
    for who in ("candidate", "champion", "plain LightGBM"):
        assert f"bias of the {who}: overall " in done.stdout
    assert "senior " in done.stdout and "north_america " in done.stdout
    entry = promotion_log(Settings(home=home))[-1]
    bias = entry["backtest"]["candidate_bias"]
    assert {"overall", "entry", "mid", "senior", "region:north_america"} <= set(bias)
    real = get_record(reg.real, Settings(home=home))
    assert bias["overall"] == pytest.approx(real.metrics["bias_log"], rel=1e-9)

    table = run(home, "models")
    assert table.returncode == 0, table.stderr
    assert "bias" in table.stdout and f"{real.metrics['bias_log']:+.4f}" in table.stdout
    assert f"{reg.real} bias: overall {real.metrics['bias_log']:+.3f}; entry " in table.stdout

    with Store(reg.stores.v1, read_only=True) as store:
        report = evaluate(
            store, Settings(home=tmp_path / "eval"), cutoff="2024-06-01", params=FAST_PARAMS
        )
    champ = get_record(reg.champion, Settings(home=home)).as_dict()
    card = model_card(report, model=champ)
    assert "## Bias" in card and "| model | overall | US | non-US | entry |" in card
    ours = report.results["PayAtlas"]["bias"]
    assert f"| PayAtlas | {ours['overall']:+.3f} | {ours['US']:+.3f} |" in card
    assert f"The champion `{reg.champion}` on its own backtest" in card
    assert "|bias| (mean log error) <= 0.03" in card
