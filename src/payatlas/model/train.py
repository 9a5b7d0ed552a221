"""Fit the PayAtlas model: one LightGBM point model on log pay plus conformal residual ranges.

Steps (all deterministic given the seed):

1. Split the rows by arrival (``first_seen``): the last ``cal_months`` months are the
   calibration window, everything before it is the proper training set.
2. Fit encoders and the point model on the proper set; its residuals on the window calibrate the
   ranges per group (:mod:`payatlas.model.calibration`).
3. Refit encoders and the point model on all rows (the ranges keep the held-out residuals).
4. Count the evidence per cohort cell (:mod:`payatlas.model.evidence`).

Rows can be weighted by recency of arrival (half-life ``halflife_days``; 0 = equal weights, the
default, because weighting did not help the backtest); every accepted record is a training row,
duplicates included (both choices are measured in docs/methodology.md).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from payatlas.errors import EmptyStore
from payatlas.model.arrival_level import batch_level
from payatlas.model.artifact import FittedModel
from payatlas.model.calibration import MEDIAN, Calibration, fit_calibration, group_keys
from payatlas.model.evidence import build_evidence
from payatlas.model.features import (
    CATEGORICAL,
    FEATURES,
    MONOTONE,
    Encoders,
    encode,
    fit_encoders,
)
from payatlas.model.structure import as_us, country_effects

if TYPE_CHECKING:
    import lightgbm as lgb

DEFAULT_PARAMS: dict[str, Any] = {
    "objectives": ["regression", "l1"],
    "learning_rate": 0.03,
    "num_boost_round": 600,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "cat_smooth": 10.0,
    "min_data_per_group": 20,
    "shrink_k": 10.0,
    "halflife_days": 0.0,  # recency weighting measured; it did not help (docs/methodology.md)
    "cal_months": 6,  # chosen on five validation splits (benchmarks/calibration_study.py)
    "cal_windows": 1,
    "cal_halflife_days": 0.0,
    "cal_min_rows": 30,
    "cal_margin_z": 0.0,
    "cal_by_family": False,  # measured on validation + test backtests, not adopted
    "monotone_level": True,  # pay non-decreasing in level (features.MONOTONE, #11)
    "borrow_structure": True,  # thin cells lean on country x family-level (model.structure)
    # False: the P50 is the point model's (residual grids centred on their median). The median
    # residual of the pre-window model on the window is drift the refitted model has already
    # learned; adding it again was the upward bias on later arrivals (#11, docs/methodology.md)
    "cal_median_offset": False,
    # the newest pay year's level is the precision-weighted mean over arrival batches, not rows
    # (model.arrival_level; chosen on validation splits, benchmarks/bias_study.py, #11)
    "batch_level": True,
}
#: the plain LightGBM challenger (:data:`PLAIN_PARAMS`): the baselines' plain LightGBM point
#: model (:func:`payatlas.model.baselines.plain_lightgbm`: LightGBM defaults, 100 rounds at 0.1,
#: L2 on log pay, no shrunk cell means) with the same conformal ranges and evidence, so that it can
#: serve estimates; the gate always scores it beside a candidate (:mod:`payatlas.model.gate`)
PLAIN = "plain"
PLAIN_PARAMS: dict[str, Any] = {
    "procedure": PLAIN,
    "objectives": ["regression"],
    "learning_rate": 0.1,
    "num_boost_round": 100,
}
#: LightGBM settings the plain challenger leaves at LightGBM's defaults
_TUNED = ("num_leaves", "min_data_in_leaf", "cat_smooth", "min_data_per_group")
#: the shrunk-mean columns of the feature matrix (the plain challenger does not use them)
_SHRUNK = [FEATURES.index(f) for f in FEATURES if f.startswith("te_")]
MIN_TRAIN_ROWS = 50
#: objectives LightGBM cannot constrain monotonically (their boosters stay unconstrained; the
#: level ladder of payatlas.model.ladder orders the final quantiles either way)
NO_MONOTONE = frozenset({"l1", "regression_l1", "quantile", "mape"})
#: LightGBM trains single-threaded: the data are small (about 50k rows x 14 features), one thread
#: is deterministic, and OpenMP's spinning threads slow training several-fold when the cores are
#: shared with other work (measured: 6 s with 1 thread vs 26 s with 2 on a loaded 2-core box).
TRAIN_THREADS = 1


def _lgb_params(params: dict[str, Any], seed: int, threads: int) -> dict[str, Any]:
    ours = {
        "procedure",
        "objectives",
        "num_boost_round",
        "shrink_k",
        "halflife_days",
        "cal_months",
        "cal_windows",
        "cal_halflife_days",
        "cal_min_rows",
        "cal_margin_z",
        "cal_by_family",
        "monotone_level",
        "borrow_structure",
        "cal_median_offset",
        "batch_level",
    }
    out = {k: v for k, v in params.items() if k not in ours}
    if is_plain(params):
        out = {k: v for k, v in out.items() if k not in _TUNED}
    out.update(
        verbose=-1,
        seed=seed,
        deterministic=True,
        force_row_wise=True,
        num_threads=min(threads, TRAIN_THREADS),
    )
    return out


def is_plain(params: dict[str, Any]) -> bool:
    """Whether ``params`` describe the plain LightGBM challenger (:data:`PLAIN_PARAMS`)."""
    return params.get("procedure") == PLAIN


def recency_weights(first_seen: pd.Series, halflife_days: float) -> np.ndarray:
    """Weight 1 for the newest arrival, halving every ``halflife_days`` before it."""
    if halflife_days <= 0:
        return np.ones(len(first_seen))
    age = (first_seen.max() - first_seen).dt.days.to_numpy(dtype="float64")
    return np.asarray(0.5 ** (age / halflife_days))


def fit_point(
    frame: pd.DataFrame, *, params: dict[str, Any], seed: int, threads: int
) -> tuple[list[lgb.Booster], Encoders]:
    """Encoders and the point boosters (one per objective, averaged) fitted on ``frame``."""
    import lightgbm as lgb

    enc, oof = fit_encoders(frame, k=float(params["shrink_k"]), seed=seed)
    x = encode(frame, enc, shrunk=oof)
    if is_plain(params):  # no shrunk cell means: all-missing columns are never split on
        x[:, _SHRUNK] = np.nan
    weight = recency_weights(frame["first_seen"], float(params["halflife_days"]))
    boosters = []
    for objective in params["objectives"]:
        data = lgb.Dataset(
            x,
            label=frame["y"].to_numpy(),
            weight=weight,
            feature_name=list(FEATURES),
            categorical_feature=list(CATEGORICAL),
            free_raw_data=False,
        )
        lgb_params = {**_lgb_params(params, seed, threads), "objective": objective}
        if params.get("monotone_level", True) and objective not in NO_MONOTONE:
            lgb_params["monotone_constraints"] = list(MONOTONE)
        rounds = int(params["num_boost_round"])
        boosters.append(lgb.train(lgb_params, data, num_boost_round=rounds))
    return boosters, enc


def predict_point(boosters: list[lgb.Booster], x: np.ndarray, *, threads: int) -> np.ndarray:
    """Mean of the boosters' predictions."""
    return np.mean([b.predict(x, num_threads=threads) for b in boosters], axis=0)


