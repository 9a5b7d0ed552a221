"""Ranges that recalibrate without retraining: a survey ingest moves the champion's P10/P90 per
level by the adaptive update, estimates use it at once, and a version is used once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from payatlas_crafted import MAPPING, build_crafted_home
from payatlas_rows import write_rows

from payatlas.ingest import ingest
from payatlas.model.adaptive import EVIDENCE_ROWS, GAMMA
from payatlas.model.data import load_frame
from payatlas.model.estimate_cache import estimate_dict
from payatlas.model.registry import champion_id, load_model
from payatlas.model.retrain import after_survey_ingest
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store

SENIOR = Profile(role="Data Scientist", country="US", level="senior", year=2024)
MID = Profile(role="Data Scientist", country="US", level="mid", year=2023)
N_NEW = 300


def test_a_survey_ingest_adapts_the_champions_ranges(tmp_path: Path) -> None:
    home = build_crafted_home(tmp_path)
    settings = Settings(home=home, privacy_threshold=5)
    champ = champion_id(settings)
    assert champ is not None
    before_senior = estimate_dict(SENIOR, settings=settings, reasons=False)
    before_mid = estimate_dict(MID, settings=settings, reasons=False)
    # later arrivals paid far above the champion's senior range (pay drifted up)
    rows = [
        {"title": "Data Scientist", "pay": 400_000 + 100 * i, "country": "US", "level": "senior",
         "year": 2024, "first_seen": f"2024-08-{1 + i % 28:02d}"}
        for i in range(N_NEW)
    ]  # fmt: skip
    data = write_rows(tmp_path / "later.csv", rows)
    (tmp_path / "later.toml").write_text(MAPPING)
    with Store(home / "payatlas.duckdb") as store:
        report = ingest(data, store=store, mapping=tmp_path / "later.toml")
        version = report.dataset_version
        assert after_survey_ingest(store, settings, version=version) is None  # no retrain
        new = load_frame(store, version=version).iloc[store.record_count(version - 1) :]
        again = after_survey_ingest(store, settings, version=version)  # a version counts once
    assert again is None and len(new) == N_NEW
    saved = json.loads((settings.model_dir / champ / "adaptive.json").read_text())
    assert saved["versions"] == [version] and saved["updates"] == 1 and saved["rows"] == N_NEW

    # the update, computed directly from the static range on the new records
    static = load_model(champ, settings).with_adaptation(None)
    q = static.log_quantiles(new.reset_index(drop=True))
    y = new["y"].to_numpy()
    rate = GAMMA * N_NEW / (N_NEW + EVIDENCE_ROWS)
    want_hi = rate * (np.mean(y > q[:, 4]) - 0.10)
    want_lo = -rate * (np.mean(y < q[:, 0]) - 0.10)
    assert saved["hi"]["senior"] == want_hi > 0.5
    assert saved["lo"]["senior"] == want_lo > 0
    assert set(saved["hi"]) == {"senior"}

    after_senior = estimate_dict(SENIOR, settings=settings, reasons=False)  # not the cached one
    after_mid = estimate_dict(MID, settings=settings, reasons=False)
    assert after_senior["p50"] == before_senior["p50"]
    # the calibrated range moves by the update exactly; the served one follows, up to the level
    # ladder, which may pool the widened senior P90 with the executive's (model.ladder)
    adapted = load_model(champ, settings)
    frame = new.reset_index(drop=True)
    moved = adapted._model(frame) - static._model(frame)
    np.testing.assert_allclose(moved[:, 4], want_hi, atol=1e-9)
    np.testing.assert_allclose(moved[:, 0], want_lo, atol=1e-9)
    ratio = after_senior["p90"] / before_senior["p90"]
    assert 1.1 < ratio <= np.exp(want_hi) * 1.001
    assert after_senior["p10"] > before_senior["p10"]
    assert after_mid == before_mid  # no new mid-level records: its range is unchanged
