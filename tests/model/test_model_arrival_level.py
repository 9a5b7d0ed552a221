"""The newest pay year's level is the precision-weighted mean over arrival batches, not rows
(payatlas.model.arrival_level, #11): a single large batch does not set the level of the next
arrivals, the point moves by the recorded offset for the newest pay year only, and the plain
LightGBM challenger stays plain."""

from __future__ import annotations

import numpy as np
import pandas as pd
from payatlas_gate import FAST, GateRegistry

from payatlas.model.arrival_level import batch_level
from payatlas.model.data import load_frame
from payatlas.model.train import PLAIN_PARAMS, fit_model
from payatlas.store import Store


def test_a_large_batch_counts_as_one_batch() -> None:
    rng = np.random.default_rng(3)
    days = pd.Series(
        [pd.Timestamp("2024-07-28")] * 2000
        + [pd.Timestamp("2024-01-07") + pd.Timedelta(weeks=w) for w in range(20) for _ in range(50)]
    )
    residuals = rng.normal(0.0, 0.4, len(days))
    residuals[:2000] += 0.12  # the large batch is paid 12% more than the rest
    level = batch_level(residuals, days)
    print(f"row mean {residuals.mean():+.4f}, batch level {level}")
    assert level["batches"] == 21 and level["rows"] == 3000
    assert residuals.mean() > 0.07  # row by row, the large batch sets the level
    assert abs(level["offset"]) < 0.03  # batch by batch it is one of 21
    assert level["between_sd"] > 0.01


def test_equal_batches_keep_the_row_mean() -> None:
    days = pd.Series([pd.Timestamp("2024-03-03") + pd.Timedelta(weeks=i % 8) for i in range(800)])
    residuals = np.random.default_rng(5).normal(0.02, 0.3, 800)
    level = batch_level(residuals, days)
    assert abs(level["offset"] - residuals.mean()) < 1e-6  # equal sizes: equal weights


def test_the_offset_moves_the_newest_pay_year_only(gate_reg: GateRegistry) -> None:
    with Store(gate_reg.stores.v1, read_only=True) as store:
        frame = load_frame(store, version=1).iloc[::2].reset_index(drop=True)
    on = fit_model(frame, params=FAST, seed=7, threads=1)
    off = fit_model(frame, params={**FAST, "batch_level": False}, seed=7, threads=1)
    level = on.meta["arrival_level"]
    newest = int(frame["year"].max())
    print(f"arrival level of {newest}: {level}")
    assert level["year"] == newest and level["batches"] > 1 and level["offset"] != 0.0
    assert "arrival_level" not in off.meta
    moved = on.point(frame) - off.point(frame)
    is_newest = (frame["year"] == newest).to_numpy()
    np.testing.assert_allclose(moved[is_newest], level["offset"], atol=1e-9)
    np.testing.assert_allclose(moved[~is_newest], 0.0, atol=1e-12)
    rows = frame.iloc[:5].to_dict("records")
    np.testing.assert_allclose(on.point_rows(rows), on.point(frame.iloc[:5]), atol=1e-9)
    plain = fit_model(frame, params=PLAIN_PARAMS, seed=7, threads=1)
    assert "arrival_level" not in plain.meta  # the challenger stays plain
