"""Time-ordered backtest: train on rows that arrived before a cutoff, test on the rest.

``evaluate`` scores the PayAtlas model and the three baselines (:mod:`payatlas.model.baselines`)
on the same split in one run and returns a :class:`BacktestReport` (JSON and Markdown).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from payatlas.errors import EmptyStore
from payatlas.model import baselines
from payatlas.model.data import load_frame
from payatlas.model.defaults import DEFAULT_CUTOFF
from payatlas.model.fairness import fairness_report
from payatlas.model.metrics import LEVEL_MIN_ROWS, TARGET, range_metrics
from payatlas.model.train import fit_model
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

MODELS = ("PayAtlas", "global median", "group median (backoff)", "plain LightGBM")
MIN_SIDE = 100
#: the rolling test window: the newest arrivals of the dataset version (its last N months)
TEST_MONTHS = 3
#: the issue's bias target: |mean log error| of the P50 on later arrivals (about 3%)
BIAS_TARGET = 0.03


def rolling_cutoff(frame: pd.DataFrame, months: int = TEST_MONTHS) -> dt.date:
    """The first day of the version's newest ``months`` months of arrivals (``first_seen``):
    each ingest of later records moves the test window onto them."""
    latest = pd.Timestamp(frame["first_seen"].max())
    return (latest - pd.DateOffset(months=months)).date() + dt.timedelta(days=1)


@dataclass(slots=True)
class BacktestReport:
    """The backtest of every model on one time split."""

    cutoff: str
    data_version: int
    train_rows: int
    test_rows: int
    seed: int
    results: dict[str, dict[str, Any]]
    targets: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "cutoff": self.cutoff,
            "data_version": self.data_version,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "seed": self.seed,
            "results": self.results,
            "targets": self.targets,
            "seconds": self.seconds,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BacktestReport:
        """Inverse of :meth:`as_dict`."""
        return cls(**data)

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the summary table (one row per model)."""
        groups = ["overall", "US", "non-US", "entry", "mid", "senior", "executive"]
        header = ["model", "MAE USD", "MdAPE", "MAE log", *(f"cov {g}" for g in groups), "P90/P10"]
        rows = []
        for name, r in self.results.items():
            cov = r["coverage"]
            rows.append(
                [
                    name,
                    f"{r['mae_usd']:,.0f}",
                    f"{r['mdape']:.1%}",
                    f"{r['mae_log']:.4f}",
                    *("-" if cov[g] is None else f"{cov[g]:.3f}" for g in groups),
                    f"{r['p90_p10']:.2f}",
                ]
            )
        return header, rows

    def bias_table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the bias table: mean log error (P50 minus actual; +0.030 = the
        P50 is about 3% too high) per model, overall, US/non-US, per level and per region."""
        first = next(iter(self.results.values()), {})
        regions = sorted(k for k in first.get("bias", {}) if k.startswith("region:"))
        groups = ["overall", "US", "non-US", "entry", "mid", "senior", "executive", *regions]
        header = ["model", *(g.removeprefix("region:") for g in groups)]
        rows = []
        for name, r in self.results.items():
            bias = r.get("bias") or {}
            rows.append(
                [name, *("-" if bias.get(g) is None else f"{bias[g]:+.3f}" for g in groups)]
            )
        return header, rows

    def to_markdown(self) -> str:
        """The report as a Markdown section."""
        header, rows = self.table()
        lines = [
            f"Backtest on dataset version {self.data_version}: trained on the {self.train_rows:,} "
            f"survey records that arrived (`first_seen`) before {self.cutoff}, tested on the "
            f"{self.test_rows:,} that arrived on or after it. Coverage = share of test records "
            "inside the stated 80% range (P10-P90); P90/P10 = median width of that range.",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(r) + " |" for r in rows),
            "",
            "Test rows per group: "
            + ", ".join(f"{g} {n:,}" for g, n in self.results["PayAtlas"]["rows"].items())
            + ".",
            "",
        ]
        bh, brows = self.bias_table()
        if any(r.get("bias") for r in self.results.values()):
            lines += [
                "Bias on the same test records: mean log error (P50 minus actual log pay; "
                "+0.030 = the P50 is about 3% too high), overall, US/non-US, per level and per "
                "region of the country of work.",
                "",
                "| " + " | ".join(bh) + " |",
                "|" + "|".join("---" for _ in bh) + "|",
                *("| " + " | ".join(r) + " |" for r in brows),
                "",
            ]
        lines += [
            "Targets: "
            + "; ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in self.targets.items())
            + ".",
        ]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines) + "\n"


def split(
    frame: pd.DataFrame, cutoff: dt.date, *, until: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Rows that arrived before / on-or-after ``cutoff``; when either side would have fewer than
    100 rows, the cutoff moves to the arrival date that leaves the last 20% for testing. With
    ``until``, rows that arrived on or after it are dropped first (a validation backtest on an
    earlier window)."""
    if until is not None:
        frame = frame.loc[frame["first_seen"] < pd.Timestamp(until)]
    ts = pd.Timestamp(cutoff)
    before = frame["first_seen"] < ts
    note = ""
    if before.sum() < MIN_SIDE or (~before).sum() < MIN_SIDE:
        ts = pd.Timestamp(str(frame["first_seen"].quantile(0.8)))
        before = frame["first_seen"] < ts
        note = f"cutoff {cutoff} left too few rows on one side; used {ts.date()} instead"
    return frame.loc[before].reset_index(drop=True), frame.loc[~before].reset_index(drop=True), note


