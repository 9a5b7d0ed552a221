"""The fairness gate rule on a real backtest's metrics (#14)."""

from __future__ import annotations

import numpy as np

from payatlas.model.data import load_frame
from payatlas.model.fairness import fairness_refusal, worst_gap
from payatlas.model.metrics import range_metrics
from payatlas.settings import Settings
from payatlas.store import Store


def test_fairness_gate_refuses_a_wider_worst_gap(model_settings: Settings) -> None:
    with Store(model_settings.home / "payatlas.duckdb", read_only=True) as store:
        frame = load_frame(store).head(3000)
    y = frame["y"].to_numpy()
    p50 = np.full(len(y), float(np.median(y)))
    lo, hi = np.quantile(y, [0.1, 0.9])
    good = range_metrics(y, p50, np.full(len(y), lo), np.full(len(y), hi), frame)
    narrow = range_metrics(y, p50, p50 - 0.02, p50 + 0.02, frame)
    assert worst_gap(narrow) > worst_gap(good) + 0.03  # type: ignore[operator]
    assert fairness_refusal(narrow, good) is not None
    assert fairness_refusal(good, narrow) is None
    assert fairness_refusal(good, good) is None
