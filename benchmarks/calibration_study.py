"""Calibration variants for the 80% range, scored on time-ordered validation splits.

    .venv/bin/python benchmarks/calibration_study.py [--home DIR] [--test]

Reproduces the study in docs/methodology.md ("The calibration window, chosen on five validation
splits"). For each split the point model is fitted the way ``fit_model`` fits it: on the rows
that arrived more than ``months`` months before the split's cutoff; its residuals on the last
``months`` months calibrate the ranges; then the point model is refitted on every row before the
cutoff and scored on the next 3 months of arrivals. Variants differ only in the calibration:

- ``N-month window``: residual grids per US/non-US x level from an N-month window (``fit_model``
  uses 6, the parameter ``cal_months``; 3 was the previous default);
- ``new-title T``: each US/non-US x level group split by whether the row's title had fewer than
  ``T`` training records (a title the model cannot resolve individually), backing off to the
  pooled spread ratio of new vs known titles for thin groups;
- ``shrink k``: each group's grid shrunk toward its parent's (US/non-US, then all rows) with
  weight ``n / (n + k)``, the way the model shrinks thin cell means.

Validation splits (cutoff -> end of test window): 2023-04-01, 2023-07-01, 2023-10-01,
2024-01-01 and 2024-04-01, each tested on its next 3 months; gated groups are overall, non-US and
every level with at least 100 test rows. The score is the largest |coverage - 0.80| over the
gated groups, averaged over the five splits. ``--test`` also scores the 2024-07-01 backtest
(levels gated at 300 rows); that split must not be used to choose a variant.
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from bundled_frame import bundled_frame

from payatlas.model.calibration import residual_grid
from payatlas.model.features import encode
from payatlas.model.train import DEFAULT_PARAMS, fit_point, predict_point

LEVELS = ("entry", "mid", "senior", "executive")
VALIDATION = ("2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01", "2024-04-01")
TEST = "2024-07-01"
MIN_ROWS = 30

Grid = np.ndarray
Offsets = Callable[[pd.DataFrame, pd.DataFrame], np.ndarray]


def residual_split(
    frame: pd.DataFrame, cutoff: str, *, months: int, seed: int, until: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(calibration window with ``pt``/``tn``, test window with ``pt``/``tn``) for one split,
    the window being the last ``months`` months of arrivals before the cutoff. ``tn``: training
    records with the same title as the row (its title's support)."""
    cut = pd.Timestamp(cutoff)
    train = frame[frame["first_seen"] < cut].reset_index(drop=True)
    if until is not None:  # an explicit end of the test window (the replay's validation)
        end = pd.Timestamp(until)
    else:
        end = cut + pd.DateOffset(months=3) if cutoff != TEST else pd.Timestamp.max
    test = frame[(frame["first_seen"] >= cut) & (frame["first_seen"] < end)]
    test = test.reset_index(drop=True)
    start = train["first_seen"].max() - pd.DateOffset(months=months)
    proper = train[train["first_seen"] <= start]
    window = train[train["first_seen"] > start].reset_index(drop=True)
    params = dict(DEFAULT_PARAMS)
    boosters, enc = fit_point(proper, params=params, seed=seed, threads=1)
    window["pt"] = predict_point(boosters, encode(window, enc), threads=1)
    window["tn"] = window["tkey"].map(proper["tkey"].value_counts()).fillna(0)
    boosters, enc = fit_point(train, params=params, seed=seed, threads=1)
    test["pt"] = predict_point(boosters, encode(test, enc), threads=1)
    test["tn"] = test["tkey"].map(train["tkey"].value_counts()).fillna(0)
    return window, test


def _grids(cal: pd.DataFrame, novelty: int) -> tuple[dict[str, Grid], dict[str, int]]:
    res = (cal["y"] - cal["pt"]).to_numpy()
    side = np.where(cal["country"] == "US", "US", "nonUS")
    level = cal["level"].astype(str).to_numpy()
    new = np.where(cal["tn"] < novelty, "new", "old")
    masks: dict[str, np.ndarray] = {"all": np.ones(len(cal), dtype=bool)}
    for s in ("US", "nonUS"):
        masks[s] = side == s
        for lv in LEVELS:
            masks[f"{s}|{lv}"] = (side == s) & (level == lv)
            for n in ("new", "old"):
                masks[f"{s}|{lv}|{n}"] = masks[f"{s}|{lv}"] & (new == n)
    for n in ("new", "old"):
        masks[n] = new == n
    grids = {
        k: np.asarray(residual_grid(res[m], 0.0)) for k, m in masks.items() if m.sum() >= MIN_ROWS
    }
    return grids, {k: int(m.sum()) for k, m in masks.items()}


