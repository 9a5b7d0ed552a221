"""Adaptive ranges: per-level online correction of the P10/P90 bounds (adaptive conformal
inference, Gibbs & Candes 2021, on the log-offset of each bound).

The conformal grid is fitted once, at training time, on a calibration window. Pay drifts after
that, so the stated 80% range drifts away from 80%. After each batch of new survey submissions
(which arrive with their pay) each level's two bounds are moved by the observed miss rate:

    shift_hi += gamma * n / (n + n0) * (share above P90 - 0.10)
    shift_lo -= gamma * n / (n + n0) * (share below P10 - 0.10)

(the ACI update of the quantile level, applied to the offset in log pay, which is the
same step for a locally flat residual density and needs no grid lookup; ``n`` is the level's
records in the batch, so a batch with few of them moves its bounds less). The shifts start at 0
(the static range) and are stored with the model (``adaptive.json`` in its folder, updated on
each survey ingest by :func:`payatlas.model.retrain.after_survey_ingest`); the P25/P75 move by
the same rule scaled by their distance from the median (:meth:`Adaptation.grid_shift`), the P50
does not move.

Chosen by measurement (``benchmarks/replay.py``, docs/methodology.md): per level rather than
per US/non-US x level, gamma 2.0 and n0 = 400 on a validation replay (January-June 2024; most
cells within 0.80 +- 0.05, then the lowest mean distance), then confirmed on the July-October
2024 replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

TARGET_TAIL = 0.10
GAMMA = 2.0
#: a batch with n records of a level moves its bounds by n / (n + EVIDENCE_ROWS) of a full step
EVIDENCE_ROWS = 400
MAX_SHIFT = 1.0
ADAPTIVE_FILE = "adaptive.json"


@dataclass(slots=True)
class Adaptation:
    """Per-level log-offset shifts of the P10 (``lo``) and P90 (``hi``) bounds."""

    lo: dict[str, float] = field(default_factory=dict)
    hi: dict[str, float] = field(default_factory=dict)
    updates: int = 0
    rows: int = 0
    gamma: float = GAMMA
    evidence_rows: int = EVIDENCE_ROWS
    versions: list[int] = field(default_factory=list)  # dataset versions it was updated with

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "lo": self.lo,
            "hi": self.hi,
            "updates": self.updates,
            "rows": self.rows,
            "gamma": self.gamma,
            "evidence_rows": self.evidence_rows,
            "versions": self.versions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Adaptation:
        """Inverse of :meth:`as_dict`."""
        return cls(
            dict(data.get("lo", {})),
            dict(data.get("hi", {})),
            int(data.get("updates", 0)),
            int(data.get("rows", 0)),
            float(data.get("gamma", GAMMA)),
            int(data.get("evidence_rows", EVIDENCE_ROWS)),
            [int(v) for v in data.get("versions", [])],
        )

    def label(self) -> str:
        """Which calibration an estimate used."""
        if self.updates == 0:
            return "static"
        return f"adaptive ({self.updates} updates, {self.rows:,} survey submissions)"

    def shifts(self, levels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """(lo shift, hi shift) for each row's level."""
        lv = levels.astype(str)
        return (
            lv.map(self.lo).fillna(0.0).to_numpy(dtype="float64"),
            lv.map(self.hi).fillna(0.0).to_numpy(dtype="float64"),
        )

    def apply(
        self, levels: pd.Series, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The adapted (lo, hi) log-pay bounds."""
        s_lo, s_hi = self.shifts(levels)
        return lo + s_lo, hi + s_hi

    def update(self, levels: pd.Series, y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """One ACI step per level from a batch of arrivals with their log pay ``y`` and the
        *static* log bounds ``lo``/``hi``."""
        a_lo, a_hi = self.apply(levels, lo, hi)
        lv = levels.astype(str).to_numpy()
        for name in np.unique(lv):
            m = lv == name
            n = int(m.sum())
            rate = self.gamma * n / (n + self.evidence_rows)
            below = float(np.mean(y[m] < a_lo[m]))
            above = float(np.mean(y[m] > a_hi[m]))
            step_hi = rate * (above - TARGET_TAIL)
            step_lo = rate * (below - TARGET_TAIL)
            self.hi[name] = float(np.clip(self.hi.get(name, 0.0) + step_hi, -MAX_SHIFT, MAX_SHIFT))
            self.lo[name] = float(np.clip(self.lo.get(name, 0.0) - step_lo, -MAX_SHIFT, MAX_SHIFT))
        self.updates += 1
        self.rows += len(y)

    def grid_shift(self, level: str, grid_levels: np.ndarray) -> np.ndarray:
        """The shift of each point of a 99-point residual grid for one level: the P10 shift
        (``lo``) below the median and the P90 shift (``hi``) above it, scaled by the distance
        from the median (full at 10%/90%, 0 at the median, more in the far tails)."""
        dist = (grid_levels - 0.5) / 0.4
        lo, hi = self.lo.get(level, 0.0), self.hi.get(level, 0.0)
        return np.where(dist < 0, -dist * lo, dist * hi)
