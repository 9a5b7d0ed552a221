"""Skills that pay: a premium planted in a synthetic postings file (confounded with the cells on
purpose) is recovered inside its bootstrap interval; BH keeps null skills unremarkable."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skill_pay import bh_adjust, skill_premiums
from payatlas.ingest.postings import COLUMNS, ingest_postings
from payatlas.store import Store

PLANTED = 0.12  # postings asking for PyTorch advertise 12% more than comparable ones
TITLES = ("Data Scientist", "Senior Data Scientist", "Data Engineer", "Data Analyst")
PLACES = ("Austin, TX", "New York, NY", "Seattle, WA", "Chicago, IL", "Anywhere", "Boston, MA")


def write_synthetic(path: Path, n: int = 4000, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for i in range(n):
            t, place = rng.integers(len(TITLES)), rng.integers(len(PLACES))
            base = 11.2 + 0.25 * t + 0.1 * place  # cell effects
            # PyTorch is far more common in the well-paid cells: a naive comparison overstates it
            torch = rng.random() < (0.15 + 0.15 * t)
            logpay = base + math.log1p(PLANTED) * torch + rng.normal(0, 0.15)
            skills = ["python"] + (["pytorch"] if torch else [])
            skills += ["sql"] if rng.random() < 0.5 else []
            hourly = rng.random() < 0.2
            w.writerow({
                "job_title_short": TITLES[t], "job_title": TITLES[t],
                "job_location": PLACES[place], "job_via": "via Synthetic",
                "job_schedule_type": "Full-time",
                "job_work_from_home": "1" if PLACES[place] == "Anywhere" else "0",
                "job_posted_date": f"{44927 + i % 365}.5",
                "job_no_degree_mention": "0", "job_health_insurance": "1",
                "job_country": "United States", "salary_rate": "hour" if hourly else "year",
                "salary_year_avg": "" if hourly else f"{math.exp(logpay):.0f}",
                "salary_hour_avg": f"{math.exp(logpay) / 2080:.3f}" if hourly else "",
                "company_name": f"Company {i % 97}", "job_skills": str(skills),
            })  # fmt: skip


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    base = tmp_path_factory.mktemp("synthetic")
    write_synthetic(base / "postings.csv")
    store = Store(base / "payatlas.duckdb")
    report = ingest_postings(base / "postings.csv", store=store)
    assert report.accepted == 4000
    return store


def test_a_planted_premium_is_recovered_inside_its_interval(synthetic_store: Store) -> None:
    found = skill_premiums(synthetic_store, slice=PostingSlice(), reps=200)
    torch = found["pytorch"]
    assert torch.low <= PLANTED <= torch.high
    assert abs(torch.premium - PLANTED) < 0.02 and torch.high - torch.low < 0.05
    assert torch.p_adjusted < 1e-6
    assert found["sql"].low <= 0 <= found["sql"].high and found["sql"].p_adjusted > 0.05
    # the naive comparison (no cells) is biased upwards by construction: the cells matter
    y_with, y_without = synthetic_store.execute(
        "SELECT avg(ln(annual_usd)) FILTER (posting_id IN (SELECT posting_id FROM posting_skills "
        "WHERE skill = 'pytorch')), avg(ln(annual_usd)) FILTER (posting_id NOT IN "
        "(SELECT posting_id FROM posting_skills WHERE skill = 'pytorch')) FROM postings"
    ).fetchall()[0]
    assert math.expm1(y_with - y_without) > PLANTED + 0.05


def test_the_subsampled_bootstrap_keeps_the_point_estimate(synthetic_store: Store) -> None:
    full = skill_premiums(synthetic_store, slice=PostingSlice(), reps=100)["pytorch"]
    sub = skill_premiums(synthetic_store, slice=PostingSlice(), reps=100, max_rows=1500)
    assert sub["pytorch"].premium == pytest.approx(full.premium)
    assert sub["pytorch"].low <= PLANTED <= sub["pytorch"].high


def test_benjamini_hochberg_by_hand() -> None:
    # sorted 0.01, 0.03, 0.04, 0.5 -> x4/1, x4/2, x4/3, x4/4 = 0.04, 0.06, 0.0533, 0.5; then
    # the running minimum from the top makes the adjusted values monotone
    p = np.array([0.01, 0.04, 0.03, 0.5])
    assert bh_adjust(p).tolist() == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])


def test_skills_under_the_minimum_support_get_no_premium(synthetic_store: Store) -> None:
    found = skill_premiums(synthetic_store, slice=PostingSlice(), min_support=100_000)
    assert found == {}
