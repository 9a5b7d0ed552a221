"""The career view on the bundled data: how many rungs are measured, how well their ranges cover
held-out records, and how long a view takes.

    .venv/bin/python benchmarks/career.py [--families 8] [--countries 10]

Builds a store of the bundled data in a temp dir, then for the commonest families x the
commonest countries calls ``career_view`` (the function behind ``payatlas career``,
``GET /v1/career`` and the Career page) and prints, per rung: how many cells are measured,
extrapolated and unavailable, and the measured coverage (held-out share inside P10-P90, nominal
0.80) as mean, min and max over the measured cells; then the cold and warm time of one view
(ml_engineer, US). Target: mean measured coverage within 0.75-0.85 on every rung with data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from payatlas.analytics.career import CAREER_RUNGS, career_view
from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.normalize.seniority import RUNG_LABELS
from payatlas.settings import Settings
from payatlas.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=8)
    parser.add_argument("--countries", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp))
        with Store(Path(tmp) / "payatlas.duckdb") as store:
            ingest(aijobs_path(), store=store)
            families = [r[0] for r in store.execute(
                "SELECT role_family FROM records GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?",
                [args.families]).fetchall()]  # fmt: skip
            countries = [r[0] for r in store.execute(
                "SELECT country FROM records GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?",
                [args.countries]).fetchall()]  # fmt: skip
            counts = {r: {"measured": 0, "extrapolated": 0, "unavailable": 0} for r in CAREER_RUNGS}
            coverage: dict[str, list[float]] = {r: [] for r in CAREER_RUNGS}
            for family in families:
                for country in countries:
                    view = career_view(
                        store, family=family, country=country, settings=settings, moves=False
                    )
                    for r in view.rungs:
                        counts[r.rung][r.method] += 1
                        if r.coverage is not None:
                            coverage[r.rung].append(r.coverage)
            cells = len(families) * len(countries)
            print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
            print(f"{len(families)} families x {len(countries)} countries = {cells} cells")
            for rung in CAREER_RUNGS:
                c, cov = counts[rung], coverage[rung]
                cov_text = (
                    f"coverage mean {statistics.mean(cov):.3f} (min {min(cov):.3f}, "
                    f"max {max(cov):.3f})"
                    if cov
                    else "coverage -"
                )
                print(
                    f"{RUNG_LABELS[rung]:<18} measured {c['measured']:>3}, extrapolated "
                    f"{c['extrapolated']:>3}, unavailable {c['unavailable']:>3}; {cov_text}"
                )
            t0 = time.perf_counter()
            career_view(store, family="ml_engineer", country="DE", settings=settings)
            cold = time.perf_counter() - t0
            t0 = time.perf_counter()
            career_view(store, family="ml_engineer", country="DE", settings=settings)
            warm = time.perf_counter() - t0
            print(f"career_view(ml_engineer, DE) with moves: cold {cold * 1000:.0f} ms, "
                  f"warm {warm * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
