"""Estimate throughput and latency, in process, from the champion model.

    .venv/bin/python benchmarks/estimate.py [--profiles 100000] [--home DIR]

Without ``--home`` a temporary home is set up (bundled data + a trained, promoted model).
Prints:

1. batch estimates/s (``estimate_batch``: full P10-P90, evidence and confidence, no reasons)
   for 100,000 profiles resampled from the bundled survey records (realistic repetition), cold
   (first call, caches empty) and warm;
2. the same for 100,000 synthetic profiles drawn uniformly from the field values (mostly
   distinct profiles: the worst case for de-duplication);
3. single-profile latency p50/p99 of ``estimate`` without reasons (new profiles and repeats)
   and with reasons, i.e. what reasons cost per profile.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from payatlas.bundled import aijobs_path
from payatlas.model import estimate, estimate_batch, promote, train_candidate
from payatlas.model.registry import champion, champion_id
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store


def setup_home(home: Path) -> Settings:
    """A home with the bundled data and a promoted model (reused when already there)."""
    settings = Settings(home=home)
    if champion_id(settings) is None:
        from payatlas.ingest import ingest

        with Store.open(settings) as store:
            if store.is_empty():
                ingest(aijobs_path(), store=store)
            record = train_candidate(store, settings)
        promote(record.model_id, settings)
    return settings


def resampled(n: int, seed: int) -> pd.DataFrame:
    """``n`` profiles resampled from the bundled records (aijobs columns -> profile fields)."""
    raw = pd.read_csv(aijobs_path())
    pick = np.random.default_rng(seed).integers(0, len(raw), n)
    rows = raw.iloc[pick].reset_index(drop=True)
    return pd.DataFrame(
        {
            "role": rows["job_title"],
            "country": rows["company_location"],
            "level": rows["experience_level"],
            "residence": rows["employee_residence"],
            "remote": rows["remote_ratio"],
            "company_size": rows["company_size"],
            "employment_type": rows["employment_type"],
            "year": rows["work_year"],
        }
    )


def synthetic(n: int, seed: int, settings: Settings) -> pd.DataFrame:
    """``n`` profiles with every field drawn independently (mostly distinct profiles)."""
    model = champion(settings)
    rng = np.random.default_rng(seed)
    titles = [t.split("|", 1)[1] for t in model.encoders.tables["title"]]
    countries = sorted(model.evidence.country_counts)
    return pd.DataFrame(
        {
            "role": rng.choice(titles, n),
            "country": rng.choice(countries, n),
            "level": rng.choice(["entry", "mid", "senior", "executive"], n),
            "residence": rng.choice(countries, n),
            "remote": rng.choice([0, 25, 50, 75, 100], n),
            "company_size": rng.choice(["S", "M", "L"], n),
            "employment_type": rng.choice(["FT", "PT", "CT", "FL"], n),
            "year": rng.choice([2020, 2021, 2022, 2023, 2024], n),
        }
    )


def distinct(frame: pd.DataFrame) -> int:
    """Distinct input rows."""
    return len(frame.drop_duplicates())


def time_batch(frame: pd.DataFrame, settings: Settings) -> tuple[float, float]:
    """Seconds of a cold and a warm ``estimate_batch`` call."""
    t0 = time.perf_counter()
    out = estimate_batch(frame, settings=settings)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    estimate_batch(frame, settings=settings)
    warm = time.perf_counter() - t0
    assert len(out) == len(frame)
    return cold, warm


def latencies(profiles: list[Profile], settings: Settings, *, reasons: bool) -> np.ndarray:
    """Milliseconds per ``estimate`` call."""
    out = []
    for p in profiles:
        t0 = time.perf_counter()
        estimate(p, settings=settings, reasons=reasons)
        out.append((time.perf_counter() - t0) * 1000)
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    tmp = None
    if args.home is None:
        tmp = Path(tempfile.mkdtemp(prefix="payatlas-bench-"))
        args.home = tmp
    try:
        t0 = time.perf_counter()
        settings = setup_home(args.home)
        setup = time.perf_counter() - t0
        model = champion(settings)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores; "
            f"python {platform.python_version()}"
        )
        print(
            f"model {model.model_id} ({len(model.boosters)} boosters x "
            f"{model.boosters[0].num_trees()} trees); setup {setup:.1f}s"
        )
        n = args.profiles
        for name, frame in (
            ("resampled survey profiles", resampled(n, args.seed)),
            ("synthetic profiles (fields drawn independently)", synthetic(n, args.seed, settings)),
        ):
            cold, warm = time_batch(frame, settings)
            print(
                f"batch, {name}: {n:,} profiles ({distinct(frame):,} distinct): "
                f"cold {n / cold:,.0f} estimates/s ({cold:.2f}s), "
                f"warm {n / warm:,.0f} estimates/s ({warm:.2f}s)"
            )
        sample = resampled(2_000, args.seed + 1)
        profiles = []
        for rec in sample.drop_duplicates().head(500).to_dict("records"):
            rec["level"] = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}[
                rec["level"]
            ]
            try:
                profiles.append(Profile(**{k: v for k, v in rec.items()}))
            except ValueError:
                continue
        ok = []
        for p in profiles:
            try:
                estimate(p, settings=settings, reasons=False)
                ok.append(p)
            except ValueError:
                continue
        fresh = [p.model_copy(update={"remote": 25}) for p in ok]
        for label, batch, reasons in (
            ("single, new profile, no reasons", fresh, False),
            ("single, repeated profile, no reasons", ok, False),
            ("single, with reasons", ok, True),
        ):
            ms = latencies(batch, settings, reasons=reasons)
            print(
                f"{label}: p50 {np.percentile(ms, 50):.3f} ms, p99 {np.percentile(ms, 99):.3f} ms "
                f"({len(ms)} calls)"
            )
        with_r = latencies(ok, settings, reasons=True).mean()
        without = latencies(ok, settings, reasons=False).mean()
        print(f"reasons cost {with_r - without:.2f} ms per profile (mean; exact field Shapley)")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