def score_payatlas(
    train: pd.DataFrame,
    test: pd.DataFrame,
    *,
    params: dict[str, Any] | None,
    seed: int,
    threads: int,
    privacy_threshold: int,
) -> dict[str, Any]:
    """Fit the PayAtlas model on ``train`` and score it on ``test``."""
    model = fit_model(
        train, params=params, seed=seed, threads=threads, privacy_threshold=privacy_threshold
    )
    q = model.log_quantiles(test)
    metrics = range_metrics(test["y"].to_numpy(), q[:, 2], q[:, 0], q[:, 4], test)
    metrics["fairness"] = fairness_report(  # per group with intervals (#14): card, gate
        test,
        q,
        train_titles=train["tkey"].value_counts(),
        basis="Backtest test set (arrivals on or after the cutoff), model fitted before it",
        threshold=privacy_threshold,
        seed=seed,
    ).model_dump(mode="json")
    return metrics


def check_targets(results: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """The issue's targets, each met or not."""
    ours, plain = results["PayAtlas"], results["plain LightGBM"]
    cov = ours["coverage"]
    out = {"MAE(log) below plain LightGBM": ours["mae_log"] < plain["mae_log"]}
    for g in ours["gated_groups"]:
        out[f"80% coverage {g} in 0.78-0.82"] = 0.78 <= cov[g] <= 0.82
    out["P90/P10 no wider than plain quantile model"] = ours["p90_p10"] <= plain["p90_p10"]
    if ours.get("bias_log") is not None:
        out[f"|bias| (mean log error) <= {BIAS_TARGET}"] = abs(ours["bias_log"]) <= BIAS_TARGET
    return out


def evaluate(
    store: Store,
    settings: Settings | None = None,
    *,
    cutoff: str | dt.date = DEFAULT_CUTOFF,
    version: int | None = None,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    until: str | dt.date | None = None,
) -> BacktestReport:
    """Backtest PayAtlas and the three baselines on one time-ordered split. ``until`` ends the
    test window early (arrivals before it only): a validation backtest with an earlier cutoff
    that never sees the default test window."""
    settings = settings or get_settings()
    seed = settings.seed if seed is None else seed
    started = time.perf_counter()
    day = dt.date.fromisoformat(cutoff) if isinstance(cutoff, str) else cutoff
    v = store.latest_version() if version is None else version
    if v is None:
        raise EmptyStore("the store is empty: run `payatlas init` or `payatlas ingest FILE`")
    frame = load_frame(store, version=v)
    end = dt.date.fromisoformat(until) if isinstance(until, str) else until
    train, test, note = split(frame, day, until=end)
    used = note.rsplit(" ", 2)[-2] if note else day.isoformat()
    if end is not None:
        note = (note + " " if note else "") + f"validation: test arrivals before {end}"
    if len(test) == 0 or len(train) == 0:
        raise EmptyStore("not enough records for a backtest")
    y = test["y"].to_numpy()
    results = {
        "PayAtlas": score_payatlas(
            train,
            test,
            params=params,
            seed=seed,
            threads=settings.threads,
            privacy_threshold=settings.privacy_threshold,
        )
    }
    for name, fn in (
        ("global median", baselines.global_median),
        ("group median (backoff)", baselines.group_median),
    ):
        p10, p50, p90 = fn(train, test)
        results[name] = range_metrics(y, p50, p10, p90, test)
    p10, p50, p90 = baselines.plain_lightgbm(train, test, seed=seed, threads=settings.threads)
    results["plain LightGBM"] = range_metrics(y, p50, p10, p90, test)
    return BacktestReport(
        cutoff=used,
        data_version=v,
        train_rows=len(train),
        test_rows=len(test),
        seed=seed,
        results=results,
        targets=check_targets(results),
        seconds=round(time.perf_counter() - started, 1),
        note=note,
    )


__all__ = ["DEFAULT_CUTOFF", "LEVEL_MIN_ROWS", "TARGET", "BacktestReport", "evaluate", "np"]
