"""The postings file through the generic mapping: CLI wall time, and what a location column costs.

    .venv/bin/python benchmarks/ingest_styles.py [--file POSTINGS.csv.gz] [--runs 3]

Suggests a mapping for the postings file (``payatlas mapping suggest``), used as printed
(docs/mapping.md's worked example 2), and times ``payatlas ingest FILE --mapping M`` end to end
(process start-up included) into a fresh home, three runs, the best kept; then the same with the
``location`` line removed from the mapping. Prints rows, accepted/flagged/rejected, the share
accepted, both wall times and their ratio. Targets: CLI <= 5 s; location ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from payatlas.bundled import postings_path
from payatlas.ingest.suggest import suggest_mapping


def cli_ingest(data: Path, mapping: Path, home: Path) -> tuple[float, float, dict[str, object]]:
    """(wall seconds, CPU seconds user+sys, the JSON report) of one CLI ingest."""
    exe = Path(sys.executable).with_name("payatlas")
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        [str(exe), "ingest", str(data), "--mapping", str(mapping), "--json"],
        check=True, env=env, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=postings_path())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = suggest_mapping(args.file).text  # used as printed (docs/mapping.md, example 2)
    without = "\n".join(ln for ln in text.split("\n") if not ln.startswith("location = "))
    with tempfile.TemporaryDirectory(prefix="pa-bench-") as tmp:
        t = Path(tmp)
        (t / "with.toml").write_text(text)
        (t / "without.toml").write_text(without)
        results = {}
        for name in ("with", "without"):
            best, best_cpu = float("inf"), float("inf")
            report: dict[str, object] = {}
            for i in range(args.runs):
                seconds, cpu, report = cli_ingest(args.file, t / f"{name}.toml", t / f"{name}{i}")
                best, best_cpu = min(best, seconds), min(best_cpu, cpu)
            results[name] = (best, best_cpu, report)
    secs, cpu, rep = results["with"]
    rows, acc = int(rep["rows_read"]), int(rep["accepted"])  # type: ignore[call-overload]
    print(f"file: {args.file.name}  rows: {rows:,}")
    print(f"accepted {acc:,} ({acc / rows:.2%}; flagged {rep['flagged']:,}), "
          f"rejected {rep['rejected']:,}")  # fmt: skip
    print(f"flags: {rep['flags']}")
    print(f"payatlas ingest (CLI, incl. start-up), with location:    {secs:5.2f} s  (target <= 5)"
          f"  CPU {cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    base = results["without"][0]
    print(f"payatlas ingest (CLI, incl. start-up), without location: {base:5.2f} s")
    print(f"location column cost: x{secs / base:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
