"""Fairness (#14): the 80% range's coverage, the bias and the width per group of people, ranked
by how far coverage is from 0.80, with bootstrap intervals; and the gate rule on the worst
group's coverage gap.

Groups: region, country group (US / non-US, the calibration's split), company size, level,
remote share (on-site 0%, hybrid, remote 100%) and title depth (how many training records had
the title: unseen, thin under :data:`THIN_TITLE`, common). Intervals are 90% percentile intervals
of a Poisson bootstrap (:data:`REPS` replicates, each record weighted by a Poisson(1) draw, one
draw shared by every group, a fixed seed), so the same data give the same report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from payatlas.model.metrics import LEVEL_MIN_ROWS, TARGET

MAX_WIDENING = 0.03  # a challenger may not widen the worst group's coverage gap by more
THIN_TITLE = 20  # a title with fewer training records is thin
REPS = 200
INTERVAL = (5.0, 95.0)
ROW_CHUNK = 20_000  # records per bootstrap step (memory: REPS x ROW_CHUNK weights)
DIMENSIONS = ("region", "country_group", "company_size", "level", "remote", "title")


class Interval(BaseModel):
    """A figure with its 90% bootstrap interval."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    low: float
    high: float


class FairnessGroup(BaseModel):
    """One group's coverage, bias and width, with intervals; ``rank`` 1 = furthest from 0.80."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rank: int
    dimension: str
    group: str
    records: int
    coverage: Interval = Field(description="Share inside the stated P10-P90 range.")
    coverage_gap: float = Field(description="|coverage - 0.80|.")
    bias_pct: Interval = Field(description="Mean log error as a % (estimates vs pay).")
    p90_p10: Interval = Field(description="Geometric-mean P90/P10.")
    gated: bool = Field(description=f"At least {LEVEL_MIN_ROWS} records: the gate reads it.")


class FairnessReport(BaseModel):
    """Every group of every dimension, ranked by coverage gap (worst first)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    basis: str = Field(description="What was scored (which records, which model).")
    records: int
    reps: int = REPS
    groups: list[FairnessGroup]
    suppressed_groups: int = Field(description="Groups under the privacy threshold, not shown.")

    def worst(self) -> FairnessGroup | None:
        """The gated group furthest from 0.80 (None when no group is gated)."""
        return next((g for g in self.groups if g.gated), None)

    def to_markdown(self) -> str:
        """The ranked table as Markdown."""
        lines = [
            f"{self.basis}: {self.records:,} survey submissions. Groups ranked by the distance "
            "of their 80% coverage from 0.80 (worst first), each figure with its 90% bootstrap "
            f"interval ({self.reps} Poisson replicates); bias = mean of log estimate - log pay "
            "as a % (negative: estimates below the pay). Groups of at least "
            f"{LEVEL_MIN_ROWS} records are gated: a challenger may not widen the worst of them "
            f"by more than {MAX_WIDENING}.",
            "",
            "| rank | group | records | coverage [90% interval] | bias % | P90/P10 | gated |",
            "|---|---|---|---|---|---|---|",
        ]
        for g in self.groups:
            c, b, w = g.coverage, g.bias_pct, g.p90_p10
            lines.append(
                f"| {g.rank} | {g.dimension} {g.group} | {g.records:,} | {c.value:.3f} "
                f"[{c.low:.3f}, {c.high:.3f}] | {b.value:+.1f} [{b.low:+.1f}, {b.high:+.1f}] | "
                f"{w.value:.2f} [{w.low:.2f}, {w.high:.2f}] | {'yes' if g.gated else 'no'} |"
            )
        if self.suppressed_groups:
            lines += ["", f"{self.suppressed_groups} groups under the privacy threshold omitted."]
        return "\n".join(lines) + "\n"


def _same(v: Any) -> Any:
    return v


def _pct(v: Any) -> Any:
    return np.expm1(v) * 100


#: each figure from the mean of its per-record value: coverage as is, bias as a %, width as ratio
_FIGURES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("coverage", _same),
    ("bias_pct", _pct),
    ("p90_p10", np.exp),
)


def card_section(found: dict[str, Any] | None) -> str:
    """The model card's fairness section from a backtest's recorded report (JSON form); empty
    for a backtest recorded before fairness was measured."""
    if not found:
        return ""
    return "\n## Fairness\n\n" + FairnessReport(**found).to_markdown()


def group_labels(frame: pd.DataFrame, train_titles: pd.Series) -> dict[str, np.ndarray]:
    """Each dimension's group label per row of the model frame ``frame``; ``train_titles``
    counts the training records per title key."""
    remote = frame["remote"].astype(float).to_numpy()
    seen = frame["tkey"].map(train_titles).fillna(0).to_numpy()

    def text(col: str) -> np.ndarray:
        return frame[col].astype(object).fillna("unknown").astype(str).to_numpy()

    return {
        "region": text("region"),
        "country_group": np.where(frame["country"].to_numpy() == "US", "US", "non-US"),
        "company_size": text("company_size"),
        "level": text("level"),
        "remote": np.where(remote <= 0, "on-site", np.where(remote >= 100, "remote", "hybrid")),
        "title": np.where(
            seen == 0, "unseen", np.where(seen < THIN_TITLE, f"thin (< {THIN_TITLE})", "common")
        ),
    }