def variant(novelty: int = 0, k: float = 0.0) -> Offsets:
    """The 10%/90% residual offsets of each test row under one calibration variant."""

    def offsets(cal: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
        grids, counts = _grids(cal, novelty)
        side = np.where(test["country"] == "US", "US", "nonUS")
        level = test["level"].astype(str).to_numpy()
        new = np.where(test["tn"] < novelty, "new", "old")
        cache: dict[tuple[str, str, str], np.ndarray] = {}
        out = np.zeros((len(test), 2))
        for i, key in enumerate(zip(side, level, new, strict=True)):
            if key not in cache:
                cache[key] = _offset(grids, counts, key, novelty=novelty, k=k)
            out[i] = cache[key]
        return out

    return offsets


def _offset(
    grids: dict[str, Grid],
    counts: dict[str, int],
    key: tuple[str, str, str],
    *,
    novelty: int,
    k: float,
) -> np.ndarray:
    s, lv, n = key
    chain = ["all", s, f"{s}|{lv}"] + ([f"{s}|{lv}|{n}"] if novelty else [])
    grid: Grid | None = None
    for name in chain:
        if name not in grids:
            continue
        if grid is None or k <= 0:
            grid = grids[name]
            continue
        w = counts[name] / (counts[name] + k)
        own = grids[name]
        grid = w * own + (1 - w) * (grid - grid[49] + own[49])
    assert grid is not None
    if novelty and n == "new" and f"{s}|{lv}|new" not in grids and {"new", "old"} <= set(grids):
        ratio = (grids["new"][89] - grids["new"][9]) / (grids["old"][89] - grids["old"][9])
        grid = grid[49] + ratio * (grid - grid[49])
    return grid[[9, 89]]


def score(test: pd.DataFrame, off: np.ndarray, *, gate_rows: int) -> dict[str, float]:
    """Coverage per group, the gated gap and the median P90/P10."""
    y = test["y"].to_numpy()
    inside = (y >= test["pt"] + off[:, 0]) & (y <= test["pt"] + off[:, 1])
    out = {"overall": float(inside.mean()), "non-US": float(inside[test["country"] != "US"].mean())}
    gated = ["overall", "non-US"]
    for lv in LEVELS:
        m = (test["level"] == lv).to_numpy()
        out[lv] = float(inside[m].mean()) if m.any() else float("nan")
        if m.sum() >= gate_rows:
            gated.append(lv)
    out["new titles"] = float(inside[(test["tn"] < 20).to_numpy()].mean())
    out["gap"] = max(abs(out[g] - 0.8) for g in gated)
    out["P90/P10"] = float(np.median(np.exp(off[:, 1] - off[:, 0])))
    return out


#: name -> (calibration window in months, calibration offsets)
VARIANTS: dict[str, tuple[int, Offsets]] = {
    "3-month window (previous default)": (3, variant()),
    "3 months, new-title 5": (3, variant(novelty=5)),
    "3 months, new-title 20": (3, variant(novelty=20)),
    "3 months, shrink k=100": (3, variant(k=100)),
    "3 months, shrink k=300": (3, variant(k=300)),
    "3 months, new-title 20 + shrink k=300": (3, variant(novelty=20, k=300)),
    "4-month window": (4, variant()),
    "6-month window": (6, variant()),
    "9-month window": (9, variant()),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--test", action="store_true", help="also score the 2024-07-01 split")
    args = parser.parse_args()
    with bundled_frame(args.home, prefix="payatlas-cal-") as (settings, frame):
        print(
            f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
            f"{platform.python_version()}; {len(frame):,} records"
        )
        splits = [*VALIDATION, TEST] if args.test else list(VALIDATION)
        months = sorted({m for m, _ in VARIANTS.values()})
        data = {
            (c, m): residual_split(frame, c, months=m, seed=settings.seed)
            for c in splits
            for m in months
        }
        rows = []
        for name, (m, fn) in VARIANTS.items():
            val = [score(data[c, m][1], fn(*data[c, m]), gate_rows=100) for c in VALIDATION]
            row = {
                "variant": name,
                "validation gap (mean)": np.mean([v["gap"] for v in val]),
                "per split": " ".join(f"{v['gap']:.3f}" for v in val),
                "new-title coverage": " ".join(f"{v['new titles']:.2f}" for v in val),
            }
            if args.test:
                t = score(data[TEST, m][1], fn(*data[TEST, m]), gate_rows=300)
                row.update({f"test {g}": t[g] for g in ("gap", "overall", "non-US", *LEVELS)})
                row["test P90/P10"] = t["P90/P10"]
            rows.append(row)
        with pd.option_context("display.width", 250, "display.max_columns", 30):
            print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
