"""Replay the bundled survey submissions week by week: static vs adaptive 80% ranges.

    .venv/bin/python benchmarks/replay.py [--home DIR] [--cutoff 2024-07-01] [--gamma 0.3]

The point model and its conformal grid are fitted the way the calibration study fits them
(``calibration_study.residual_split``: 6-month calibration window before the cutoff). Then the
arrivals after the cutoff are walked week by week by ``first_seen``: each week is scored with
the static range and with the adaptive one (``payatlas.model.adaptive``), then the adaptive
offsets are updated with that week's records. Printed: 80% coverage per level per month,
static vs adaptive, for cells with >= 100 records, and how many cells are within 0.80 +- 0.05.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from calibration_study import LEVELS, residual_split, variant

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.model.adaptive import Adaptation
from payatlas.model.data import load_frame
from payatlas.settings import Settings
from payatlas.store import Store

MIN_CELL = 100


def replay(frame: pd.DataFrame, cutoff: str, gamma: float, seed: int) -> pd.DataFrame:
    """One row per test record: month, level, covered (static), covered (adaptive)."""
    cal, test = residual_split(frame, cutoff, months=6, seed=seed)
    test = test[test["first_seen"] >= pd.Timestamp(cutoff)].reset_index(drop=True)
    off = variant()(cal, test)
    lo = test["pt"].to_numpy() + off[:, 0]
    hi = test["pt"].to_numpy() + off[:, 1]
    y = test["y"].to_numpy()
    week = test["first_seen"].dt.to_period("W")
    ada = Adaptation(gamma=gamma)
    a_lo, a_hi = np.empty(len(test)), np.empty(len(test))
    for w in sorted(week.unique()):
        m = (week == w).to_numpy()
        lv = test.loc[m, "level"]
        a_lo[m], a_hi[m] = ada.apply(lv, lo[m], hi[m])
        ada.update(lv, y[m], lo[m], hi[m])
    return pd.DataFrame(
        {
            "month": test["first_seen"].dt.to_period("M").astype(str),
            "level": test["level"].astype(str),
            "static": (y >= lo) & (y <= hi),
            "adaptive": (y >= a_lo) & (y <= a_hi),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--cutoff", default="2024-07-01")
    parser.add_argument("--gamma", type=float, default=0.3)
    args = parser.parse_args()
    tmp = None if args.home else Path(tempfile.mkdtemp(prefix="payatlas-replay-"))
    home = args.home or tmp
    assert home is not None
    try:
        settings = Settings(home=home)
        with Store.open(settings) as store:
            if store.is_empty():
                ingest(aijobs_path(), store=store)
            frame = load_frame(store)
        rows = replay(frame, args.cutoff, args.gamma, settings.seed)
        cells = rows.groupby(["level", "month"]).agg(
            n=("static", "size"), static=("static", "mean"), adaptive=("adaptive", "mean")
        )
        cells = cells[cells["n"] >= MIN_CELL].reset_index()
        cells["level"] = pd.Categorical(cells["level"], LEVELS, ordered=True)
        cells = cells.sort_values(["level", "month"])
        print(
            f"survey submissions after {args.cutoff}: {len(rows):,}; gamma {args.gamma}; "
            f"cells with >= {MIN_CELL} records: {len(cells)}"
        )
        print(f"{'level':<10} {'month':<8} {'n':>6} {'static':>7} {'adaptive':>8}")
        for r in cells.itertuples():
            print(f"{r.level:<10} {r.month:<8} {r.n:>6} {r.static:>7.3f} {r.adaptive:>8.3f}")
        for col in ("static", "adaptive"):
            ok = int(((cells[col] - 0.8).abs() <= 0.05).sum())
            mad = float((cells[col] - 0.8).abs().mean())
            print(
                f"{col}: {ok}/{len(cells)} cells within 0.80 +- 0.05; mean |cov - 0.80| {mad:.3f}"
            )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
