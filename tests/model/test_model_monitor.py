"""Monitoring on ingest (#14): the bundled survey split by arrival (champion trained on the
submissions before June 2024; June's ingested later with the real `payatlas ingest`, then the
same rows with pay x 1.3). `payatlas monitor --json` must report what a direct computation gives,
and the shifted version must raise the alert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from payatlas_monitor import SHIFT, MonitorHome, monitor_home

from payatlas.model.data import to_model_frame
from payatlas.model.monitor import ALERT_MIN_RECORDS, monitor_ingest, monitor_report
from payatlas.model.registry import load_model
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> MonitorHome:
    return monitor_home(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def monitor_json(built: MonitorHome) -> dict[str, Any]:
    done = built.run("monitor", "--json")
    assert done.returncode == 3, done.stderr  # 3: an alert is raised (the shifted version)
    return dict(json.loads(done.stdout))


def _direct(home: Path, version: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The version's records straight from the store, and the champion's inside-P10-P90 flags."""
    settings = Settings(home=home)
    with Store(settings.store_path, read_only=True) as store:
        raw = store.execute(
            "SELECT raw_title, role_family, level, country, region, residence, remote_ratio, "
            "company_size, employment_type, pay_year, first_seen, is_duplicate, annual_usd "
            "FROM records WHERE dataset_version = ?",
            [version],
        ).fetchdf()
    frame = to_model_frame(raw)
    from payatlas.model.registry import champion_id

    # the champion's static ranges (the monitor does not score the ranges adapted on ingest)
    model = load_model(str(champion_id(settings)), settings).with_adaptation(None)
    q = model.log_quantiles(frame)
    y = frame["y"].to_numpy()
    return frame, (y >= q[:, 0]) & (y <= q[:, 4])


def _version(report: dict[str, Any], version: int) -> dict[str, Any]:
    return next(v for v in report["versions"] if v["dataset_version"] == version)


def _group(groups: list[dict[str, Any]], dimension: str, group: str) -> dict[str, Any]:
    return next(g for g in groups if g["dimension"] == dimension and g["group"] == group)


def test_the_ingest_scored_each_new_version(built: MonitorHome) -> None:
    later, shifted = built.ingest_output
    assert "dataset v2:" in later and f"scored by {built.champion}" in later
    assert "ALERT" not in later
    assert "dataset v3:" in shifted and "ALERT v3" in shifted


def test_monitor_json_reports_the_champions_coverage_on_later_records(
    built: MonitorHome, monitor_json: dict[str, Any]
) -> None:
    assert monitor_json["champion"] == built.champion
    assert monitor_json["champion_data_version"] == 1
    assert monitor_json["new_versions"] == [2, 3]
    later = _version(monitor_json, 2)
    assert later["stored"] is True and later["model_id"] == built.champion
    frame, inside = _direct(built.home, 2)
    assert later["records"] == len(frame) == len(pd.read_csv(built.later))
    overall = _group(later["groups"], "overall", "all")
    assert overall["coverage"] == pytest.approx(inside.mean(), abs=1e-12)
    for level in ("entry", "mid", "senior"):
        mask = (frame["level"] == level).to_numpy()
        found = _group(later["groups"], "level", level)
        assert found["records"] == mask.sum()
        assert found["coverage"] == pytest.approx(inside[mask].mean(), abs=1e-12)
    assert 0.6 < overall["coverage"] < 0.95  # an honest out-of-sample figure, not 0 or 1
    assert later["alerts"] == []


def test_the_alert_fires_on_a_shifted_version(monitor_json: dict[str, Any]) -> None:
    later = _group(_version(monitor_json, 2)["groups"], "overall", "all")
    shifted = _version(monitor_json, 3)
    top = _group(shifted["groups"], "overall", "all")
    # the same rows with pay x 1.3: the estimates are log(1.3) further below the pay
    assert top["bias"] == pytest.approx(later["bias"] - np.log(SHIFT), abs=2e-3)
    assert top["coverage"] < 0.75 < later["coverage"]
    assert any(a["dimension"] == "overall" for a in shifted["alerts"])
    assert all(a["records"] >= ALERT_MIN_RECORDS for a in monitor_json["alerts"])
    assert {"overall", "level"} <= {a["dimension"] for a in monitor_json["alerts"]}
    pay = {p["feature"]: p for p in shifted["drift"]["psi"]}["pay (log USD deciles)"]
    before = {p["feature"]: p for p in _version(monitor_json, 2)["drift"]["psi"]}
    after = {p["feature"]: p for p in shifted["drift"]["psi"]}
    assert pay["psi"] > before["pay (log USD deciles)"]["psi"]
    assert before["role_family"] == after["role_family"]  # the same rows but for their pay


def test_pooled_figures_are_the_direct_computation_over_both_versions(
    built: MonitorHome, monitor_json: dict[str, Any]
) -> None:
    both = np.concatenate([_direct(built.home, v)[1] for v in (2, 3)])
    pooled = _group(monitor_json["since_champion"], "overall", "all")
    assert pooled["records"] == len(both) == monitor_json["new_records"]
    assert pooled["coverage"] == pytest.approx(both.mean(), abs=1e-12)


def test_weeks_and_groups_respect_the_privacy_threshold(monitor_json: dict[str, Any]) -> None:
    weeks = _version(monitor_json, 2)["weeks"]
    assert weeks and all(w["records"] >= 5 for w in weeks)
    assert sum(w["records"] for w in weeks) <= _version(monitor_json, 2)["records"]
    assert all(g["records"] >= 5 for g in monitor_json["since_champion"])


def test_the_cli_table_names_the_alerts(built: MonitorHome) -> None:
    done = built.run("monitor")
    assert done.returncode == 3
    assert f"Champion {built.champion}" in done.stdout
    assert "fairness: furthest 80% coverage from 0.80" in done.stdout
    assert "ALERT: all new records" in done.stderr


def test_each_version_keeps_its_fairness_report(
    built: MonitorHome, monitor_json: dict[str, Any]
) -> None:
    fair = _version(monitor_json, 2)["fairness"]
    frame, inside = _direct(built.home, 2)
    assert fair["records"] == len(frame)
    remote = next(
        g for g in fair["groups"] if g["dimension"] == "remote" and g["group"] == "remote"
    )
    mask = (frame["remote"] >= 100).to_numpy()
    assert remote["coverage"]["value"] == pytest.approx(inside[mask].mean(), abs=1e-12)
    assert remote["coverage"]["low"] <= remote["coverage"]["value"] <= remote["coverage"]["high"]
    ranks = [g["coverage_gap"] for g in fair["groups"]]
    assert ranks == sorted(ranks, reverse=True)
    assert monitor_json["champion_fairness"]["basis"].startswith("Backtest")


def test_scores_are_stored_once_per_version_and_model(built: MonitorHome) -> None:
    settings = Settings(home=built.home)
    with Store(settings.store_path, read_only=True) as store:
        runs = store.execute(
            "SELECT dataset_version, model_id, count(*) FROM monitor_runs GROUP BY ALL ORDER BY 1"
        ).fetchall()
        report = monitor_report(store, settings)
        # the version the champion trained on is not new to it: nothing to score
        assert monitor_ingest(store, settings, version=1) is None
    assert runs == [(2, built.champion, 1), (3, built.champion, 1)]
    assert [v.stored for v in report.versions] == [True, True]


def test_without_new_versions_there_is_nothing_to_alert(model_settings: Settings) -> None:
    with Store(model_settings.store_path, read_only=True) as store:
        report = monitor_report(store, model_settings)
    assert report.champion is not None
    assert report.new_versions == [] and report.alerts == [] and report.versions == []
