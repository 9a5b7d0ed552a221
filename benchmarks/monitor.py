"""Monitoring on ingest (#14), measured on the bundled survey split by arrival.

    .venv/bin/python benchmarks/monitor.py [--home DIR] [--split 2024-07-01] [--fast]

A champion (default parameters, or small fast ones with ``--fast``) is trained on the survey
submissions that arrived before ``--split`` (dataset v1); the later arrivals are ingested as
dataset v2 (the bundled CSV format) and scored on ingest as `payatlas ingest` does, then the same
rows with pay x 1.3 as v3. Printed: the time the scoring adds to each ingest, the champion's
80% coverage and bias per level on v2 and v3, the largest drift (PSI) and the alerts, and the
fairness report's worst groups on v2.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.model import promote, train_candidate
from payatlas.model.monitor import monitor_ingest, monitor_report
from payatlas.settings import Settings
from payatlas.store import Store

FAST = {"objectives": ["regression"], "num_boost_round": 60, "learning_rate": 0.1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="Work folder (default: a temporary one).")
    parser.add_argument("--split", default="2024-07-01")
    parser.add_argument("--fast", action="store_true", help="A small, quick champion.")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="payatlas-monitor-"))
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    rows = pd.read_csv(aijobs_path(), dtype=str, keep_default_na=False)
    earlier, later = rows[rows["first_seen"] < args.split], rows[rows["first_seen"] >= args.split]
    shifted = later.copy()
    for col in ("salary", "salary_in_usd"):
        shifted[col] = (shifted[col].astype(float) * 1.3).round().astype(int).astype(str)
    files = {name: home / f"{name}.csv" for name in ("earlier", "later", "shifted")}
    for name, frame in (("earlier", earlier), ("later", later), ("shifted", shifted)):
        frame.to_csv(files[name], index=False)
    settings = Settings(home=home)
    with Store.open(settings) as store:
        ingest(files["earlier"], store=store)
        started = time.perf_counter()
        record = train_candidate(store, settings, params=FAST if args.fast else None)
        promote(record.model_id, settings)
        print(
            f"champion {record.model_id}: trained on {record.rows:,} survey submissions that "
            f"arrived before {args.split} in {time.perf_counter() - started:.0f} s"
        )
        for name in ("later", "shifted"):
            report = ingest(files[name], store=store)
            started = time.perf_counter()
            view = monitor_ingest(store, settings, version=report.dataset_version)
            took = time.perf_counter() - started
            assert view is not None
            print(f"v{view.dataset_version} ({name}, {view.records:,} records): scored on ingest "
                  f"in {took:.2f} s; {len(view.alerts)} alerts")  # fmt: skip
        result = monitor_report(store, settings)
    print(f"{'version':8} {'group':22} {'records':>8} {'coverage':>9} {'bias %':>7}")
    for view in result.versions:
        for g in view.groups:
            if g.dimension in ("overall", "level"):
                print(f"v{view.dataset_version:<7} {g.dimension + ' ' + g.group:22} "
                      f"{g.records:>8,} {g.coverage:>9.3f} {g.bias_pct:>+7.1f}")  # fmt: skip
        top = max(view.drift.psi, key=lambda p: p.psi)
        print(f"v{view.dataset_version} drift: largest PSI {top.feature} {top.psi:.2f}; unseen "
              f"titles {view.drift.unseen_title_share:.1%}")  # fmt: skip
        for alert in view.alerts[:3]:
            print(f"v{view.dataset_version} ALERT {alert.message}")
    fair = result.versions[0].fairness
    if fair is not None:
        print("fairness on v2, gated groups furthest from 0.80:")
        for g in [g for g in fair.groups if g.gated][:5]:
            c = g.coverage
            print(f"  {g.dimension} {g.group}: {c.value:.3f} [{c.low:.3f}, {c.high:.3f}], "
                  f"{g.records:,} records")  # fmt: skip


if __name__ == "__main__":
    main()
