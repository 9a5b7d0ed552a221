"""Replay the bundled survey submissions week by week: static vs adaptive 80% ranges.

    .venv/bin/python benchmarks/replay.py [--home DIR] [--cutoff 2024-07-01] [--until DATE]
        [--gamma 2.0] [--evidence-rows 400] [--sweep]

The point model is fitted the way the calibration study fits it
(``calibration_study.residual_split``: 6-month calibration window before the cutoff) and the
conformal grid the way serving fits it (``fit_calibration`` per US/non-US x level, centred on
its median as ``fit_model`` does). Then the
arrivals after the cutoff are walked week by week by ``first_seen``: each week is scored with
the static range and with the adaptive one (``payatlas.model.adaptive``), then the adaptive
offsets are updated with that week's records (step ``gamma * n / (n + evidence_rows)`` per
level, n its records that week). Printed: 80% coverage per level per month, static vs adaptive,
for cells with >= 100 records, and how many cells are within 0.80 +- 0.05.

The serving defaults (``payatlas.model.adaptive``: gamma 2.0, evidence rows 400) were chosen on
the validation replay ``--cutoff 2024-01-01 --until 2024-07-01 --sweep`` (which also scores per
US/non-US x level adaptation) and then confirmed on the default 2024-07-01 replay.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from bundled_frame import bundled_frame
from calibration_study import LEVELS, residual_split

from payatlas.model.adaptive import EVIDENCE_ROWS, GAMMA, Adaptation
from payatlas.model.calibration import fit_calibration, group_keys
from payatlas.model.train import DEFAULT_PARAMS, centred

MIN_CELL = 100


def scored_split(
    frame: pd.DataFrame, cutoff: str, until: str | None, seed: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(test records from ``cutoff`` to ``until``, static log P10, static log P90)."""
    cal, test = residual_split(frame, cutoff, months=6, seed=seed, until=until)
    test = test[test["first_seen"] >= pd.Timestamp(cutoff)].reset_index(drop=True)
    # the serving calibration: grids per US/non-US x level (min 30 rows), centred on their
    # median as ``fit_model`` does (``cal_median_offset`` False)
    groups = group_keys(cal["country"], cal["level"], cal["role_family"])
    calibration = fit_calibration((cal["y"] - cal["pt"]).to_numpy(), groups, min_rows=30)
    if not DEFAULT_PARAMS["cal_median_offset"]:
        calibration = centred(calibration)
    off = calibration.offsets(group_keys(test["country"], test["level"], test["role_family"]))
    return test, test["pt"].to_numpy() + off[:, 0], test["pt"].to_numpy() + off[:, 4]


def walk(
    test: pd.DataFrame,
    lo: np.ndarray,
    hi: np.ndarray,
    *,
    gamma: float,
    evidence_rows: int,
    by: str = "level",
) -> tuple[np.ndarray, np.ndarray]:
    """Walk the records week by week: each week scored with the adaptive range, then the
    adaptation updated with it; returns (covered, log width P90 - P10) of the adaptive range
    per record. ``by``: ``level`` (what serving does) or ``side|level`` (US/non-US x level)."""
    y = test["y"].to_numpy()
    key = test["level"].astype(str)
    if by == "side|level":
        key = np.where(test["country"] == "US", "US|", "nonUS|") + key
        key = pd.Series(key, index=test.index)
    week = test["first_seen"].dt.to_period("W")
    ada = Adaptation(gamma=gamma, evidence_rows=evidence_rows)
    a_lo, a_hi = np.empty(len(test)), np.empty(len(test))
    for w in sorted(week.unique()):
        m = (week == w).to_numpy()
        lv = key[m]
        a_lo[m], a_hi[m] = ada.apply(lv, lo[m], hi[m])
        ada.update(lv, y[m], lo[m], hi[m])
    return np.asarray((y >= a_lo) & (y <= a_hi)), a_hi - a_lo


