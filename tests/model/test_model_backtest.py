"""The backtest: one run scores PayAtlas and the three baselines on a time-ordered split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from payatlas.model import evaluate
from payatlas.model.backtest import MODELS, BacktestReport
from payatlas.model.card import model_card
from payatlas.settings import Settings
from payatlas.store import Store


def test_backtest_reports_every_model(
    bundled_store: Store, tmp_path: Path, fast_params: dict[str, Any]
) -> None:
    FAST = fast_params
    settings = Settings(home=str(tmp_path))
    report = evaluate(bundled_store, settings, params=FAST)
    assert tuple(report.results) == MODELS
    # every bundled record but the other professions' titles, which are never trained on (#10)
    row = bundled_store.execute(
        "SELECT count(*) FROM records WHERE role_family <> 'out_of_scope'"
    ).fetchone()
    assert row is not None and 50_000 < row[0] < 51_081
    assert report.train_rows + report.test_rows == row[0]
    assert report.cutoff == "2024-07-01"
    for name, r in report.results.items():
        assert 0 < r["mae_log"] < 1, name
        assert 0.3 < r["coverage"]["overall"] < 1, name
        assert r["rows"]["non-US"] + r["rows"]["US"] == report.test_rows
        assert r["p90_p10"] > 1
    glob = report.results["global median"]
    assert report.results["PayAtlas"]["mae_log"] < glob["mae_log"]
    assert report.results["plain LightGBM"]["mae_log"] < glob["mae_log"]
    md = report.to_markdown()
    for name in MODELS:
        assert f"| {name} |" in md
    assert BacktestReport.from_dict(report.as_dict()).to_markdown() == md
    card = model_card(report)
    assert "Known limits" in card and "not job postings" in card and md in card
