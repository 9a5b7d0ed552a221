"""Conformal ranges: residual quantiles of log pay, calibrated per group on held-out arrivals.

The point model is fitted on rows that arrived before a calibration window; its residuals on the
rows that arrived inside the window (the most recent arrivals, which look most like tomorrow's)
give, per group, an empirical distribution of ``log(pay) - prediction``. Groups are US vs the rest
of the world crossed with the experience level (``US|executive``), so the stated 80% range is
calibrated for each of them, not only on average (Mondrian conformal). A group with fewer than
``min_rows`` residuals backs off to its level, then to all residuals.

Optionally (``by_family=True``, model parameter ``cal_by_family``; off by default) each group is
split further by role-family group (ai_ml, data, software, management, other), e.g.
``US|executive|software``, backing off to ``US|executive``. The *spread* of the range (each
quantile minus the median) then comes from the finest group with enough residuals and the
*median* offset (the drift correction that moves the P50) from the US/non-US x level group.
It was measured on validation and test backtests and not adopted (docs/methodology.md). Row keys
always carry the family group; without family grids they resolve to the US/non-US x level grid.

Each group keeps a 99-point quantile grid (1%..99%): P10..P90 are read off it, and an offer's
percentile in the predictive distribution is found by interpolating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from payatlas.model.adaptive import Adaptation
from payatlas.normalize.titles import FAMILY_BY_SLUG

if TYPE_CHECKING:
    import pandas as pd

GRID = np.round(np.arange(1, 100) / 100.0, 2)
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
ALL = "all"
MEDIAN = GRID.tolist().index(0.5)


def family_group(family: object) -> str:
    """The role-family group of a family slug (``other`` for an unknown slug)."""
    found = FAMILY_BY_SLUG.get(str(family))
    return found.group if found is not None else "other"


def group_key(country: object, level: object, family: object) -> str:
    """The calibration group of one row: ``US|senior|ai_ml``, ``nonUS|entry|data``..."""
    where = "US" if country == "US" else "nonUS"
    return f"{where}|{level}|{family_group(family)}"


def group_keys(country: pd.Series, level: pd.Series, family: pd.Series) -> pd.Series:
    """The calibration group of each row (see :func:`group_key`)."""
    import pandas as pd

    where = np.where(country.to_numpy() == "US", "US|", "nonUS|").astype(str)
    fam = family.map({f: family_group(f) for f in family.unique()}).to_numpy().astype(str)
    keys = np.char.add(
        np.char.add(np.char.add(where, level.astype(str).to_numpy().astype(str)), "|"), fam
    )
    return pd.Series(keys, index=country.index, dtype=object)


def _parents(group: str) -> list[str]:
    """``US|executive|software`` -> itself, ``US|executive``, ``level|executive``, ``all``."""
    parts = group.split("|")
    chain = ["|".join(parts[:n]) for n in range(len(parts), 1, -1)]
    return [*chain, "level|" + parts[1] if len(parts) > 1 else ALL, ALL]


@dataclass(slots=True)
class Calibration:
    """Per-group residual quantile grids (log pay) and the rows behind each."""

    grids: dict[str, list[float]]
    counts: dict[str, int]
    min_rows: int
    window: dict[str, str]
    #: the online shift of the bounds since training (:mod:`payatlas.model.adaptive`); None or
    #: no updates: the static grid. Kept in the model's ``adaptive.json``, not in this file.
    adaptation: Adaptation | None = None
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

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
        """The group whose grid gives the spread: the finest of ``group``, US/non-US x level,
        level and all rows that has a grid."""
        return next((g for g in _parents(group) if g in self.grids), ALL)

    def resolve_median(self, group: str) -> str:
        """The group whose grid gives the median offset: US/non-US x level or coarser."""
        parents = _parents(group)
        return next((g for g in parents[-3:] if g in self.grids), ALL)

    def grid(self, group: str) -> np.ndarray:
        """The group's 99-point residual grid: the spread of :meth:`resolve` around the median
        of :meth:`resolve_median`, shifted by the adaptation when there is one."""
        fine, coarse = self.resolve(group), self.resolve_median(group)
        spread = np.asarray(self.grids[fine])
        out = spread if fine == coarse else spread - spread[MEDIAN] + self.grids[coarse][MEDIAN]
        if self.adaptation is None or not self.adaptation.updates:
            return out
        level = group.split("|")[1] if "|" in group else ""
        return np.maximum.accumulate(out + self.adaptation.grid_shift(level, GRID))

    def offsets(self, groups: pd.Series) -> np.ndarray:
        """Residual quantiles (columns = ``QUANTILES``) for each row's group."""
        idx = [round(q * 100) - 1 for q in QUANTILES]
        table = {g: self.grid(g)[idx] for g in groups.unique()}
        return np.vstack([table[g] for g in groups]) if len(groups) else np.empty((0, 5))

    def offsets_one(self, group: str) -> np.ndarray:
        """Residual quantiles (``QUANTILES``) of one group."""
        found = self._cache.get(group)
        if found is None:
            found = self.grid(group)[[round(q * 100) - 1 for q in QUANTILES]]
            self._cache[group] = found
        return found

    def percentile(self, group: str, residual: float) -> float:
        """Where ``residual`` falls in the group's predictive distribution (0-100)."""
        return float(np.interp(residual, self.grid(group), GRID, left=0.005, right=0.995) * 100)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles of ``values`` with weights (midpoint rule on the weighted CDF)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(levels, cdf, v)


def residual_grid(res: np.ndarray, z: float, weights: np.ndarray | None = None) -> list[float]:
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
    by_family: bool = False,
    window: dict[str, str] | None = None,
) -> Calibration:
    """Quantile grids of ``residuals`` per group (keys from :func:`group_keys`), per level and
    overall (``weights``: recency weights of the residuals, None for equal weights;
    ``by_family``: also per role-family group within each group)."""
    res = np.asarray(residuals, dtype="float64")
    wts = np.ones(len(res)) if weights is None else np.asarray(weights, dtype="float64")
    keys = groups.to_numpy()
    parts = [str(g).split("|") for g in keys]
    levels = np.array(["level|" + p[1] for p in parts])
    sides = np.array(["|".join(p[:2]) for p in parts])
    grids: dict[str, list[float]] = {}
    counts: dict[str, int] = {}

    def add(name: str, mask: np.ndarray) -> None:
        n = int(mask.sum())
        if n >= min_rows:
            grids[name] = residual_grid(res[mask], margin_z, wts[mask])
            counts[name] = n

    add(ALL, np.ones(len(res), dtype=bool))
    for name in sorted(set(levels)):
        add(name, levels == name)
    for name in sorted(set(sides)):
        add(name, sides == name)
    for name in sorted(set(keys) - set(sides)) if by_family else ():
        add(name, keys == name)
    if ALL not in grids:
        grids[ALL] = residual_grid(res, margin_z, wts) if len(res) else [0.0] * len(GRID)
        counts[ALL] = len(res)
    return Calibration(grids, counts, min_rows, window or {})
