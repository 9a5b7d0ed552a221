"""The level ladder: every quantile of an estimate is non-decreasing in experience level.

The point boosters are trained with a monotone constraint on the ordinal level feature
(:data:`payatlas.model.features.MONOTONE`), but an estimate's quantile is the point plus a
calibration offset that depends on the level, and the shrunk cell means the trees read are not
ordered by level either. So the model's log quantiles are computed for the same profile at all
four levels and each quantile column is replaced by its weighted isotonic (non-decreasing) fit
across the levels (pool-adjacent-violators; weights = records in the family x level x country
cell plus the shrinkage constant, so a cell with evidence moves less than an empty one).

What this enforces, for every profile (role, country, remote, size, year ... fixed):
P10, P25, P50, P75 and P90 each satisfy entry <= mid <= senior <= executive. Isotonic
regression is order-preserving, so each level's P10 <= P25 <= ... <= P90 still holds.
"""

from __future__ import annotations

import numpy as np

LEVELS = ("entry", "mid", "senior", "executive")


def isotonic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted non-decreasing least-squares fit along the last axis (length ``len(LEVELS)``).

    Uses the min-max formula ``fit_i = max_{a<=i} min_{b>=i} mean_w(values[a..b])`` (exact for
    isotonic regression), vectorised over every other axis.
    """
    m = values.shape[-1]
    wv = np.cumsum(weights * values, axis=-1)
    w = np.cumsum(weights, axis=-1)
    zero = np.zeros((*values.shape[:-1], 1))
    wv, w = np.concatenate([zero, wv], axis=-1), np.concatenate([zero, w], axis=-1)
    out = np.empty_like(values, dtype="float64")
    for i in range(m):
        best = np.full(values.shape[:-1], -np.inf)
        for a in range(i + 1):
            worst = np.full(values.shape[:-1], np.inf)
            for b in range(i, m):
                mean = (wv[..., b + 1] - wv[..., a]) / (w[..., b + 1] - w[..., a])
                worst = np.minimum(worst, mean)
            best = np.maximum(best, worst)
        out[..., i] = best
    return out


def level_index(levels: object) -> np.ndarray:
    """Index of each level in :data:`LEVELS` (-1 for a level outside the ladder)."""
    pos = {lvl: i for i, lvl in enumerate(LEVELS)}
    return np.array([pos.get(str(v), -1) for v in np.asarray(levels, dtype=object)], dtype=int)


def enforce(ladders: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Ladders of shape (levels, rows, quantiles) with weights (levels, rows) -> the same shape,
    each quantile isotonic in the level."""
    values = np.moveaxis(ladders, 0, -1)  # rows, quantiles, levels
    w = np.broadcast_to(np.moveaxis(weights, 0, -1)[:, None, :], values.shape)
    return np.moveaxis(isotonic(values, np.asarray(w, dtype="float64")), -1, 0)
