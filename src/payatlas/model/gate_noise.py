"""The gate's noise judgement: a paired bootstrap over the test records (#11).

Candidate and champion predict the same test records; the records are resampled together
(``BOOT_RESAMPLES`` times) and the ``BOOT_LEVEL`` interval of each difference (MAE of log pay,
worst coverage gap over the gated groups) says whether it is beyond noise
(:meth:`payatlas.model.gate.GateBacktest.verdict`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: bootstrap resamples of the test records and the two-sided interval judging noise
BOOT_RESAMPLES, BOOT_LEVEL = 500, 0.90


def _gated_masks(test: pd.DataFrame, gated: list[str]) -> list[np.ndarray]:
    us = (test["country"] == "US").to_numpy()
    level = test["level"].astype(str).to_numpy()
    masks = []
    for g in gated:
        if g == "overall":
            masks.append(np.ones(len(test), dtype=bool))
        elif g == "US":
            masks.append(us)
        elif g == "non-US":
            masks.append(~us)
        else:
            masks.append(level == g)
    return masks


def paired_bootstrap(
    y: np.ndarray,
    cand: np.ndarray,
    champ: np.ndarray,
    test: pd.DataFrame,
    gated: list[str],
    *,
    seed: int = 0,
    resamples: int = BOOT_RESAMPLES,
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Candidate minus champion MAE(log) and coverage gap, each (estimate, lo, hi) of the
    ``BOOT_LEVEL`` interval over ``resamples`` resamplings of the test records (the same
    records for both models). ``cand``/``champ``: log quantiles (columns P10..P90)."""
    rng = np.random.default_rng(seed)
    n = len(y)
    abs_diff = np.abs(y - cand[:, 2]) - np.abs(y - champ[:, 2])
    in_c = ((y >= cand[:, 0]) & (y <= cand[:, 4])).astype("float64")
    in_h = ((y >= champ[:, 0]) & (y <= champ[:, 4])).astype("float64")
    masks = _gated_masks(test, gated)
    mae, gap = [], []
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        mae.append(abs_diff[idx].mean())
        gc = gh = 0.0
        for m in masks:
            mm = m[idx]
            k = mm.sum()
            if k == 0:
                continue
            gc = max(gc, abs(in_c[idx][mm].mean() - 0.8))
            gh = max(gh, abs(in_h[idx][mm].mean() - 0.8))
        gap.append(gc - gh)
    a = (1 - BOOT_LEVEL) / 2

    def interval(est: float, draws: list[float]) -> tuple[float, float, float]:
        lo, hi = np.quantile(draws, [a, 1 - a])
        return (round(float(est), 6), round(float(lo), 6), round(float(hi), 6))

    est_gap = _gap(in_c, masks) - _gap(in_h, masks)
    return interval(float(abs_diff.mean()), mae), interval(est_gap, gap)


def _gap(inside: np.ndarray, masks: list[np.ndarray]) -> float:
    return max((abs(inside[m].mean() - 0.8) for m in masks if m.any()), default=0.0)
