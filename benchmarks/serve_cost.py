"""Server CPU per request: PayAtlas beside a bare FastAPI app of the same versions, in one run.

    .venv/bin/python benchmarks/serve_cost.py [--requests 1000] [--rounds 5] [--home DIR]

Starts two uvicorn servers on 127.0.0.1 with the same options (uvloop + httptools when
installed, no access log): PayAtlas (``payatlas.api:app_from_env`` on ``--home``, initialised
first when it has no champion) and a bare FastAPI app with the same routes doing no work
(``POST /v1/estimate`` validates a profile and returns a fixed body; ``GET /healthz``). A client
in this process sends requests one at a time on a kept-alive connection and reads each server
process's CPU time (user + system over all its threads, from ``/proc/<pid>/stat``) before and
after each batch, so client work and idle time are not counted. Three workloads, in rounds that
alternate between the servers (the median round is printed):

* repeated profiles: 384 fixed estimate requests cycled (every one seen in the warm-up);
* never-repeated profiles: each request a profile not sent before;
* ``GET /healthz``.

Targets (issue #9): PayAtlas <= 1.5x the bare app for repeated profiles, <= 3x for never-repeated
ones, <= 1.3x for /healthz.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fastapi
import httpx
import uvicorn
from http_load import _has, free_port, prepare_home, profiles

BARE_APP = """
from fastapi import FastAPI
from pydantic import BaseModel


class ProfileIn(BaseModel):
    role: str
    country: str
    level: str | None = None
    years: float | None = None
    remote: int | None = None
    company_size: str | None = None


def create() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/estimate")
    def estimate(profile: ProfileIn) -> dict:
        return {"profile": profile.model_dump(), "p10_usd": 100000.0, "p50_usd": 150000.0,
                "p90_usd": 200000.0, "reasons": [], "cohort": {"n": 42}}

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "version": "0"}

    return app
"""
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` and all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14, 15)


@contextmanager
def serve(factory: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """uvicorn serving ``factory``; yields (base URL, server pid)."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
           "--port", str(port), "--no-access-log", "--log-level", "warning"]  # fmt: skip
    for module, flag in (("uvloop", ["--loop", "uvloop"]), ("httptools", ["--http", "httptools"])):
        if _has(module):
            cmd += flag
    proc = subprocess.Popen(cmd, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{factory} exited during startup")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{factory} did not start within 120 s")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


Request = Callable[[httpx.Client, int], httpx.Response]


def repeated(pool: list[dict[str, Any]]) -> Request:
    return lambda http, i: http.post("/v1/estimate", json=pool[(i * 7) % len(pool)])


def never_repeated(pool: list[dict[str, Any]], offset: int) -> Request:
    """Request ``offset + i`` gets its own years of experience (1 to 51, in steps of 0.001):
    never the same request twice in a run."""

    def send(http: httpx.Client, i: int) -> httpx.Response:
        base = pool[i % len(pool)]
        return http.post("/v1/estimate", json={**base, "years": 1 + (offset + i) / 1000})

    return send


def healthz(http: httpx.Client, _i: int) -> httpx.Response:
    return http.get("/healthz")


def batch(http: httpx.Client, pid: int, send: Request, n: int) -> float:
    """Server CPU milliseconds per request over ``n`` requests."""
    before = cpu_seconds(pid)
    for i in range(n):
        r = send(http, i)
        if r.status_code != 200:
            raise SystemExit(f"{r.request.url}: {r.status_code} {r.text[:300]}")
    return (cpu_seconds(pid) - before) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="requests per batch")
    parser.add_argument("--rounds", type=int, default=5, help="batches per workload and server")
    parser.add_argument("--home", type=Path, default=None, help="PAYATLAS_HOME (default: temp)")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="payatlas-serve-cost-") as tmp:
        home = opts.home or Path(tmp) / "home"
        prepare_home(home)
        (Path(tmp) / "bare_app.py").write_text(BARE_APP)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
        ours_env = {**base_env, "PAYATLAS_HOME": str(home)}
        path = os.pathsep.join(p for p in (tmp, base_env.get("PYTHONPATH")) if p)
        bare_env = {**base_env, "PYTHONPATH": path}
        pool = profiles()
        with (
            serve("payatlas.api:app_from_env", ours_env) as (ours_url, ours_pid),
            serve("bare_app:create", bare_env) as (bare_url, bare_pid),
            httpx.Client(base_url=ours_url, timeout=60) as ours,
            httpx.Client(base_url=bare_url, timeout=60) as bare,
        ):
            print(
                f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
                f"{platform.python_version()}, fastapi {fastapi.__version__}, uvicorn "
                f"{uvicorn.__version__}, load average {os.getloadavg()[0]:.2f} at start"
            )
            print(
                f"command: {' '.join(sys.argv)} ({opts.requests} requests a batch, "
                f"{opts.rounds} rounds per workload, one request at a time)"
            )
            for http, pid in ((ours, ours_pid), (bare, bare_pid)):  # warm-up: every profile
                batch(http, pid, repeated(pool), len(pool))
                batch(http, pid, never_repeated(pool, 49_000), 100)
                batch(http, pid, healthz, 100)
            workloads: dict[str, Callable[[int], Request]] = {
                "estimate, repeated profiles": lambda _r: repeated(pool),
                "estimate, never-repeated profiles": lambda r: never_repeated(
                    pool, r * opts.requests
                ),
                "GET /healthz": lambda _r: healthz,
            }
            targets = dict(zip(workloads, (1.5, 3.0, 1.3), strict=True))
            print(f"{'workload':<36} {'PayAtlas':>10} {'bare':>10} {'ratio':>7}  target")
            for name, make in workloads.items():
                mine, theirs = [], []
                for r in range(opts.rounds):
                    mine.append(batch(ours, ours_pid, make(r), opts.requests))
                    theirs.append(batch(bare, bare_pid, make(r), opts.requests))
                a, b = statistics.median(mine), statistics.median(theirs)
                ratio = a / b if b else float("inf")
                ok = "met" if ratio <= targets[name] else "NOT met"
                print(
                    f"{name:<36} {a:7.3f} ms {b:7.3f} ms {ratio:6.2f}x  <= {targets[name]}x: {ok}"
                )
            print("(server CPU time per request: user + system of the server process)")


if __name__ == "__main__":
    main()
