"""HTTP load: single estimates (plus a benchmark-query mix) against a real server on 127.0.0.1.

    .venv/bin/python benchmarks/http_load.py [--rate 200] [--duration 60] [--mix 0.1]
                                             [--home DIR] [--concurrency 64]

1. Sets up a PAYATLAS_HOME (``--home``, default a temp dir): an empty one is initialised with
   the bundled data and the first model (``init_home``: ingest, train, promote).
2. Starts ``uvicorn`` (one process, the store's only writer; uvloop + httptools when installed,
   no access log) on a free port on 127.0.0.1.
3. A separate load-generator process sends a bounded, fixed schedule: request ``i`` is due at
   ``start + i / rate`` -- ``rate x duration`` requests in all, at most ``--concurrency`` in
   flight. Every ``1 / mix``-th request is a benchmark query (``GET /v1/benchmarks``), the
   others single estimates (``POST /v1/estimate``) cycling through a fixed set of profiles.
4. Prints, per kind: requests, achieved throughput, errors (non-2xx or transport errors),
   latency p50/p95/p99/max (from send to full response), and how many requests started more
   than 5 ms after their due time (a late start would hide queueing: coordinated omission).

Target (issue #5): 0 errors and estimate p99 <= 20 ms at 200 requests/s on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROLES = ["ML Engineer", "Data Scientist", "Data Engineer", "Research Scientist",
         "AI Engineer", "Data Analyst", "Software Engineer", "MLOps Engineer"]  # fmt: skip
COUNTRIES = ["US", "GB", "DE", "CA", "IN", "FR", "ES", "NL", "BR", "PL", "AU", "Japan"]
LEVELS = ["entry", "mid", "senior", "executive"]
BENCH_QUERIES = [
    {"role": "ML Engineer", "by": ["level"]},
    {"role": "Data Scientist", "by": ["country"], "limit": 10},
    {"country": "US", "by": ["role_family", "level"], "limit": 20},
    {"region": "western_europe", "by": ["country"]},
]
LATE_MS = 5.0


def profiles() -> list[dict[str, Any]]:
    """A fixed set of estimate requests (role x country x level, some with more fields)."""
    out = []
    for i, (role, country, level) in enumerate(
        (r, c, lv) for r in ROLES for c in COUNTRIES for lv in LEVELS
    ):
        p: dict[str, Any] = {"role": role, "country": country, "level": level}
        if i % 3 == 0:
            p["remote"] = 100
        if i % 4 == 0:
            p["company_size"] = "L"
        out.append(p)
    return out


@dataclass
class Sample:
    """One request's outcome."""

    kind: str
    ok: bool
    latency_ms: float
    late_ms: float
    error: str = ""


# -- the server -----------------------------------------------------------------------------


def prepare_home(home: Path) -> None:
    """An initialised home: bundled data and a champion model."""
    from payatlas.home import init_home
    from payatlas.settings import Settings

    settings = Settings(home=home)
    t0 = time.perf_counter()
    result = init_home(settings)
    champion = result.champion
    if not champion:
        raise SystemExit(f"no champion model in {home}: run `payatlas init` there")
    print(
        f"home {home}: dataset v{result.dataset_version}, champion {champion} "
        f"(setup {time.perf_counter() - t0:.1f} s)"
    )


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# the server keeps idle connections longer than the client's pool does (httpx: 5 s), so a
# pooled connection is never closed by the server just as the client reuses it
KEEP_ALIVE_S = 30


