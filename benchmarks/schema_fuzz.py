"""OpenAPI conformance: schemathesis against a real server, every operation, every check (#15).

    .venv/bin/python benchmarks/schema_fuzz.py [--examples 100] [--home DIR] [--only PATH]

1. Sets up a PAYATLAS_HOME (``--home``, default a temp dir) holding a small fixed slice of the
   bundled data (600 records) and a small promoted champion, so that the write endpoints can be
   exercised *with* the key: training on 600 records is cheap whatever parameters the schema
   allows.
2. Starts ``uvicorn`` on a free port on 127.0.0.1 (production mode: a real key is required).
3. For every operation of the published schema (``/openapi.json``) and both generation modes
   (positive; negative where there is input to break), draws ``--examples`` requests with
   Hypothesis (derandomized: the same requests every run) and runs every check schemathesis
   offers (:data:`CHECKS`), with the key sent on every request; write operations are also
   drawn once more without the key (they must answer 401).
4. Prints per operation and mode: requests, failures, seconds; then every distinct failure.
   Exit status 1 when any check failed.

Target (issue #15): >= 100 examples per operation, 0 failures of any check.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

API_KEY = secrets.token_urlsafe(32)  # production mode: a strong key
SLICE_ROWS = 600
#: schema-valid train requests that really train (seconds each): capped; the operation still
#: gets its full count of requests with the key in negative mode and without the key
TRAIN_POSITIVE = 10


def prepare_home(home: Path) -> None:
    """A store with a fixed slice of the bundled data, the job-postings test slice (as `init`
    loads postings beside the survey) and a small promoted champion."""
    import duckdb
    from payatlas_postings import load_slice  # tests/support (path set in main)

    from payatlas.bundled import aijobs_path
    from payatlas.ingest import ingest
    from payatlas.model import promote, train_candidate
    from payatlas.settings import Settings
    from payatlas.store import Store

    home.mkdir(parents=True, exist_ok=True)
    part = home / "slice.csv"
    src = str(aijobs_path()).replace("'", "''")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true) LIMIT {SLICE_ROWS}) "
        f"TO '{part}' (HEADER)"
    )
    settings = Settings(home=home, api_key=API_KEY, dev_mode=False)
    with Store.open(settings) as store:
        ingest(part, store=store)
        record = train_candidate(
            store, settings, params={"num_boost_round": 30, "objectives": ["regression"]}
        )
    promote(record.model_id, settings)
    load_slice(settings.store_path)


def start(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn on a free port; (process, base URL) once /healthz answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {
        "PATH": "/usr/bin:/bin",
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("PAYATLAS_")},
        "PAYATLAS_HOME": str(home),
        "PAYATLAS_API_KEY": API_KEY,
        "PAYATLAS_DEV_MODE": "0",
        "PAYATLAS_MAX_UPLOAD_MB": "1",
    }
    log = open(home / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "payatlas.api:app_from_env",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {(home / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def fuzz(url: str, *, examples: int, only: str | None) -> int:
    """Run every operation; print the table and the failures; the number of failures."""
    from schemathesis_run import cases, run_case  # tests/support (path set in main)

    failures: Counter[str] = Counter()
    print(f"{'operation':<44} {'mode':<9} {'auth':<5} {'requests':>8} {'fail':>5} {'s':>6}")
    total_requests = 0
    for case in cases(url, only=only):
        runs = [(API_KEY, examples)]
        if case.path.endswith("/train") and case.mode == "positive":
            runs = [(API_KEY, min(examples, TRAIN_POSITIVE))]
        if case.path.endswith("/drop") and case.mode == "positive":
            runs = []  # a valid drop removes a dataset version the other operations read
        if case.writes:
            runs.append((None, examples))  # and without the key: 401, as documented
        for key, n in runs:
            started = time.perf_counter()
            requests, found = run_case(case, url=url, api_key=key, examples=n)
            total_requests += requests
            for text in found:
                failures[f"{case.label}: {text}"] += 1
            auth = bool(key and case.writes)
            print(
                f"{case.method + ' ' + case.path:<44} {case.mode:<9} {auth!s:<5} "
                f"{requests:>8} {len(found):>5} {time.perf_counter() - started:>6.1f}",
                flush=True,
            )
    print(f"\nrequests {total_requests:,}; failures {sum(failures.values())}")
    for text, n in failures.most_common():
        print(f"- ({n}x) {text}")
    return sum(failures.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation/mode")
    parser.add_argument("--home", type=Path, help="PAYATLAS_HOME to set up (default: temp)")
    parser.add_argument("--only", help="only operations whose path matches this regular expression")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
    own = args.home is None
    home = Path(tempfile.mkdtemp(prefix="payatlas-fuzz-")) / "home" if own else args.home
    started = time.perf_counter()
    prepare_home(home)
    proc, url = start(home)
    print(f"server {url}; home set up in {time.perf_counter() - started:.1f}s")
    try:
        failed = fuzz(url, examples=args.examples, only=args.only)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if own:
            shutil.rmtree(home.parent, ignore_errors=True)
    print(f"total {time.perf_counter() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
