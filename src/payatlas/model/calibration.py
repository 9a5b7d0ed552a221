"""Conformal ranges: residual quantiles of log pay, calibrated per group on held-out arrivals.

The point model is fitted on rows that arrived before a calibration window; its residuals on the
rows that arrived inside the window (the most recent arrivals, which look most like tomorrow's)
give, per group, an empirical distribution of ``log(pay) - prediction``. Groups are US vs the rest
of the world crossed with the experience level, so the stated 80% range is calibrated for each of
them, not only on average. A group with fewer than ``min_rows`` residuals backs off to its level,
then to all residuals.

Each group keeps a 99-point quantile grid (1%..99%): P10..P90 are read off it, and an offer's
percentile in the predictive distribution is found by interpolating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

GRID = np.round(np.arange(1, 100) / 100.0, 2)
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
ALL = "all"


def group_keys(country: pd.Series, level: pd.Series) -> pd.Series:
    """The calibration group of each row: ``US|senior``, ``nonUS|entry``..."""
    where = np.where(country.to_numpy() == "US", "US|", "nonUS|")
    keys = np.char.add(where.astype(str), level.astype(str).to_numpy().astype(str))
    return pd.Series(keys, index=country.index, dtype=object)


@dataclass(slots=True)
class Calibration:
    """Per-group residual quantile grids (log pay) and the rows behind each."""

    grids: dict[str, list[float]]
    counts: dict[str, int]
    min_rows: int
    window: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "grids": self.grids,
            "counts": self.counts,
            "min_rows": self.min_rows,
            "window": self.window,
            "grid_levels": GRID.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        """Inverse of :meth:`as_dict`."""
        return cls(data["grids"], data["counts"], data["min_rows"], data["window"])

    def resolve(self, group: str) -> str:
        """The group whose grid is used: itself, else its level, else all rows."""
        if group in self.grids:
            return group
        level = "level|" + group.split("|", 1)[-1]
        return level if level in self.grids else ALL

    def offsets(self, groups: pd.Series) -> np.ndarray:
        """Residual quantiles (columns = ``QUANTILES``) for each row's group."""
        idx = [round(q * 100) - 1 for q in QUANTILES]
        table = {g: np.asarray(self.grids[self.resolve(g)])[idx] for g in groups.unique()}
        return np.vstack([table[g] for g in groups]) if len(groups) else np.empty((0, 5))

    def offsets_one(self, group: str) -> np.ndarray:
        """Residual quantiles (``QUANTILES``) of one group."""
        grid = self.grids[self.resolve(group)]
        return np.array([grid[round(q * 100) - 1] for q in QUANTILES])

    def percentile(self, group: str, residual: float) -> float:
        """Where ``residual`` falls in the group's predictive distribution (0-100)."""
        grid = np.asarray(self.grids[self.resolve(group)])
        return float(np.interp(residual, grid, GRID, left=0.005, right=0.995) * 100)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles of ``values`` with weights (midpoint rule on the weighted CDF)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(levels, cdf, v)


def _grid(res: np.ndarray, z: float, weights: np.ndarray | None = None) -> list[float]:
    """The 99-point quantile grid of ``res`` with the split-conformal finite-sample correction.

    Levels are moved away from the median by the factor ``(n + 1) / n`` (the conformal
    ``ceil((n + 1)(1 - alpha))``-th residual), which matters only for small groups. With
    ``z > 0`` the grid is also stretched so that its 10%-90% span covers
    ``0.8 + z * sqrt(0.16 / n)`` of the residuals (a training-conditional, PAC-style margin;
    off by default).
    """
    w = np.ones(len(res)) if weights is None else weights
    n = float(w.sum() ** 2 / (w**2).sum())  # effective sample size
    levels = np.clip(0.5 + (GRID - 0.5) * (n + 1) / n, 0.0, 1.0)
    grid = weighted_quantile(res, w, levels)
    target = min(0.8 + z * np.sqrt(0.16 / n), 0.98) if z > 0 else 0.8
    lo, hi = weighted_quantile(res, w, np.array([(1 - target) / 2, (1 + target) / 2]))
    width = grid[89] - grid[9]
    scale = max(1.0, (hi - lo) / width) if width > 0 else 1.0
    median = grid[49]
    return (median + scale * (grid - median)).round(6).tolist()


def fit_calibration(
    residuals: np.ndarray,
    groups: pd.Series,
    *,
    min_rows: int = 30,
    margin_z: float = 0.0,
    weights: np.ndarray | None = None,
    window: dict[str, str] | None = None,
) -> Calibration:
    """Quantile grids of ``residuals`` per group, per level and overall (``weights``: recency
    weights of the residuals, None for equal weights)."""
    res = np.asarray(residuals, dtype="float64")
    wts = np.ones(len(res)) if weights is None else np.asarray(weights, dtype="float64")
    keys = groups.to_numpy()
    levels = np.array(["level|" + g.split("|", 1)[-1] for g in keys])
    grids: dict[str, list[float]] = {}
    counts: dict[str, int] = {}

    def add(name: str, mask: np.ndarray) -> None:
        n = int(mask.sum())
        if n >= min_rows:
            grids[name] = _grid(res[mask], margin_z, wts[mask])
            counts[name] = n

    add(ALL, np.ones(len(res), dtype=bool))
    for name in sorted(set(levels)):
        add(name, levels == name)
    for name in sorted(set(keys)):
        add(name, keys == name)
    if ALL not in grids:
        grids[ALL] = _grid(res, margin_z, wts) if len(res) else [0.0] * len(GRID)
        counts[ALL] = len(res)
    return Calibration(grids, counts, min_rows, window or {})
