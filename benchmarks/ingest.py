"""Ingest throughput: PayAtlas ingest vs a raw DuckDB load of the same 1M-row file (the floor).

    .venv/bin/python benchmarks/ingest.py [--rows 1000000]

Makes a CSV in the bundled aijobs layout by resampling the bundled rows (seeded), then times
(1) a raw DuckDB ``read_csv`` into a table of a fresh database file, no normalisation, and
(2) ``payatlas.ingest`` (what ``payatlas ingest FILE`` calls) into a fresh store, and
(3) the ``payatlas ingest`` command end to end (process start-up included).
Prints rows/s for each and the ratio (2)/(1). Target: ratio <= 3.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.store import Store


def make_file(path: Path, rows: int, seed: int = 7) -> None:
    """Resample the bundled rows (with replacement) into a CSV of ``rows`` rows."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute(
        f"CREATE TABLE b AS SELECT *, row_number() OVER () - 1 AS rn "
        f"FROM read_csv('{aijobs_path()}', all_varchar=true)"
    )
    n = con.execute("SELECT count(*) FROM b").fetchone()[0]  # type: ignore[index]
    con.execute(
        f"COPY (SELECT b.* EXCLUDE (rn) FROM range({rows}) r "
        f"JOIN b ON b.rn = (hash(r.range + {seed}) % {n}) ORDER BY r.range) "
        f"TO '{path}' (HEADER)"
    )
    con.close()


def time_raw(path: Path, db: Path) -> float:
    start = time.perf_counter()
    con = duckdb.connect(str(db), config={"threads": 2})
    con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{path}')")
    con.close()
    return time.perf_counter() - start


def time_payatlas(path: Path, db: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    with Store(db, threads=2) as store:
        report = ingest(path, store=store)
    return time.perf_counter() - start, report.accepted, report.rejected


def time_cli(path: Path, home: Path) -> float:
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    exe = Path(sys.executable).with_name("payatlas")
    start = time.perf_counter()
    subprocess.run(
        [str(exe), "ingest", str(path), "--json"], check=True, env=env, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        data = tmp / "resampled.csv"
        make_file(data, args.rows)
        size_mb = data.stat().st_size / 1e6
        raw, ours, cli = [], [], []
        for i in range(args.repeat):
            raw.append(time_raw(data, tmp / f"raw{i}.duckdb"))
            seconds, accepted, rejected = time_payatlas(data, tmp / f"pa{i}" / "payatlas.duckdb")
            ours.append(seconds)
            assert accepted + rejected == args.rows, "rows not accounted for"
        cli.append(time_cli(data, tmp / "cli-home"))
        best_raw, best_ours = min(raw), min(ours)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"python {platform.python_version()}, duckdb {duckdb.__version__}"
        )
        print(f"file: {args.rows:,} rows, {size_mb:.1f} MB CSV (bundled layout, resampled)")
        rate_raw, rate_ours = args.rows / best_raw, args.rows / best_ours
        print(f"raw DuckDB read_csv -> table : {best_raw:6.2f} s  {rate_raw:>12,.0f} rows/s")
        print(
            f"PayAtlas ingest (library)    : {best_ours:6.2f} s  {rate_ours:>12,.0f} rows/s"
            f"  (accepted {accepted:,}, rejected {rejected:,})"
        )
        print(
            f"payatlas ingest (CLI, incl. start-up): {cli[0]:6.2f} s  "
            f"{args.rows / cli[0]:>12,.0f} rows/s"
        )
        ratio = best_ours / best_raw
        print(f"ratio PayAtlas / raw: {ratio:.2f}  (target <= 3; best of {args.repeat})")


if __name__ == "__main__":
    main()