def fit_model(
    frame: pd.DataFrame,
    *,
    params: dict[str, Any] | None = None,
    seed: int = 42,
    threads: int = 2,
    privacy_threshold: int = 5,
) -> FittedModel:
    """Fit the full model (point + calibrated ranges + evidence) on ``frame``."""
    p = {**DEFAULT_PARAMS, **(params or {})}
    if len(frame) < MIN_TRAIN_ROWS:
        raise EmptyStore(f"need at least {MIN_TRAIN_ROWS} records to train, have {len(frame)}")
    frame = frame.reset_index(drop=True)
    end = pd.Timestamp(frame["first_seen"].max())
    months = int(p["cal_months"])
    residuals, groups, arrivals = [], [], []
    start = end
    for k in range(int(p["cal_windows"])):
        hi, start = start, end - pd.DateOffset(months=months * (k + 1))
        in_window = ((frame["first_seen"] > start) & (frame["first_seen"] <= hi)).to_numpy()
        before = (frame["first_seen"] <= start).to_numpy()
        if before.sum() < MIN_TRAIN_ROWS or not in_window.any():
            if k > 0:
                break
            in_window = np.arange(len(frame)) % 5 == 4  # no usable time split: every 5th row
            before = ~in_window
        window = frame.loc[in_window]
        boosters, enc = fit_point(frame.loc[before], params=p, seed=seed, threads=threads)
        residuals.append(
            window["y"].to_numpy() - predict_point(boosters, encode(window, enc), threads=threads)
        )
        groups.append(group_keys(window["country"], window["level"], window["role_family"]))
        arrivals.append(window["first_seen"])
    pooled = np.concatenate(residuals)
    halflife = float(p["cal_halflife_days"])
    weights = recency_weights(pd.concat(arrivals), halflife) if halflife > 0 else None
    calibration = fit_calibration(
        pooled,
        pd.concat(groups, ignore_index=True),
        min_rows=int(p["cal_min_rows"]),
        margin_z=float(p["cal_margin_z"]),
        weights=weights,
        by_family=bool(p["cal_by_family"]),
        window={"start": _day(start), "end": _day(end), "rows": str(len(pooled))},
    )
    if not bool(p["cal_median_offset"]):
        calibration = centred(calibration)
    boosters, enc = fit_point(frame, params=p, seed=seed, threads=threads)
    evidence = build_evidence(frame, privacy_threshold=privacy_threshold)
    meta = {
        "params": p,
        "seed": seed,
        "rows": len(frame),
        "years": [int(frame["year"].min()), int(frame["year"].max())],
        "latest_arrival": _day(end),
    }
    if bool(p.get("batch_level", False)) and not is_plain(p):
        meta["arrival_level"] = newest_level(frame, boosters, enc, threads=threads)
    model = FittedModel(boosters, enc, calibration, evidence, meta)
    if p.get("borrow_structure", True):  # thin cells lean on country x family-level (#11)
        us_p50 = model.log_quantiles(as_us(frame))[:, 2]
        model.meta["structure"] = country_effects(frame, us_p50)
    return model


def newest_level(
    frame: pd.DataFrame, boosters: list[lgb.Booster], enc: Encoders, *, threads: int
) -> dict[str, Any]:
    """The arrival-batch level of the newest pay year (:mod:`payatlas.model.arrival_level`):
    the offset the point prediction of that pay year (and later ones) takes."""
    year = int(frame["year"].max())
    rows = frame.loc[frame["year"] == year]
    residuals = rows["y"].to_numpy() - predict_point(boosters, encode(rows, enc), threads=threads)
    return {**batch_level(residuals, rows["first_seen"]), "year": year}


def centred(calibration: Calibration) -> Calibration:
    """The calibration with every residual grid shifted so that its median is 0: the ranges
    keep their spread, the P50 is the point model's prediction."""
    grids = {g: [round(v - grid[MEDIAN], 6) for v in grid] for g, grid in calibration.grids.items()}
    return Calibration(grids, calibration.counts, calibration.min_rows, calibration.window)


def _day(ts: pd.Timestamp | dt.date) -> str:
    return pd.Timestamp(ts).date().isoformat()
