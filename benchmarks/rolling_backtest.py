"""Rolling backtests of PayAtlas vs a plain LightGBM on the bundled data's arrivals.

    .venv/bin/python benchmarks/rolling_backtest.py [--home DIR] [--cutoffs 2024-05-01,...]

For each cutoff the bundled survey submissions are split by arrival (``first_seen``): both
models are trained on the records that arrived before the cutoff (the same rows, in the same
run) and tested on the arrivals after it, up to the next cutoff (the last split tests on every
later arrival). Printed per split and model: test records, MAE of log pay, bias (mean log error,
P50 minus actual; +0.030 = P50 3% too high), 80% coverage overall and per level, and whether
PayAtlas meets the issue's targets (|bias| <= 0.03, MAE(log) no worse than plain LightGBM).
A markdown table, then the machine it ran on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path
from typing import Any

import pandas as pd
from bundled_frame import bundled_frame

from payatlas.model import baselines
from payatlas.model.backtest import score_payatlas
from payatlas.model.metrics import range_metrics
from payatlas.normalize.titles import LEVELS

CUTOFFS = ("2024-05-01", "2024-07-01", "2024-08-15")
BIAS_TARGET = 0.03


def splits(frame: pd.DataFrame, cutoffs: list[str]) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(cutoff, train, test) per cutoff: train before it, test up to the next cutoff."""
    out = []
    for i, c in enumerate(cutoffs):
        cut = pd.Timestamp(c)
        end = pd.Timestamp(cutoffs[i + 1]) if i + 1 < len(cutoffs) else pd.Timestamp.max
        train = frame[frame["first_seen"] < cut].reset_index(drop=True)
        test = frame[(frame["first_seen"] >= cut) & (frame["first_seen"] < end)]
        out.append((c, train, test.reset_index(drop=True)))
    return out


def run_split(
    train: pd.DataFrame, test: pd.DataFrame, *, seed: int, threads: int, threshold: int
) -> dict[str, dict[str, Any]]:
    """PayAtlas and plain LightGBM metrics on one split (same training rows)."""
    ours = score_payatlas(
        train, test, params=None, seed=seed, threads=threads, privacy_threshold=threshold
    )
    p10, p50, p90 = baselines.plain_lightgbm(train, test, seed=seed, threads=threads)
    plain = range_metrics(test["y"].to_numpy(), p50, p10, p90, test)
    return {"PayAtlas": ours, "plain LightGBM": plain}


def _f(v: float | None, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


def table(results: list[tuple[str, int, int, dict[str, dict[str, Any]]]]) -> str:
    """The markdown table of every split and model."""
    head = ["cutoff", "train", "test", "model", "MAE(log)", "bias", "cov 80%"]
    head += [f"cov {lv}" for lv in LEVELS] + [f"bias {lv}" for lv in LEVELS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for cutoff, n_train, n_test, res in results:
        for name, m in res.items():
            cells = [
                cutoff,
                f"{n_train:,}",
                f"{n_test:,}",
                name,
                f"{m['mae_log']:.4f}",
                f"{m['bias_log']:+.4f}",
                _f(m["coverage"]["overall"], ".3f"),
                *(_f(m["coverage"][lv], ".3f") for lv in LEVELS),
                *(_f(m["bias"][lv], "+.3f") for lv in LEVELS),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: list[tuple[str, int, int, dict[str, dict[str, Any]]]]) -> list[str]:
    """One line per split: the issue's targets met or not."""
    out = []
    for cutoff, _, _, res in results:
        ours, plain = res["PayAtlas"], res["plain LightGBM"]
        bias_ok = abs(ours["bias_log"]) <= BIAS_TARGET
        mae_ok = ours["mae_log"] <= plain["mae_log"]
        out.append(
            f"{cutoff}: |bias| {abs(ours['bias_log']):.4f} <= {BIAS_TARGET} "
            f"{'met' if bias_ok else 'NOT met'}; MAE(log) {ours['mae_log']:.4f} vs plain "
            f"{plain['mae_log']:.4f} {'met' if mae_ok else 'NOT met'}"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None, help="a home holding the store")
    parser.add_argument("--cutoffs", default=",".join(CUTOFFS))
    args = parser.parse_args()
    cutoffs = sorted(args.cutoffs.split(","))
    for c in cutoffs:
        dt.date.fromisoformat(c)
    started = time.perf_counter()
    with bundled_frame(args.home, prefix="payatlas-rolling-") as (settings, frame):
        results = []
        for cutoff, train, test in splits(frame, cutoffs):
            res = run_split(
                train,
                test,
                seed=settings.seed,
                threads=settings.threads,
                threshold=settings.privacy_threshold,
            )
            results.append((cutoff, len(train), len(test), res))
        print(
            f"Rolling backtests on the bundled survey submissions ({len(frame):,} records), "
            "split by arrival (first_seen); train before each cutoff, test on the arrivals up "
            "to the next one. bias = mean log error (P50 minus actual)."
        )
        print()
        print(table(results))
        print()
        for line in targets(results):
            print(line)
        print()
        print(
            f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}, "
            f"Python {platform.python_version()}; {time.perf_counter() - started:.0f} s"
        )


if __name__ == "__main__":
    main()
