"""MLflow is the registry: runs with parameters, data version, fingerprint, metrics per group and
the model files; the champion is the registered model's alias, as MlflowClient reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from mlflow import MlflowClient

from payatlas.model import tracking
from payatlas.model.registry import champion_id, list_models, promotion_log
from payatlas.settings import Settings


def test_mlflow_reads_the_runs_and_the_champion_alias(model_settings: Settings) -> None:
    uri = tracking.tracking_uri(model_settings)
    assert uri.startswith("sqlite:///") and uri.endswith("/mlflow.db")
    client = MlflowClient(uri, registry_uri=uri)
    experiment = client.get_experiment_by_name(tracking.EXPERIMENT)
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id])
    champ = champion_id(model_settings)
    record = next(r for r in list_models(model_settings) if r.model_id == champ)
    run = next(r for r in runs if r.data.tags["model_id"] == champ)
    params, metrics = run.data.params, run.data.metrics
    assert params["data_version"] == str(record.data_version)
    assert params["data_fingerprint"] == record.backtest["data_fingerprint"] != "None"
    assert json.loads(params["param.num_boost_round"]) == record.params["num_boost_round"]
    assert metrics["mae_log"] == record.metrics["mae_log"]
    for group in ("overall", "US", "non-US", "senior"):
        assert metrics[f"coverage.{group}"] == record.metrics["coverage"][group]
    files = {a.path for a in client.list_artifacts(run.info.run_id, "model")}
    assert {"model/meta.json", "model/booster-0.txt", "model/calibration.json"} <= files
    version = client.get_model_version_by_alias(tracking.REGISTERED, "champion")
    assert version.tags["model_id"] == champ and version.run_id == run.info.run_id
    assert promotion_log(model_settings)[-1]["model_id"] == champ
    assert "promotion.reason" in version.tags


def test_a_home_from_before_mlflow_is_adopted(model_settings: Settings, tmp_path: Path) -> None:
    """Model folders and a registry.json without an MLflow store: the first listing registers
    them and replays the log, and the champion stays the champion."""
    champ = champion_id(model_settings)
    assert champ is not None
    old = Settings(home=tmp_path / "old")
    shutil.copytree(model_settings.model_dir / champ, old.model_dir / champ)
    entry = {"at": "2025-01-01T00:00:00+00:00", "model_id": champ, "previous": None,
             "force": False, "reason": "first champion", "backtest": None}  # fmt: skip
    (old.model_dir / "registry.json").write_text(json.dumps({"champion": champ, "log": [entry]}))
    assert champion_id(old) is None
    assert [r.model_id for r in list_models(old)] == [champ]
    assert champion_id(old) == champ
    assert promotion_log(old)[0]["reason"] == "first champion"
    assert not (old.model_dir / "registry.json").exists()
    uri = tracking.tracking_uri(old)
    alias = MlflowClient(uri, registry_uri=uri).get_model_version_by_alias("payatlas", "champion")
    assert alias.tags["model_id"] == champ


def test_an_estimate_does_not_import_mlflow(model_settings: Settings) -> None:
    code = (
        "import sys; from payatlas.model import estimate; from payatlas.schema import Profile; "
        "e = estimate(Profile(role='ML Engineer', country='US')); "
        "print(e.model_version, 'mlflow' in sys.modules)"
    )
    env = {"PAYATLAS_HOME": str(model_settings.home), "PATH": "/usr/bin:/bin"}
    env["PYTHONPATH"] = str(Path(tracking.__file__).parents[2])
    got = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert got.returncode == 0, got.stderr
    assert got.stdout.split() == [str(champion_id(model_settings)), "False"]
