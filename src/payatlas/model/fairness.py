"""Fairness: the gate rule on the worst group's 80% coverage gap (#14)."""

from __future__ import annotations

from typing import Any

from payatlas.model.metrics import TARGET

MAX_WIDENING = 0.03  # a challenger may not widen the worst group's coverage gap by more


def worst_gap(metrics: dict[str, Any]) -> float | None:
    """The largest |coverage - 0.80| over a backtest's groups (None when none was measured)."""
    gaps = [abs(float(c) - TARGET) for c in metrics.get("coverage", {}).values() if c is not None]
    return max(gaps) if gaps else None


def fairness_refusal(candidate: dict[str, Any], champion: dict[str, Any]) -> str | None:
    """Why the candidate is refused on fairness (None when it is not): its worst group's
    coverage gap exceeds the champion's by more than MAX_WIDENING."""
    c, m = worst_gap(candidate), worst_gap(champion)
    if c is None or m is None or c <= m + MAX_WIDENING + 1e-9:
        return None
    return f"worst group's coverage gap {c:.3f} widens the champion's {m:.3f} by > {MAX_WIDENING}"
