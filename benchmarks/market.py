"""The Market page's latency, cold and warm: ``GET /market``, ``GET /v1/premiums`` and the library
calls behind them, on the bundled data with a champion model.

    .venv/bin/python benchmarks/market.py [--home DIR] [--repeat 10]

1. Sets up a PAYATLAS_HOME (``--home``, default a temp dir): an empty one is initialised with the
   bundled data and the first model (``init_home``: ingest, train, promote).
2. In process, through the library: ``premiums()`` (every premium, matched cohorts and the
   model view) and ``compare_indicators()`` -- the two analytics calls of the Market page. Cold
   = the first call after the premium caches are cleared; warm = the best and median of
   ``--repeat`` further calls.
3. A real server (uvicorn on 127.0.0.1, as ``benchmarks/http_load.py`` starts it): for each of
   ``/market``, ``/market?role=ML+Engineer`` and ``/v1/premiums?country=US`` the first request
   (cold: nothing cached for that slice; the very first one also loads the model) and the median
   and max of ``--repeat`` further requests (warm).

Prints one line per figure. Results are identical cold and warm (the cache key holds everything
they depend on); the script checks that the warm JSON equals the cold JSON.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from http_load import prepare_home, server

from payatlas.analytics import Slice, compare_indicators, premiums
from payatlas.analytics.premiums_cache import clear_premium_caches
from payatlas.settings import Settings
from payatlas.store import Store


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call (s) and its result."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def warm_line(times: list[float]) -> str:
    return (
        f"warm median {statistics.median(times) * 1000:8.1f} ms, best {min(times) * 1000:8.1f} "
        f"ms, max {max(times) * 1000:8.1f} ms"
    )


def library(home: Path, repeat: int) -> None:
    """The Market page's analytics calls in process, cold then warm."""
    settings = Settings(home=home)
    store = Store(settings.store_path, read_only=True, threads=settings.threads)
    try:
        premiums(store, slice=Slice(role="Data Analyst"), settings=settings)  # imports, model load
        ml = Slice(role="ML Engineer")
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("premiums() all rows", lambda: premiums(store, settings=settings).as_dict()),
            (
                "premiums() role=ML Engineer",
                lambda: premiums(store, slice=ml, settings=settings).as_dict(),
            ),
            (
                "compare_indicators()",
                lambda: compare_indicators(store, settings=settings).as_dict(),
            ),
        ]
        for label, fn in cases:
            clear_premium_caches()
            cold, first = timed(fn)
            warm = []
            for _ in range(repeat):
                secs, again = timed(fn)
                warm.append(secs)
                if again != first:
                    raise SystemExit(f"{label}: a warm result differs from the cold one")
            print(f"library {label:<28} cold {cold * 1000:8.1f} ms; {warm_line(warm)}")
    finally:
        store.close()


def http(home: Path, repeat: int) -> None:
    """The page and the premiums endpoint through a real server, cold then warm."""
    paths = [
        ("/market", {}),
        ("/market", {"role": "ML Engineer"}),
        ("/v1/premiums", {"country": "US"}),
    ]
    with server(home) as url, httpx.Client(base_url=url, timeout=120) as client:
        for path, params in paths:
            cold, first = timed(lambda: client.get(path, params=params))  # noqa: B023
            if first.status_code != 200:
                raise SystemExit(f"{path} {params}: HTTP {first.status_code}")
            warm = []
            for _ in range(repeat):
                secs, again = timed(lambda: client.get(path, params=params))  # noqa: B023
                warm.append(secs)
                if path.startswith("/v1/") and again.json() != first.json():
                    raise SystemExit(f"{path}: a warm answer differs from the cold one")
            shown = path + ("?" + str(httpx.QueryParams(params)) if params else "")
            print(f"HTTP GET {shown:<30} cold {cold * 1000:8.1f} ms; {warm_line(warm)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores visible, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="payatlas-market-") as tmp:
        home = args.home or Path(tmp)
        prepare_home(home)
        library(home, args.repeat)
        http(home, args.repeat)
    print(f"load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
