"""The bundled dataset: the aijobs.net salary index snapshot (CC0) that ships in the package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ATTRIBUTION = "Salary data: aijobs.net salary index (CC0)"
SNAPSHOT = "2024-10-06"


def data_dir() -> Path:
    """The package's data folder."""
    return Path(str(files("payatlas") / "data"))


def aijobs_path() -> Path:
    """The bundled aijobs.net snapshot (gzip CSV, 51,081 rows, with ``first_seen``)."""
    return data_dir() / f"aijobs_salaries_{SNAPSHOT}.csv.gz"


def indicators_path() -> Path:
    """Published market indicators, each with its citation."""
    return data_dir() / "published_indicators.csv"
