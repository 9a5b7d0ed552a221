"""The bundled datasets: the aijobs.net salary index snapshot (CC0, survey submissions) and the
data_jobs postings of 2023 (Apache-2.0, job postings, #12) that ship in the package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ATTRIBUTION = "Salary data: aijobs.net salary index (CC0)"
SURVEY_CREDIT = "aijobs.net salary index (CC0)"
SNAPSHOT = "2024-10-06"
POSTINGS_SOURCE = "data_jobs"
POSTINGS_CREDIT = "data_jobs dataset by Luke Barousse"
POSTINGS_LICENCE = "Apache-2.0"


def data_dir() -> Path:
    """The package's data folder."""
    return Path(str(files("payatlas") / "data"))


def aijobs_path() -> Path:
    """The bundled aijobs.net snapshot (gzip CSV, 51,081 rows, with ``first_seen``)."""
    return data_dir() / f"aijobs_salaries_{SNAPSHOT}.csv.gz"


def indicators_path() -> Path:
    """Published market indicators, each with its citation."""
    return data_dir() / "published_indicators.csv"


def postings_path() -> Path:
    """The bundled job postings (gzip CSV, 32,672 postings of 2023 with pay and skills)."""
    return data_dir() / "data_jobs_salary_2023.csv.gz"
