"""Backtest metrics for a point estimate and an 80% range, overall and per group."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from payatlas.normalize.titles import LEVELS

TARGET = 0.80
LEVEL_MIN_ROWS = 300  # levels with fewer test rows are reported but not gated


def _cov(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float | None:
    return float(np.mean((y >= lo) & (y <= hi))) if len(y) else None


def range_metrics(
    y: np.ndarray, p50: np.ndarray, p10: np.ndarray, p90: np.ndarray, test: pd.DataFrame
) -> dict[str, Any]:
    """MAE in USD, median absolute % error, MAE of log pay, mean log error (bias: P50 minus
    actual, overall, per US/non-US, level and region), 80% coverage per group, median
    P90/P10 and the gate's coverage gap. All arrays are log USD."""
    usd, est = np.exp(y), np.exp(p50)
    us = (test["country"] == "US").to_numpy()
    level = test["level"].astype(str).to_numpy()
    coverage: dict[str, float | None] = {
        "overall": _cov(y, p10, p90),
        "US": _cov(y[us], p10[us], p90[us]),
        "non-US": _cov(y[~us], p10[~us], p90[~us]),
    }
    rows = {"overall": len(y), "US": int(us.sum()), "non-US": int((~us).sum())}
    for lv in LEVELS:
        m = level == lv
        coverage[lv] = _cov(y[m], p10[m], p90[m])
        rows[lv] = int(m.sum())
    err = p50 - y  # mean log error: > 0 when the P50 is too high
    bias: dict[str, float | None] = {
        "overall": float(np.mean(err)) if len(y) else None,
        "US": float(np.mean(err[us])) if us.any() else None,
        "non-US": float(np.mean(err[~us])) if (~us).any() else None,
    }
    for lv in LEVELS:
        m = level == lv
        bias[lv] = float(np.mean(err[m])) if m.any() else None
    if "region" in test:
        region = test["region"].astype(str).to_numpy()
        for rg in sorted(set(region)):
            m = region == rg
            bias[f"region:{rg}"] = float(np.mean(err[m]))
    gated = ["overall", "non-US", *(lv for lv in LEVELS if rows[lv] >= LEVEL_MIN_ROWS)]
    gap = max(abs(c - TARGET) for g in gated if (c := coverage[g]) is not None)
    return {
        "mae_usd": float(np.mean(np.abs(usd - est))),
        "mdape": float(np.median(np.abs(usd - est) / usd)),
        "mae_log": float(np.mean(np.abs(y - p50))),
        "bias_log": bias["overall"],
        "bias": bias,
        "coverage": coverage,
        "rows": rows,
        "p90_p10": float(np.median(np.exp(p90 - p10))),
        "coverage_gap": float(gap),
        "gated_groups": gated,
    }


def bias_text(metrics: dict[str, Any]) -> str:
    """Mean log error overall, per level and per region as one phrase, e.g. ``overall +0.012;
    entry -0.020, mid +0.004 ...; Europe +0.031, ...`` (groups without test records left out)."""
    bias = metrics.get("bias") or {}
    if not bias:
        return "not recorded (a model scored before bias was measured)"
    levels = [f"{g} {v:+.3f}" for g in LEVELS if (v := bias.get(g)) is not None]
    regions = [
        f"{k.split(':', 1)[1]} {v:+.3f}"
        for k, v in sorted(bias.items())
        if k.startswith("region:") and v is not None
    ]
    overall = bias.get("overall")
    head = "overall " + ("-" if overall is None else f"{overall:+.3f}")
    return "; ".join(p for p in (head, ", ".join(levels), ", ".join(regions)) if p)
