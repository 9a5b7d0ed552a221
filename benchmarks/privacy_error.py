"""The error disclosure control adds to published figures, and what a differencing attack gets.

Over every published cell of role x country, role x level x country, country x year,
role x year, role x country x year, role x region and their margins (bundled data, default
slice), compares the published count, mean and median with the exact ones and prints the median
and 90th-percentile absolute relative error for cells of at least 5, 20, 100 and 1,000 records.

    .venv/bin/python benchmarks/privacy_error.py
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from payatlas.analytics import Slice, benchmark
from payatlas.analytics.filters import BY_FIELDS, resolve_version, where_sql
from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.settings import Settings
from payatlas.store import Store

LEVELS = ("entry", "mid", "senior", "executive")
SIZES = (5, 20, 100, 1000)


def _queries(store: Store) -> list[tuple[Slice, list[str]]]:
    years = [int(r[0]) for r in store.execute("SELECT DISTINCT pay_year FROM records").fetchall()]
    one = ["role_family", "level", "country", "region", "year"]
    out: list[tuple[Slice, list[str]]] = [(Slice(), [f]) for f in one]
    out += [(Slice(), list(p)) for p in combinations(one, 2) if p != ("country", "region")]
    out += [(Slice(level=lv), ["role_family", "country"]) for lv in LEVELS]
    out += [(Slice(year=y), ["role_family", "country"]) for y in years]
    return out


def _exact(store: Store, sl: Slice, by: list[str]) -> pd.DataFrame:
    where, params = where_sql(sl, resolve_version(store, sl))
    keys = ", ".join(f"{BY_FIELDS[f]} AS {f}" for f in by)
    return store.execute(
        f"SELECT {keys}, count(*) AS n_x, avg(annual_usd) AS mean_x, "
        f"median(annual_usd) AS p50_x FROM records WHERE {where} GROUP BY ALL",
        params,
    ).df()


def measure(store: Store, settings: Settings) -> pd.DataFrame:
    frames = []
    for sl, by in _queries(store):
        got = benchmark(store, slice=sl, by=by, settings=settings).to_frame()
        got = got[~got["suppressed"]]
        if got.empty:
            continue
        both = got.merge(_exact(store, sl, by), on=by, how="left")
        frames.append(both[["n", "mean", "p50", "n_x", "mean_x", "p50_x"]])
    cells = pd.concat(frames, ignore_index=True)
    for k in ("n", "mean", "p50"):
        cells[f"err_{k}"] = (cells[k] - cells[f"{k}_x"]).abs() / cells[f"{k}_x"]
    return cells


def summary(cells: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for size in SIZES:
        sub = cells[cells["n_x"] >= size]
        row: dict[str, float | int] = {"cells": len(sub)}
        for k in ("n", "mean", "p50"):
            err = sub[f"err_{k}"].to_numpy()
            row[f"{k}_median_pct"] = round(float(np.median(err)) * 100, 2)
            row[f"{k}_p90_pct"] = round(float(np.quantile(err, 0.9)) * 100, 2)
        out[f"n>={size}"] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payatlas.duckdb"
        with Store(path) as s:
            ingest(aijobs_path(), store=s)
        settings = Settings(home=Path(tmp), privacy_threshold=args.threshold)
        with Store(path, read_only=True) as store:
            start = time.perf_counter()
            cells = measure(store, settings)
            took = time.perf_counter() - start
    print(
        json.dumps(
            {
                "published_cells": len(cells),
                "seconds": round(took, 1),
                "abs_relative_error": summary(cells),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
