"""Group scores of the champion on new survey submissions (the arithmetic of
:mod:`payatlas.model.monitor`): per group, MAE of log pay, the mean log error (bias), the share
inside the stated 80% range and its width; exact pooling over versions by record counts; the
alerts (a group with at least :data:`ALERT_MIN_RECORDS` new records whose coverage is outside
:data:`COVERAGE_BAND` or whose |bias| exceeds :data:`MAX_ABS_BIAS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

ALERT_MIN_RECORDS = 200
COVERAGE_BAND = (0.75, 0.85)
MAX_ABS_BIAS = 0.05
Dimension = Literal["overall", "level", "region", "company_size", "week"]
GROUPED: tuple[Dimension, ...] = ("level", "region", "company_size")


class GroupScore(BaseModel):
    """The champion on one group of new survey submissions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dimension: Dimension
    group: str = Field(description="The group's value (a week is its Monday, YYYY-MM-DD).")
    records: int = Field(description="Survey submissions in the group.")
    mae_log: float = Field(description="Mean |log P50 - log pay|.")
    bias: float = Field(description="Mean log P50 - log pay (negative: estimates too low).")
    coverage: float = Field(description="Share of records inside the stated P10-P90 range.")
    width: float = Field(description="Mean log(P90 / P10).")
    p90_p10: float = Field(description="Geometric-mean P90/P10 ratio (exp of width).")
    bias_pct: float = Field(description="The bias as a percentage: 100 * (exp(bias) - 1).")

    @classmethod
    def of(cls, dimension: Dimension, group: str, records: int, **means: float) -> GroupScore:
        """A group from its record count and means (``mae_log, bias, coverage, width``)."""
        return cls(
            dimension=dimension,
            group=group,
            records=records,
            p90_p10=float(np.exp(means["width"])),
            bias_pct=float(np.expm1(means["bias"]) * 100),
            **means,
        )


class MonitorAlert(BaseModel):
    """A group of new records on which the champion's ranges or level are off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dimension: Dimension
    group: str
    records: int
    coverage: float
    bias: float
    message: str


def _score(dimension: Dimension, group: str, rows: pd.DataFrame) -> GroupScore:
    return GroupScore.of(
        dimension,
        group,
        len(rows),
        mae_log=float(rows["err"].abs().mean()),
        bias=float(rows["err"].mean()),
        coverage=float(rows["inside"].mean()),
        width=float(rows["width"].mean()),
    )


def score_frame(frame: pd.DataFrame, q: np.ndarray) -> list[GroupScore]:
    """Every group's scores (``week`` included) on the model frame ``frame`` of a model's
    log-USD quantiles ``q`` (P10, P25, P50, P75, P90)."""
    y = frame["y"].to_numpy()
    rows = pd.DataFrame(
        {
            "err": q[:, 2] - y,
            "inside": ((y >= q[:, 0]) & (y <= q[:, 4])).astype(float),
            "width": q[:, 4] - q[:, 0],
            "level": frame["level"].astype(object).fillna("unknown").astype(str).to_numpy(),
            "region": frame["region"].astype(str).to_numpy(),
            "company_size": frame["company_size"].astype(object).fillna("unknown").astype(str),
            "week": pd.to_datetime(frame["first_seen"]).dt.to_period("W-SUN").dt.start_time,
        }
    )
    rows["week"] = rows["week"].dt.strftime("%Y-%m-%d")
    out = [_score("overall", "all", rows)]
    for dim in (*GROUPED, "week"):
        for value, part in rows.groupby(dim, sort=True):
            out.append(_score(dim, str(value), part))
    return out


def pool(groups: Iterable[GroupScore]) -> list[GroupScore]:
    """Groups of the same dimension and value combined, weighted by their record counts."""
    acc: dict[tuple[Dimension, str], list[GroupScore]] = {}
    for g in groups:
        acc.setdefault((g.dimension, g.group), []).append(g)
    out = []
    for (dim, grp), parts in acc.items():
        n = sum(p.records for p in parts)
        mean = {k: sum(getattr(p, k) * p.records for p in parts) / n
                for k in ("mae_log", "bias", "coverage", "width")}  # fmt: skip
        out.append(GroupScore.of(dim, grp, n, **mean))
    return ordered(out)


def ordered(groups: Iterable[GroupScore]) -> list[GroupScore]:
    """Overall first, then the levels, regions, company sizes and weeks, each by value."""
    order = {d: i for i, d in enumerate(("overall", *GROUPED, "week"))}
    return sorted(groups, key=lambda g: (order[g.dimension], g.group))


def alerts(groups: Iterable[GroupScore]) -> list[MonitorAlert]:
    """The groups (not weeks) with enough new records whose coverage or bias is off."""
    lo, hi = COVERAGE_BAND
    out = []
    for g in groups:
        if g.dimension == "week" or g.records < ALERT_MIN_RECORDS:
            continue
        why = []
        if not lo <= g.coverage <= hi:
            why.append(f"80% coverage {g.coverage:.3f} outside {lo:.2f}-{hi:.2f}")
        if abs(g.bias) > MAX_ABS_BIAS:
            side = "below" if g.bias < 0 else "above"
            why.append(f"estimates {abs(g.bias_pct):.1f}% {side} reported pay (bias)")
        if why:
            where = "all new records" if g.dimension == "overall" else f"{g.dimension} {g.group}"
            out.append(
                MonitorAlert(
                    dimension=g.dimension,
                    group=g.group,
                    records=g.records,
                    coverage=g.coverage,
                    bias=g.bias,
                    message=f"{where} ({g.records:,} survey submissions): " + "; ".join(why),
                )
            )
    return out


__all__ = [
    "ALERT_MIN_RECORDS",
    "COVERAGE_BAND",
    "GROUPED",
    "MAX_ABS_BIAS",
    "Dimension",
    "GroupScore",
    "MonitorAlert",
    "alerts",
    "ordered",
    "pool",
    "score_frame",
]
