"""Ingest and batch: PayAtlas ingest vs a raw DuckDB load of the same 1M-row file (the floor),
and a 100k-profile CLI batch estimate, in one run.

    .venv/bin/python benchmarks/ingest.py [--rows 1000000] [--batch 100000] [--repeat 3]
                                          [--home DIR]

Makes a CSV in the bundled aijobs layout by resampling the bundled rows (seeded), then times,
``--repeat`` times each and interleaved (so each ratio compares runs under the same load):
(1) a raw DuckDB ``read_csv`` into a table of a fresh database file, no normalisation,
(2) ``payatlas.ingest`` (what ``payatlas ingest FILE`` calls) into a fresh store,
(3) the ``payatlas ingest FILE`` command end to end (process start-up included), and
(4) ``payatlas estimate --input FILE --output OUT.csv`` on the first ``--batch`` rows of the
same file (a fresh process; the home is ``--home``, else a temporary one set up by
``payatlas init`` first, not timed).
Prints best and median of each (and the CPU time of the CLI processes: on a busy machine wall
time exceeds it), the ratios (2)/(1) and (3)/(1), the machine and the load average.
Targets (#9): CLI ingest <= 2.5x the raw load; the 100k-profile CLI batch <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
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


EXE = Path(sys.executable).with_name("payatlas")


def run_cli(args: list[str], home: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``payatlas ARGS`` process on ``home``."""
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(EXE), *args], check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_cli(path: Path, home: Path) -> tuple[float, float]:
    """``payatlas ingest FILE`` into a fresh home (a fresh process)."""
    return run_cli(["ingest", str(path), "--json"], home)


def time_batch(path: Path, out: Path, home: Path) -> tuple[float, float]:
    """``payatlas estimate --input FILE --output OUT`` (a fresh process)."""
    return run_cli(["estimate", "--input", str(path), "--output", str(out), "--json"], home)


def head_file(src: Path, dst: Path, rows: int) -> None:
    """The first ``rows`` rows of ``src`` as a CSV."""
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true) LIMIT {rows}) "
                f"TO '{dst}' (HEADER)")  # fmt: skip
    con.close()


def batch_home(home: Path | None, tmp: Path) -> Path:
    """A home with a champion (``payatlas init`` in a temporary one when none is given)."""
    if home is not None:
        return home
    home = tmp / "batch-home"
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    subprocess.run([str(EXE), "init"], check=True, env=env, capture_output=True)
    return home


def figure(label: str, runs: list[float], rows: int, cpu: list[float] | None = None) -> str:
    best, median = min(runs), statistics.median(runs)
    spent = f"  cpu {min(cpu):6.2f} s" if cpu else ""
    return (
        f"{label:<40}: best {best:6.2f} s  median {median:6.2f} s  "
        f"{rows / best:>12,.0f} rows/s{spent}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100_000, help="profiles in the CLI batch")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure")
    parser.add_argument("--home", type=Path, default=None, help="PAYATLAS_HOME for the batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        data = tmp / "resampled.csv"
        make_file(data, args.rows)
        profiles = tmp / "profiles.csv"
        head_file(data, profiles, args.batch)
        home = batch_home(args.home, tmp)
        size_mb = data.stat().st_size / 1e6
        load_start = os.getloadavg()[0]
        raw, ours, cli, batch, cli_cpu, batch_cpu = [], [], [], [], [], []
        for i in range(args.repeat):
            raw.append(time_raw(data, tmp / f"raw{i}.duckdb"))
            seconds, accepted, rejected = time_payatlas(data, tmp / f"pa{i}" / "payatlas.duckdb")
            ours.append(seconds)
            assert accepted + rejected == args.rows, "rows not accounted for"
            wall, cpu = time_cli(data, tmp / f"cli-home{i}")
            cli.append(wall)
            cli_cpu.append(cpu)
            wall, cpu = time_batch(profiles, tmp / f"out{i}.csv", home)
            batch.append(wall)
            batch_cpu.append(cpu)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"python {platform.python_version()}, duckdb {duckdb.__version__}; "
            f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end"
        )
        print(f"command: {' '.join(sys.argv)} ({args.repeat} interleaved runs of each figure)")
        print(f"file: {args.rows:,} rows, {size_mb:.1f} MB CSV (bundled layout, resampled)")
        print(figure("raw DuckDB read_csv -> table", raw, args.rows))
        print(
            figure("PayAtlas ingest (library)", ours, args.rows)
            + f"  (accepted {accepted:,}, rejected {rejected:,})"
        )
        print(figure("payatlas ingest FILE (CLI, fresh process)", cli, args.rows, cli_cpu))
        ratios = [o / r for o, r in zip(ours, raw, strict=True)]
        cli_ratios = [c / r for c, r in zip(cli, raw, strict=True)]
        print(
            f"ratio library / raw: best {min(ratios):.2f}, median {statistics.median(ratios):.2f}"
        )
        ok = "met" if min(cli_ratios) <= 2.5 else "NOT met"
        print(
            f"ratio CLI ingest / raw: best {min(cli_ratios):.2f}, "
            f"median {statistics.median(cli_ratios):.2f}  (target <= 2.5: {ok})"
        )
        ok = "met" if min(batch) <= 3.0 else "NOT met"
        print(
            figure(
                f"payatlas estimate --input ({args.batch:,} profiles)", batch, args.batch, batch_cpu
            )
            + f"  (target <= 3 s: {ok})"
        )


if __name__ == "__main__":
    main()