def replay(
    frame: pd.DataFrame,
    cutoff: str,
    gamma: float,
    seed: int,
    *,
    until: str | None = None,
    evidence_rows: int = EVIDENCE_ROWS,
) -> pd.DataFrame:
    """One row per test record: month, level, covered (static), covered (adaptive)."""
    test, lo, hi = scored_split(frame, cutoff, until, seed)
    y = test["y"].to_numpy()
    covered, width = walk(test, lo, hi, gamma=gamma, evidence_rows=evidence_rows)
    return pd.DataFrame(
        {
            "month": test["first_seen"].dt.to_period("M").astype(str),
            "level": test["level"].astype(str),
            "static": (y >= lo) & (y <= hi),
            "adaptive": covered,
            "static_width": hi - lo,
            "adaptive_width": width,
        }
    )


def cell_table(rows: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    """Coverage per (level, month) cell with >= MIN_CELL records, for each column."""
    cells = rows.groupby(["level", "month"]).agg(
        n=(cols[0], "size"), **{c: (c, "mean") for c in cols}
    )
    cells = cells[cells["n"] >= MIN_CELL].reset_index()
    cells["level"] = pd.Categorical(cells["level"], LEVELS, ordered=True)
    return cells.sort_values(["level", "month"])


def summary(cells: pd.DataFrame, col: str) -> str:
    """Cells within 0.80 +- 0.05, and the mean and largest |coverage - 0.80|."""
    dev = (cells[col] - 0.8).abs()
    ok = int((dev <= 0.05).sum())
    return (
        f"{ok}/{len(cells)} cells within 0.80 +- 0.05 ({ok / max(len(cells), 1):.0%}); "
        f"mean |cov - 0.80| {dev.mean():.4f}, largest {dev.max():.4f}"
    )


def sweep(frame: pd.DataFrame, cutoff: str, until: str | None, seed: int) -> None:
    """Score the adaptation variants (per level / per US-non-US x level, gamma, evidence
    rows) on one replay."""
    test, lo, hi = scored_split(frame, cutoff, until, seed)
    y = test["y"].to_numpy()
    base = pd.DataFrame(
        {
            "month": test["first_seen"].dt.to_period("M").astype(str),
            "level": test["level"].astype(str),
            "static": (y >= lo) & (y <= hi),
        }
    )
    print(
        f"{'static':<32} {summary(cell_table(base, ('static',)), 'static')}; median P90/P10 "
        f"{np.exp(np.median(hi - lo)):.3f}"
    )
    for by in ("level", "side|level"):
        for gamma in (0.3, 0.5, 1.0, 2.0):
            for n0 in (0, 100, 400):
                base["v"], width = walk(test, lo, hi, gamma=gamma, evidence_rows=n0, by=by)
                name = f"{by} gamma {gamma} rows {n0}"
                print(
                    f"{name:<32} {summary(cell_table(base, ('v',)), 'v')}; median P90/P10 "
                    f"{np.exp(np.median(width)):.3f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--cutoff", default="2024-07-01")
    parser.add_argument("--until", default=None, help="end of the replay (default: all)")
    parser.add_argument("--gamma", type=float, default=GAMMA)
    parser.add_argument("--evidence-rows", type=int, default=EVIDENCE_ROWS)
    parser.add_argument("--sweep", action="store_true", help="score the variants")
    args = parser.parse_args()
    with bundled_frame(args.home, prefix="payatlas-replay-") as (settings, frame):
        if args.sweep:
            sweep(frame, args.cutoff, args.until, settings.seed)
            return
        rows = replay(
            frame,
            args.cutoff,
            args.gamma,
            settings.seed,
            until=args.until,
            evidence_rows=args.evidence_rows,
        )
        cells = cell_table(rows, ("static", "adaptive"))
        print(
            f"survey submissions from {args.cutoff} to {args.until or 'the end'}: {len(rows):,}; "
            f"per-level ACI, gamma {args.gamma}, evidence rows {args.evidence_rows}; cells "
            f"(level x month) with >= {MIN_CELL} records: {len(cells)}"
        )
        print(f"{'level':<10} {'month':<8} {'n':>6} {'static':>7} {'adaptive':>8}")
        for r in cells.itertuples():
            print(f"{r.level:<10} {r.month:<8} {r.n:>6} {r.static:>7.3f} {r.adaptive:>8.3f}")
        for col in ("static", "adaptive"):
            ratio = np.exp(rows[f"{col}_width"].median())
            print(f"{col}: {summary(cells, col)}; median P90/P10 {ratio:.3f}")


if __name__ == "__main__":
    main()
