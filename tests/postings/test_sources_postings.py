"""Sources side by side carries the job postings of the metro (#13 item 5): US postings of the
role whose "City, ST" resolves to the metro's CBSA, counted as a direct query counts them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from payatlas_postings import load_slice

from payatlas.analytics.sources import sources
from payatlas.normalize.places import resolve_place
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Path:
    """The bundled survey and official tables with the postings slice beside them."""
    path = tmp_path_factory.mktemp("sources_postings") / "payatlas.duckdb"
    shutil.copy(bundled_db, path)
    load_slice(path)
    return path


def test_the_postings_row_is_the_metros_postings(both: Path) -> None:
    with Store(both, read_only=True) as postings_store:
        _check(postings_store)


def _check(postings_store: Store) -> None:
    got = sources(postings_store, role="Data Scientist", metro="San Francisco, CA",
                  settings=Settings())  # fmt: skip
    row = next(r for r in got.rows if r.kind == "posting")
    places = postings_store.execute(
        "SELECT city, state, annual_usd FROM postings WHERE country = 'US' "
        "AND role_family = 'data_scientist' AND city IS NOT NULL AND state IS NOT NULL"
    ).fetchall()
    pay = sorted(p for c, s, p in places if resolve_place(f"{c}, {s}").cbsa == "41860")
    assert row.count == len(pay) and row.count >= 20
    assert min(pay) <= row.p10 <= row.p50 <= row.p90 <= max(pay)
    assert row.source == "job postings" and "job postings" in row.population
    assert row.area == "41860" and row.year == "2023"
