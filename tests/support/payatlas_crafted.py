"""A crafted PAYATLAS_HOME for the privacy tests on counts of comparable records: a store with
cells of 3, 4, 7, 40 and 0 records and a small promoted champion. Shared by
tests/model/test_model_privacy_counts.py and tests/api/test_api_privacy_counts.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from payatlas_rows import write_rows

from payatlas.ingest import ingest
from payatlas.model import promote, train_candidate
from payatlas.settings import Settings
from payatlas.store import Store

FAST: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 30, "learning_rate": 0.1}
MAPPING = """
[source]
name = "crafted-counts"

[columns]
title = "title"
pay = "pay"
country = "country"
level = "level"
year = "year"
first_seen = "first_seen"

[defaults]
currency = "USD"
period = "year"
employment_type = "FT"
"""
#: (title, country, level, year, records, base pay, step, arrival month)
CELLS = (
    ("Data Scientist", "US", "senior", 2024, 40, 100_000, 2_000, "2024-05"),
    ("Machine Learning Engineer", "US", "senior", 2024, 30, 120_000, 2_500, "2024-06"),
    ("Data Scientist", "US", "mid", 2023, 36, 80_000, 1_000, "2023-11"),
    ("Data Analyst", "US", "mid", 2023, 30, 60_000, 900, "2023-11"),
    ("Machine Learning Engineer", "US", "mid", 2023, 30, 95_000, 1_100, "2023-12"),
    ("Data Scientist", "Germany", "senior", 2024, 3, 91_111, 1_111, "2024-06"),
    ("Data Scientist", "Germany", "mid", 2024, 7, 70_000, 1_000, "2024-02"),
    ("Prompt Engineer", "New Zealand", "executive", 2021, 4, 411_111, 11_111, "2021-09"),
)
#: profile -> (true n_comparable, true cohort n) in the crafted data
THREE = {
    "role": "Data Scientist",
    "level": "senior",
    "country": "DE",
}  # 3; data_scientist|senior 43 (40 published: the 3 are left out)
FOUR = {"role": "Prompt Engineer", "level": "executive", "country": "NZ"}  # 4; level executive 4
SEVEN = {"role": "Data Scientist", "level": "mid", "country": "DE"}  # 7
FORTY = {"role": "Data Scientist", "level": "senior", "country": "US"}  # 40
ZERO = {"role": "ML Engineer", "level": "mid", "country": "DE"}  # 0; ml_engineer|mid 30
ZERO_SMALL_COHORT = {"role": "Data Scientist", "level": "executive", "country": "US"}  # 0; 4


def write_crafted(root: Path) -> tuple[Path, Path]:
    """The crafted CSV and its mapping under ``root``."""
    rows = []
    for title, country, level, year, n, base, step, month in CELLS:
        for i in range(n):
            rows.append(
                {
                    "title": title,
                    "pay": base + i * step,
                    "country": country,
                    "level": level,
                    "year": year,
                    "first_seen": f"{month}-{1 + i % 28:02d}",
                }
            )
    data, mapping = write_rows(root / "crafted.csv", rows), root / "crafted.toml"
    mapping.write_text(MAPPING)
    return data, mapping


def build_crafted_home(root: Path) -> Path:
    """A PAYATLAS_HOME whose store holds only the crafted cells, with a promoted champion."""
    home = root / "home"
    data, mapping = write_crafted(root)
    settings = Settings(home=home, privacy_threshold=5)
    with Store(home / "payatlas.duckdb") as s:
        report = ingest(data, store=s, mapping=mapping)
        assert report.accepted == sum(c[4] for c in CELLS), report.rejected_by_reason
        record = train_candidate(s, settings, seed=7, params=FAST)
    promote(record.model_id, settings)
    return home
