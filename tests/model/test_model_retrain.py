"""`payatlas retrain`: a challenger on the latest data, gated against the champion, promoted only
on a win, the verdict recorded in MLflow; a refused challenger served in shadow on a real API."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from payatlas_live import server_env, start

from payatlas.model import promote, train_candidate
from payatlas.model.registry import champion_id, list_models, shadow_id
from payatlas.model.retrain import after_survey_ingest, retrain, retrain_log
from payatlas.model.shadow import log_path, shadow_stats
from payatlas.settings import Settings
from payatlas.store import Store

#: a champion crafted to be beaten (3 boosting rounds), and a challenger crafted to regress
WEAK = {"objectives": ["regression"], "num_boost_round": 3, "learning_rate": 0.05}


def test_retrain_promotes_a_win_refuses_a_regression_and_shadows_it(
    tmp_path: Path, bundled_db: Path, fast_params: dict[str, Any]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    settings = Settings(home=home)
    with Store.open(settings) as store:
        weak = train_candidate(store, settings, seed=5, params=WEAK)
        promote(weak.model_id, settings)
        assert after_survey_ingest(store, settings, version=store.latest_version() or 0) is None

        won = retrain(store, settings, seed=5, params=fast_params)
        assert won.verdict == "promoted" and won.promoted
        assert won.champion_before == weak.model_id
        assert champion_id(settings) == won.challenger != weak.model_id
        assert won.gate is not None and won.gate["candidate_mae_log"] < won.gate["champion_mae_log"]

        lost = retrain(store, settings, seed=6, params=WEAK, shadow=True)
    assert lost.verdict == "refused" and not lost.promoted
    assert "worse than champion" in lost.reason
    assert champion_id(settings) == won.challenger  # the champion stays
    assert shadow_id(settings) == lost.challenger
    log = retrain_log(settings)
    assert [(e["model_id"], e["verdict"]) for e in log] == [
        (won.challenger, "promoted"),
        (lost.challenger, "refused"),
    ]
    assert log[1]["reason"] == lost.reason and log[1]["shadow"] is True

    # the shadow on a real server: scored beside the champion, logged, never returned
    server = start(home)
    try:
        body = {"role": "ML Engineer", "country": "DE", "level": "senior"}
        with httpx.Client(base_url=server.url, timeout=30) as client:
            answers = [client.post("/v1/estimate", json=body) for _ in range(2)]  # 2nd: cached
        for r in answers:
            assert r.status_code == 200
            assert r.json()["model_version"] == won.challenger
            assert lost.challenger not in r.text
        path = log_path(settings, lost.challenger)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            not path.is_file() or len(path.read_text().splitlines()) < 2
        ):
            time.sleep(0.2)
        page = httpx.get(server.url + "/monitor", timeout=120)  # the shadow on the Monitor page
    finally:
        server.stop()
    assert page.status_code == 200
    shown = page.text.split('id="sh-h"', 1)[1]
    assert lost.challenger in shown and "Requests scored" in shown
    assert '<td class="num">2</td>' in shown
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(lines) == 2
    assert {x["champion"] for x in lines} == {won.challenger}
    assert lines[0]["champion_usd"][1] == answers[0].json()["p50"]
    assert lines[0]["shadow_usd"][1] != lines[0]["champion_usd"][1]
    stats = shadow_stats(settings, lost.challenger)
    assert stats.requests == 2 and stats.median_abs_p50_log_diff is not None
    assert stats.median_abs_p50_log_diff > 0

    got = subprocess.run(
        [sys.executable, "-c", "from payatlas.cli import main; main()", "models", "--json"],
        capture_output=True, text=True, timeout=120, env=server_env(home),
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    listed = {m["model_id"]: m for m in json.loads(got.stdout)}
    assert listed[lost.challenger]["shadow"] is True
    assert listed[lost.challenger]["shadow_stats"]["requests"] == 2
    assert listed[won.challenger]["champion"] is True
    assert {r.model_id for r in list_models(settings)} == {
        weak.model_id,
        won.challenger,
        lost.challenger,
    }