def fairness_report(
    frame: pd.DataFrame,
    q: np.ndarray,
    *,
    train_titles: pd.Series,
    basis: str,
    threshold: int = 5,
    seed: int = 0,
) -> FairnessReport:
    """The report for model frame ``frame`` (with ``y``, log USD) and the model's log-USD
    quantiles ``q`` (columns P10, P25, P50, P75, P90)."""
    y = frame["y"].to_numpy()
    inside = ((y >= q[:, 0]) & (y <= q[:, 4])).astype(float)
    err = q[:, 2] - y
    width = q[:, 4] - q[:, 0]
    labelled = group_labels(frame, train_titles)
    keys = [(dim, v) for dim, labels in labelled.items() for v in sorted(set(labels))]
    # per chunk of records: one indicator column per (dimension, group), and the same times each
    # per-record value; the bootstrap sums of every group are one matrix product per chunk
    values = np.stack([inside, err, width])  # 3 x n
    boot = np.zeros((REPS, 4 * len(keys)))
    counts = np.zeros(len(keys))
    rng = np.random.default_rng(seed)
    for start in range(0, len(y), ROW_CHUNK):
        part = slice(start, start + ROW_CHUNK)
        onehot = np.stack([labelled[dim][part] == v for dim, v in keys], axis=1)
        onehot = onehot.astype(np.float32)
        counts += onehot.sum(axis=0)
        columns = np.concatenate(
            [onehot, *(onehot * x[part, None].astype(np.float32) for x in values)], axis=1
        )
        weights = rng.poisson(1.0, size=(REPS, len(columns))).astype(np.float32)
        boot += weights @ columns
    shown = [(j, key) for j, key in enumerate(keys) if counts[j] >= threshold]
    sums = {key: boot[:, j :: len(keys)] for j, key in shown}  # weight, then the 3 sums
    masks = {key: labelled[key[0]] == key[1] for _, key in shown}
    rows: list[dict[str, Any]] = []
    for (dim, value), mask in masks.items():
        n = int(mask.sum())
        total = np.maximum(sums[(dim, value)][:, 0], 1e-9)
        stats = {}
        for i, (name, f) in enumerate(_FIGURES, start=1):
            draws = f(sums[(dim, value)][:, i] / total)
            lo, hi = np.percentile(draws, INTERVAL)
            point = float(f(values[i - 1, mask].mean()))
            stats[name] = Interval(value=point, low=float(lo), high=float(hi))
        rows.append({"dimension": dim, "group": value, "records": n, **stats})
    rows.sort(key=lambda r: -abs(r["coverage"].value - TARGET))
    groups = [
        FairnessGroup(
            rank=i,
            coverage_gap=abs(r["coverage"].value - TARGET),
            gated=r["records"] >= LEVEL_MIN_ROWS,
            **r,
        )
        for i, r in enumerate(rows, 1)
    ]
    suppressed = len(keys) - len(shown)
    return FairnessReport(basis=basis, records=len(y), groups=groups, suppressed_groups=suppressed)


def _gated_gaps(metrics: dict[str, Any]) -> dict[str, float]:
    groups = (metrics.get("fairness") or {}).get("groups") or []
    return {
        f"{g['dimension']} {g['group']}": float(g["coverage_gap"]) for g in groups if g["gated"]
    }


def worst_gap(metrics: dict[str, Any], *, among: set[str] | None = None) -> float | None:
    """The largest |coverage - 0.80| over a backtest's groups (None when none was measured):
    the fairness groups of at least LEVEL_MIN_ROWS records when the backtest has them (only
    those named in ``among`` when given), else its coverage groups."""
    fair = _gated_gaps(metrics)
    if fair:
        gaps = [v for k, v in fair.items() if among is None or k in among]
    else:
        gaps = [abs(float(c) - TARGET) for c in metrics.get("coverage", {}).values()
                if c is not None]  # fmt: skip
    return max(gaps) if gaps else None


def fairness_refusal(candidate: dict[str, Any], champion: dict[str, Any]) -> str | None:
    """Why the candidate is refused on fairness (None when it is not): its worst group's
    coverage gap exceeds the champion's by more than MAX_WIDENING. When both backtests carry
    the fairness report, the worst is taken over the gated groups both have; else over the
    coverage groups."""
    a, b = _gated_gaps(candidate), _gated_gaps(champion)
    if a and b:
        common = set(a) & set(b)
        c, m = worst_gap(candidate, among=common), worst_gap(champion, among=common)
    else:
        c, m = worst_gap(_plain(candidate)), worst_gap(_plain(champion))
    if c is None or m is None or c <= m + MAX_WIDENING + 1e-9:
        return None
    return f"worst group's coverage gap {c:.3f} widens the champion's {m:.3f} by > {MAX_WIDENING}"


def _plain(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if k != "fairness"}
