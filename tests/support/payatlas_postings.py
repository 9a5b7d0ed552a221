"""The postings test slice: every 6th row of the bundled postings file (5,446 real postings)."""

from __future__ import annotations

from pathlib import Path

SLICE = Path(__file__).resolve().parents[1] / "fixtures" / "postings_slice.csv.gz"
CREDIT = "data_jobs dataset by Luke Barousse"


def load_slice(store_path: Path) -> None:
    """Load the slice into the store file at ``store_path`` (a job-posting dataset version)."""
    from payatlas.ingest.postings import ingest_postings
    from payatlas.store import Store

    with Store(store_path) as store:
        ingest_postings(SLICE, store=store, credit=CREDIT, licence="Apache-2.0")
