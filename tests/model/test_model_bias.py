"""The P50 is the point model's prediction: the calibration's residual grids are centred, so
the window's median residual (drift the refitted model has already learned) is not added again,
which was the upward bias on later arrivals (#11, docs/methodology.md)."""

from __future__ import annotations

import numpy as np
from payatlas_gate import FAST, GateRegistry

from payatlas.model.calibration import MEDIAN
from payatlas.model.data import load_frame
from payatlas.model.registry import load_model
from payatlas.model.train import fit_model
from payatlas.settings import Settings
from payatlas.store import Store


def test_the_p50_is_the_point_prediction(gate_reg: GateRegistry) -> None:
    model = load_model(gate_reg.champion, Settings(home=gate_reg.models.parent))
    assert model.meta["params"]["cal_median_offset"] is False
    assert all(grid[MEDIAN] == 0.0 for grid in model.calibration.grids.values())
    with Store(gate_reg.stores.v1, read_only=True) as store:
        frame = load_frame(store, version=1).iloc[::7].reset_index(drop=True)
    # the calibrated P50 (before the thin-cell structure and the level ladder move some cells)
    q = model._model(frame)
    np.testing.assert_allclose(q[:, 2], model.point(frame), atol=1e-12)
    assert (q[:, 0] < q[:, 2]).all() and (q[:, 2] < q[:, 4]).all()


def test_the_old_median_offset_moves_the_p50(gate_reg: GateRegistry) -> None:
    """With ``cal_median_offset`` the P50 moves by the window's median residual (the figure the
    fix removes); without it the spread around the P50 is the same."""
    with Store(gate_reg.stores.v1, read_only=True) as store:
        frame = load_frame(store, version=1).iloc[::2].reset_index(drop=True)
    old = fit_model(frame, params={**FAST, "cal_median_offset": True}, seed=7, threads=1)
    new = fit_model(frame, params=FAST, seed=7, threads=1)
    # the calibrated quantiles before the thin-cell structure and the level ladder, which
    # pool across cells and levels (the offset is per calibration group)
    qo, qn = old._model(frame), new._model(frame)
    np.testing.assert_allclose(old.point(frame), new.point(frame), atol=1e-12)
    offset = qo[:, 2] - qn[:, 2]
    assert np.abs(offset).max() > 0.005  # the window's drift was added to the P50
    np.testing.assert_allclose(qo - offset[:, None], qn, atol=1e-9)