@contextmanager
def server(home: Path) -> Iterator[str]:
    """uvicorn on 127.0.0.1 serving ``home``; yields the base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "payatlas.api:app_from_env",
           "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
           "--log-level", "warning", "--timeout-keep-alive", str(KEEP_ALIVE_S)]  # fmt: skip
    for module, flag in (("uvloop", ["--loop", "uvloop"]), ("httptools", ["--http", "httptools"])):
        if _has(module):
            cmd += flag
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env["PAYATLAS_HOME"] = str(home)
    proc = subprocess.Popen(cmd, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit("the server exited during startup")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start within 60 s")
            time.sleep(0.2)
        print("server: " + " ".join(cmd[1:]).replace(sys.executable, "python"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


# -- the load generator (its own process) ------------------------------------------------------


def request_for(i: int, mix: float, pool: list[dict[str, Any]]) -> tuple[str, str, str, Any]:
    """Request ``i`` of the schedule: (kind, method, path, payload)."""
    every = round(1 / mix) if mix > 0 else 0
    if every and i % every == every - 1:
        return (
            "benchmark",
            "GET",
            "/v1/benchmarks",
            BENCH_QUERIES[(i // every) % len(BENCH_QUERIES)],
        )
    return "estimate", "POST", "/v1/estimate", pool[(i * 7) % len(pool)]


async def _run(url: str, rate: float, total: int, mix: float, concurrency: int) -> list[Sample]:
    pool = profiles()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    samples: list[Sample] = []
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:
        # warm every connection and the server's caches (not measured)
        await asyncio.gather(*(client.get("/healthz") for _ in range(min(concurrency, 16))))
        for i in range(len(pool)):
            await client.post("/v1/estimate", json=pool[i])
        for q in BENCH_QUERIES:
            await client.get("/v1/benchmarks", params=q)
        clock = time.perf_counter  # uvloop's loop.time() ticks in whole milliseconds
        start = clock() + 0.2

        async def one(i: int) -> None:
            kind, method, path, payload = request_for(i, mix, pool)
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - clock()))
            async with gate:
                t0 = clock()
                try:
                    if method == "POST":
                        r = await client.post(path, json=payload)
                    else:
                        r = await client.get(path, params=payload)
                    ok, err = r.is_success, "" if r.is_success else f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, err = False, type(exc).__name__
                t1 = clock()
            samples.append(Sample(kind, ok, (t1 - t0) * 1e3, (t0 - due) * 1e3, err))

        await asyncio.gather(*(one(i) for i in range(total)))
    return samples


def load_process(url: str, rate: float, total: int, mix: float, concurrency: int, out: Any) -> None:
    """Entry point of the load-generator process: run the schedule, send the samples back."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    t0 = time.perf_counter()
    samples = asyncio.run(_run(url, rate, total, mix, concurrency))
    out.send((samples, time.perf_counter() - t0))
    out.close()


# -- report ------------------------------------------------------------------------------------


def report(samples: list[Sample], duration: float) -> bool:
    """Print the figures per kind; True when the estimate target holds."""
    print(f"{'kind':<10} {'requests':>8} {'req/s':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'late':>5}")  # fmt: skip
    verdict = False  # no estimates measured: no verdict
    for kind in ("estimate", "benchmark", "all"):
        rows = [s for s in samples if kind in ("all", s.kind)]
        if not rows:
            continue
        lat = np.array([s.latency_ms for s in rows])
        errors = sum(not s.ok for s in rows)
        late = sum(s.late_ms > LATE_MS for s in rows)
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        print(f"{kind:<10} {len(rows):>8} {len(rows) / duration:>7.1f} {errors:>6} {p50:>7.2f} "
              f"{p95:>7.2f} {p99:>7.2f} {lat.max():>7.2f} {late:>5}")  # fmt: skip
        if kind == "estimate":
            verdict = errors == 0 and p99 <= 20.0
    kinds = sorted({s.error for s in samples if not s.ok})
    if kinds:
        print("error kinds: " + ", ".join(kinds))
    return verdict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rate", type=float, default=200.0, help="requests per second")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    ap.add_argument("--mix", type=float, default=0.1, help="share of benchmark queries")
    ap.add_argument("--concurrency", type=int, default=64, help="most requests in flight")
    ap.add_argument("--home", type=Path, default=None, help="PAYATLAS_HOME to serve")
    args = ap.parse_args()

    tmp = None
    home = args.home
    if home is None:
        tmp = tempfile.mkdtemp(prefix="payatlas-load-")
        home = Path(tmp) / "home"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    try:
        prepare_home(home)
        total = int(args.rate * args.duration)
        with server(home) as url:
            print(f"load: {total} requests at {args.rate:g}/s for {args.duration:g} s, "
                  f"{args.mix:.0%} benchmark queries, <= {args.concurrency} in flight, "
                  "from a separate process")  # fmt: skip
            ctx = mp.get_context("spawn")
            recv, send = ctx.Pipe(duplex=False)
            gen = ctx.Process(
                target=load_process, args=(url, args.rate, total, args.mix, args.concurrency, send)
            )
            gen.start()
            samples, elapsed = recv.recv()
            gen.join()
        ok = report(samples, args.duration)
        print(f"load generator wall time {elapsed:.1f} s (incl. warm-up)")
        print(f"target (0 errors, estimate p99 <= 20 ms): {'MET' if ok else 'NOT MET'}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
