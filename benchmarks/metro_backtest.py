"""Metro backtest: does an OEWS metro differential bring a national figure closer to advertised pay?

    python benchmarks/metro_backtest.py --postings PATH/data_jobs_salary_2023.csv.gz

Reads the 2023 postings file directly (job_location "City, ST" -> CBSA with
payatlas.normalize.places; job_title_short -> role family; yearly pay, or hourly x 2,080). Postings
are split at random in half (seed 0): the national median of each family x seniority cell is
taken on the first half, and each posting of the second half located in an OEWS metro is
predicted as that median times a metro differential:

- ``none``: no differential (the national figure);
- ``oews_latest``: OEWS May 2025 metro median / national median of the family's SOC;
- ``oews_mean_log``: geometric mean of the May 2022-2025 ratios (the shipped method);
- ``oews_damped``: ``oews_mean_log`` raised to the power beta, beta fitted on the first half
  (least squares of log(pay / national median) on log(differential));
- ``postings_shrunk``: the first half's own metro / national median ratio, shrunk toward
  ``oews_mean_log`` with weight n / (n + 20) (n = first-half postings in the metro x family).

It prints MAE of log pay (and the median absolute % error) per metro size band (OEWS tech
employment: large >= 100k, medium 20k-100k, small < 20k) and overall, as a Markdown table.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from payatlas.errors import PayAtlasError
from payatlas.normalize.metros import resolve_metro
from payatlas.normalize.places import resolve_places
from payatlas.normalize.titles import resolve_role
from payatlas.official import load_official
from payatlas.official.differential import metro_differential
from payatlas.store import Store

SHRINK_K = 20
BANDS = (
    (100_000, "large (>= 100k tech jobs)"),
    (20_000, "medium (20k-100k)"),
    (0, "small (< 20k)"),
)


def band(jobs: int) -> str:
    return next(label for floor, label in BANDS if jobs >= floor)


def load_postings(path: str) -> pd.DataFrame:
    d = pd.read_csv(path, usecols=["job_title_short", "job_location", "salary_rate",
                                   "salary_year_avg", "salary_hour_avg"])  # fmt: skip
    pay = d["salary_year_avg"].where(d["salary_rate"] == "year", d["salary_hour_avg"] * 2080)
    d = d.assign(pay=pay).dropna(subset=["pay", "job_location"])
    d = d[(d["pay"] >= 15_000) & (d["pay"] <= 1_500_000)]
    places = resolve_places(d["job_location"].unique())
    d = d.assign(cbsa=d["job_location"].map(lambda s: places[s].cbsa),
                 us=d["job_location"].map(lambda s: places[s].country == "US"))  # fmt: skip
    families = {t: resolve_role(t) for t in d["job_title_short"].unique()}
    d = d.assign(family=d["job_title_short"].map(families),
                 senior=d["job_title_short"].str.contains("Senior"))  # fmt: skip
    return d[d["us"]].reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postings", required=True, help="data_jobs_salary_2023.csv.gz")
    args = ap.parse_args()
    start = time.perf_counter()
    posts = load_postings(args.postings)
    store = Store(":memory:")
    load_official(store)
    rng = np.random.default_rng(0)
    train = rng.random(len(posts)) < 0.5
    tr, te = posts[train], posts[~train & posts["cbsa"].notna()]
    cell = tr.groupby(["family", "senior"])["pay"].median()
    nat_fam = tr.groupby("family")["pay"].median()
    metro_fam = tr[tr["cbsa"].notna()].groupby(["cbsa", "family"])["pay"].agg(["median", "size"])

    diffs: dict[tuple[str, str, str], float] = {}
    jobs: dict[str, int] = {}
    for cbsa, family in te[["cbsa", "family"]].drop_duplicates().itertuples(index=False):
        try:
            match = resolve_metro(cbsa)
        except PayAtlasError:
            continue
        if not match.metro.official:
            continue
        jobs[cbsa] = match.metro.tech_jobs
        for method in ("latest", "mean_log"):
            try:
                d = metro_differential(store, family=family, metro=match, method=method)
            except PayAtlasError:
                continue
            diffs[(cbsa, family, method)] = d.ratio
    # beta: how much of the OEWS log differential shows up in advertised pay (first half)
    xs, ys = [], []
    for row in tr[tr["cbsa"].notna()].itertuples(index=False):
        ratio = diffs.get((row.cbsa, row.family, "mean_log"))
        if ratio is not None and (row.family, row.senior) in cell.index:
            xs.append(math.log(ratio))
            ys.append(math.log(row.pay / float(cell[(row.family, row.senior)])))
    x, y = np.array(xs), np.array(ys)
    beta = float(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())
    errors: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in te.itertuples(index=False):
        key = (row.family, row.senior)
        if key not in cell.index or (row.cbsa, row.family, "mean_log") not in diffs:
            continue
        base = float(cell[key])
        oews = diffs[(row.cbsa, row.family, "mean_log")]
        preds = {"none": base, "oews_latest": base * diffs[(row.cbsa, row.family, "latest")],
                 "oews_mean_log": base * oews, "oews_damped": base * oews**beta}  # fmt: skip
        if (row.cbsa, row.family) in metro_fam.index:
            med, n = metro_fam.loc[(row.cbsa, row.family)]
            w = n / (n + SHRINK_K)
            own = float(med) / float(nat_fam[row.family])
            preds["postings_shrunk"] = base * math.exp(w * math.log(own) + (1 - w) * math.log(oews))
        else:
            preds["postings_shrunk"] = base * oews
        for name, p in preds.items():
            err = math.log(row.pay) - math.log(p)
            for b in (band(jobs[row.cbsa]), "all metros"):
                errors[b][name].append(err)
    methods = ("none", "oews_latest", "oews_mean_log", "oews_damped", "postings_shrunk")
    print(f"{len(posts):,} US postings with pay; test half in OEWS metros: "
          f"{sum(len(v['none']) for k, v in errors.items() if k != 'all metros'):,} postings "
          f"in {len(jobs)} metros ({time.perf_counter() - start:.1f} s)\n")  # fmt: skip
    print("| metro size | postings | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for b in [label for _, label in BANDS] + ["all metros"]:
        if b not in errors:
            continue
        cells = []
        for m in methods:
            e = np.abs(np.array(errors[b][m]))
            cells.append(f"{e.mean():.3f} ({np.median(np.expm1(e)) * 100:.1f}%)")
        print(f"| {b} | {len(errors[b]['none']):,} | " + " | ".join(cells) + " |")
    print(f"\nMAE of log advertised pay (median absolute % error); lower is better. "
          f"beta (first half) = {beta:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
