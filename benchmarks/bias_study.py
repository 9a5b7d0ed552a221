"""Bias on later arrivals: the arrival-batch level (``batch_level``) on and off, validation first.

    .venv/bin/python benchmarks/bias_study.py [--home DIR] [--test]

The PayAtlas model (``fit_model``, everything else at its defaults) is fitted on the bundled
survey submissions that arrived before each cutoff and scored on the arrivals up to the next
one, with ``batch_level`` off (the newest pay year's level is the row-weighted fit's) and on
(the precision-weighted mean over arrival batches, :mod:`payatlas.model.arrival_level`).
Printed per split and variant: test records, bias (mean log error, P50 minus actual) and
MAE(log), then each variant's mean |bias| and mean MAE(log) over the validation splits.

Validation splits (all before the first rolling test window, 2024-05-01): 2023-10-01 ->
2024-01-01, 2024-01-01 -> 2024-03-01, 2024-03-01 -> 2024-05-01; the variant is chosen on them
(lower mean |bias| with mean MAE(log) no worse). ``--test`` also prints the rolling test splits
of ``rolling_backtest.py`` and a fourth cutoff (2024-10-01); they must not be used to choose.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bundled_frame import bundled_frame

from payatlas.model.train import fit_model

VALIDATION = (
    ("2023-10-01", "2024-01-01"),
    ("2024-01-01", "2024-03-01"),
    ("2024-03-01", "2024-05-01"),
)
TEST = (
    ("2024-05-01", "2024-07-01"),
    ("2024-07-01", "2024-08-15"),
    ("2024-08-15", None),
    ("2024-10-01", None),
)
VARIANTS = {"row level (off)": False, "batch level (on)": True}


def score(
    frame: pd.DataFrame, start: str, end: str | None, *, on: bool, seed: int, threshold: int
) -> tuple[int, int, float, float]:
    """(train rows, test rows, bias, MAE(log)) of PayAtlas on one split."""
    arrived = frame["first_seen"]
    train = frame[arrived < pd.Timestamp(start)].reset_index(drop=True)
    later = arrived >= pd.Timestamp(start)
    if end is not None:
        later &= arrived < pd.Timestamp(end)
    test = frame[later].reset_index(drop=True)
    model = fit_model(
        train, params={"batch_level": on}, seed=seed, threads=1, privacy_threshold=threshold
    )
    err = model.log_quantiles(test)[:, 2] - test["y"].to_numpy()
    return len(train), len(test), float(err.mean()), float(np.abs(err).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None, help="a home holding the store")
    parser.add_argument("--test", action="store_true", help="also print the test splits")
    args = parser.parse_args()
    started = time.perf_counter()
    with bundled_frame(args.home, prefix="payatlas-bias-") as (settings, frame):
        splits = [*VALIDATION, *(TEST if args.test else ())]
        print(f"{'split':<26} {'variant':<18} {'train':>7} {'test':>7} {'bias':>8} {'MAE(log)':>8}")
        val: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
        for start, end in splits:
            for name, on in VARIANTS.items():
                n_train, n_test, bias, mae = score(
                    frame,
                    start,
                    end,
                    on=on,
                    seed=settings.seed,
                    threshold=settings.privacy_threshold,
                )
                if (start, end) in VALIDATION:
                    val[name].append((abs(bias), mae))
                kind = "validation" if (start, end) in VALIDATION else "test"
                label = f"{start}->{end or 'end'} {kind[0]}"
                print(
                    f"{label:<26} {name:<18} {n_train:>7,} {n_test:>7,} {bias:>+8.4f} {mae:>8.4f}"
                )
        print()
        for name, rows in val.items():
            arr = np.array(rows)
            print(
                f"validation mean over {len(rows)} splits, {name}: |bias| {arr[:, 0].mean():.4f}, "
                f"MAE(log) {arr[:, 1].mean():.4f}"
            )
        print(
            f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}, "
            f"Python {platform.python_version()}, load average "
            f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}; "
            f"{time.perf_counter() - started:.0f} s"
        )


if __name__ == "__main__":
    main()
