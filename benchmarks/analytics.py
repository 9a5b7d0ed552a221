"""Analytics speed on a 10,000,000-row store: a two-field percentile benchmark and a trend query.

    .venv/bin/python benchmarks/analytics.py [--rows 10000000] [--repeat 3]

Builds a store in a temp dir: the bundled rows are ingested once, then resampled inside DuckDB
(``records x range(k)``, pay jittered by up to +/-5% with a hash of row and copy, arrival
dates shifted by up to 90 days) to ``--rows`` rows -- no Python loop over rows and no re-run
of the ingest pipeline. Then times, through the library functions the CLI and API call:

1. ``benchmark(by=["country", "level"])`` -- P10/P25/P50/P75/P90, mean and count per group;
2. ``trend()`` -- median per pay year with bootstrap 90% intervals and YoY, plus survey
   submissions per arrival month per role family.

Prints build time, each query's first (cold) and best time, and the peak RSS. Target: each
query <= 1 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from payatlas.analytics import Slice, benchmark, trend
from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.settings import Settings
from payatlas.store import Store


def build(path: Path, rows: int, threads: int) -> tuple[Store, float]:
    """A store of ``rows`` records resampled from the bundled data; returns it and seconds."""
    t0 = time.perf_counter()
    store = Store(path, threads=threads)
    ingest(aijobs_path(), store=store)
    base = store.record_count()
    copies = -(-rows // base)  # ceiling
    store.execute("CREATE TEMP TABLE base AS SELECT * FROM record_rows")
    store.execute(
        "INSERT INTO record_rows SELECT * EXCLUDE (i) REPLACE ("
        "  round(annual_usd * (0.95 + (hash(source_row, i) % 1001) / 10000.0), 2) AS annual_usd,"
        "  first_seen + CAST(hash(i, source_row) % 91 AS INTEGER) AS first_seen,"
        "  is_duplicate OR i > 0 AS is_duplicate"
        f") FROM base, range(1, {copies}) t(i) LIMIT {rows - base}"
    )
    store.execute("DROP TABLE base")
    store.execute("CHECKPOINT")
    return store, time.perf_counter() - t0


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """First and best wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times[0], min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores visible, "
        f"DuckDB threads={args.threads}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)"
    )
    with tempfile.TemporaryDirectory(prefix="payatlas-bench-") as tmp:
        settings = Settings(home=Path(tmp), threads=args.threads)
        store, secs = build(Path(tmp) / "payatlas.duckdb", args.rows, args.threads)
        store.close()  # reopen as the CLI and API do: an existing store, read-only
        store = Store(Path(tmp) / "payatlas.duckdb", read_only=True, threads=args.threads)
        n = store.record_count()
        size = (Path(tmp) / "payatlas.duckdb").stat().st_size / 2**20
        print(f"built store: {n:,} records in {secs:.1f} s ({size:,.0f} MiB on disk)")
        cases: list[tuple[str, Callable[[], Any]]] = [
            (
                "benchmark by country x level (all rows)",
                lambda: benchmark(store, slice=Slice(), by=["country", "level"], settings=settings),
            ),
            (
                "trend (all rows: median/year + 90% CI + YoY + submissions/month)",
                lambda: trend(store, slice=Slice(), settings=settings),
            ),
            (
                "benchmark by region x year, role=ML Engineer",
                lambda: benchmark(
                    store, slice=Slice(role="ML Engineer"), by=["region", "year"], settings=settings
                ),
            ),
            (
                "trend, role=ML Engineer, country=US",
                lambda: trend(
                    store, slice=Slice(role="ML Engineer", country="US"), settings=settings
                ),
            ),
        ]
        worst = 0.0
        for label, fn in cases:
            first, best, result = timed(fn, args.repeat)
            worst = max(worst, first)
            groups = len(getattr(result, "groups", getattr(result, "years", [])))
            print(f"{label}: first {first:.3f} s, best {best:.3f} s ({groups} groups)")
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "OK" if worst <= 1.0 else "SLOWER THAN TARGET"
    print(
        f"slowest first run {worst:.3f} s (target <= 1 s): {verdict}; peak RSS {peak:,.0f} MiB; "
        f"load average now {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
