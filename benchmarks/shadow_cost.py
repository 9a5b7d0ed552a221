"""Shadow mode's cost on the cached estimate path (what ``POST /v1/estimate`` does per request).

    .venv/bin/python benchmarks/shadow_cost.py [--home DIR] [--requests 20000]

On a home with a champion (``--home``; default: a temp home with the bundled data and two small
models trained for this run) the same 384 profiles are answered from the estimate cache, in
this process, three ways: the cached lookup alone (what the route did before shadow mode), the
lookup plus ``shadow.submit`` with no model in shadow, and the lookup plus ``submit`` with a
model in shadow (the queue hand-off, while the background thread scores the queued requests).
Printed: microseconds per request for each (median of 5 alternating rounds), and the shadow's
requests scored, dropped (queue full: the loop here offers requests far faster than a server
receives them) and failed. The machine's load is printed: on a busy machine every figure
grows. Target: no shadow <= +5% on the cached lookup; in shadow, the hand-off alone (not the
scoring, which runs beside it) <= +20 us.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.model import promote, train_candidate
from payatlas.model import shadow as shadow_mode
from payatlas.model.estimate_cache import cached_estimate, estimate_dict
from payatlas.model.registry import champion_id, list_models
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store

FAST = {"objectives": ["regression"], "num_boost_round": 40, "learning_rate": 0.1}
ROLES = ("ML Engineer", "Data Scientist", "Data Engineer", "Data Analyst", "AI Researcher",
         "Research Scientist")  # fmt: skip
COUNTRIES = ("US", "DE", "GB", "IN", "CA", "FR", "ES", "NL")
LEVELS = ("entry", "mid", "senior", "executive")


def profiles() -> list[Profile]:
    """384 fixed profiles."""
    return [
        Profile(role=r, country=c, level=lv) for r in ROLES for c in COUNTRIES for lv in LEVELS
    ][:384]


def prepare(settings: Settings) -> str:
    """Make sure the home has a champion and a second model; return the second's id."""
    with Store.open(settings) as store:
        if store.is_empty():
            ingest(aijobs_path(), store=store)
        if champion_id(settings) is None:
            first = train_candidate(store, settings, seed=1, params=FAST)
            promote(first.model_id, settings, force=True, store=store)
        others = [r for r in list_models(settings) if not r.champion]
        if others:
            return others[0].model_id
        return train_candidate(store, settings, seed=2, params=FAST).model_id


def one_round(fn: object, items: list[Profile], n: int) -> float:
    """Microseconds per call of ``fn(profile)`` over ``n`` calls (then the shadow queue is
    drained, outside the timing)."""
    start = time.perf_counter()
    for i in range(n):
        fn(items[i % len(items)])  # type: ignore[operator]
    took = (time.perf_counter() - start) / n * 1e6
    shadow_mode.drain(60)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    tmp = None if args.home else Path(tempfile.mkdtemp(prefix="payatlas-shadow-"))
    home = args.home or tmp
    assert home is not None
    try:
        settings = Settings(home=home)
        other = prepare(settings)
        shadow_mode.set_shadow(settings, None)
        items = profiles()
        for p in items:  # warm the cache: every request below is a cached answer
            estimate_dict(p, settings=settings, reasons=True)

        def lookup(p: Profile) -> None:
            cached_estimate(p, settings=settings, reasons=True)

        def with_submit(p: Profile) -> None:
            hit = cached_estimate(p, settings=settings, reasons=True)
            assert hit is not None
            shadow_mode.submit(p, hit, settings)

        rounds: dict[str, list[float]] = {"base": [], "off": [], "on": []}
        for _ in range(5):  # the three ways alternate, so load changes hit each alike
            rounds["base"].append(one_round(lookup, items, args.requests))
            rounds["off"].append(one_round(with_submit, items, args.requests))
            shadow_mode.set_shadow(settings, other)
            rounds["on"].append(one_round(with_submit, items, args.requests))
            shadow_mode.set_shadow(settings, None)
        base, off, on = (statistics.median(rounds[k]) for k in ("base", "off", "on"))
        state = shadow_mode.stats_of_queue()
        print(f"champion {champion_id(settings)}, shadow {other}; {args.requests:,} cached "
              f"requests x 5 rounds (median), {len(items)} profiles; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        print(f"cached lookup alone:           {base:8.1f} us/request")
        print(f"+ submit, no model in shadow:  {off:8.1f} us/request ({off / base - 1:+.1%})")
        print(f"+ submit, a model in shadow:   {on:8.1f} us/request ({on - base:+.1f} us)")
        print(
            f"shadow: scored {state['scored']:,}, dropped {state['dropped']:,} (queue full), "
            f"failed {state['failed']:,}"
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
