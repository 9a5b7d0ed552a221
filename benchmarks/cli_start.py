"""CLI start-up: ``payatlas --help``, every subcommand's ``--help`` and one cold ``estimate``.

    .venv/bin/python benchmarks/cli_start.py [--repeat 5] [--home DIR] [--estimate-only]

Each figure is a fresh process (what a user waits for), timed from spawn to exit: the best and
the median of ``--repeat`` runs of wall time, the process's CPU time (user + system, from the
OS) and its peak memory. The estimate runs on ``--home`` (default: the settings' home), which is
initialised first when it has no champion. Targets: every ``--help`` <= 0.35 s, the estimate
<= 1.0 s. The machine's load is printed too: on a busy machine wall time exceeds CPU time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("payatlas")
ESTIMATE = ("estimate", "--role", "ML Engineer", "--country", "DE", "--level", "senior")


def measure(args: tuple[str, ...], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one ``payatlas ARGS`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"payatlas {' '.join(args)} failed: {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024  # ru_maxrss: KiB on Linux, the peak so far


def row(label: str, runs: list[tuple[float, float, float]], target: float) -> str:
    walls = [w for w, _, _ in runs]
    best, median = min(walls), statistics.median(walls)
    cpu = min(c for _, c, _ in runs)
    ok = "met" if best <= target else "NOT met"
    return (
        f"{label:<44} best {best:5.2f} s  median {median:5.2f} s  cpu {cpu:5.2f} s  "
        f"(target <= {target:.2f} s: {ok})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure")
    parser.add_argument("--home", type=Path, default=None, help="PAYATLAS_HOME for the estimate")
    parser.add_argument("--estimate-only", action="store_true", help="skip the --help figures")
    opts = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100"}
    if opts.home is not None:
        env["PAYATLAS_HOME"] = str(opts.home)

    from payatlas.cli.reference import command_paths

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start"
    )
    print(f"command: {EXE} ... (a fresh process per run, {opts.repeat} runs each)")
    peak = 0.0
    worst_help = 0.0
    for path in [] if opts.estimate_only else [[], *command_paths()]:
        args = (*path, "--help")
        runs = [measure(args, env) for _ in range(opts.repeat)]
        peak = max(peak, *(m for _, _, m in runs))
        worst_help = max(worst_help, min(w for w, _, _ in runs))
        print(row("payatlas " + " ".join(args), runs, 0.35))
    if not opts.estimate_only:
        print(f"slowest --help (best of its runs): {worst_help:.2f} s; peak memory {peak:.0f} MB")

    init = subprocess.run([str(EXE), "models", "--json"], env=env, capture_output=True, text=True)
    if '"champion": true' not in init.stdout:
        print("(no champion in this home: running `payatlas init` first, not timed)")
        subprocess.run([str(EXE), "init"], env=env, check=True, capture_output=True)
    runs = [measure(ESTIMATE, env) for _ in range(opts.repeat)]
    print(row("payatlas " + " ".join(f"'{a}'" if " " in a else a for a in ESTIMATE), runs, 1.0))
    print(f"estimate peak memory {max(m for _, _, m in runs):.0f} MB")
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
