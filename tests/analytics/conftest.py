"""Analytics fixtures: a crafted small store (with a cohort of 4) and a home holding the bundled
store, both built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from payatlas_rows import write_rows

from payatlas.ingest import ingest
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

#: the small cohort: 4 prompt engineers in New Zealand, executive, company size S, hybrid,
#: pay year 2021 -- every one of those values occurs in no other row
SMALL_PAYS = (411_111, 422_222, 433_333, 444_444)
MAPPING = """
[source]
name = "crafted-small"

[columns]
title = "title"
pay = "pay"
country = "country"
level = "level"
year = "year"
company_size = "size"
remote = "remote"
first_seen = "first_seen"

[defaults]
currency = "USD"
period = "year"
employment_type = "FT"
"""


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(
        n: int,
        title: str,
        country: str,
        level: str,
        year: int,
        base: int,
        step: int,
        sizes: str,
        remotes: tuple[int, ...],
        month: str,
    ) -> None:
        for i in range(n):
            rows.append(
                {
                    "title": title,
                    "pay": base + i * step,
                    "country": country,
                    "level": level,
                    "year": year,
                    "size": sizes[i % len(sizes)],
                    "remote": remotes[i % len(remotes)],
                    "first_seen": f"{month}-{1 + i % 28:02d}",
                }
            )

    add(40, "Data Scientist", "US", "senior", 2024, 100_000, 2_000, "ML", (0, 100), "2024-05")
    add(30, "Software Engineer", "US", "senior", 2024, 90_000, 1_500, "ML", (0, 100), "2024-06")
    add(
        30,
        "Machine Learning Engineer",
        "US",
        "senior",
        2024,
        120_000,
        2_500,
        "LM",
        (100, 0),
        "2024-06",
    )
    add(36, "Data Scientist", "US", "mid", 2023, 80_000, 1_000, "ML", (0, 100), "2023-11")
    add(30, "Data Analyst", "US", "mid", 2023, 60_000, 900, "ML", (0, 100), "2023-11")
    add(
        30, "Machine Learning Engineer", "US", "mid", 2023, 95_000, 1_100, "ML", (0, 100), "2023-12"
    )
    for pay in SMALL_PAYS:
        rows.append(
            {
                "title": "Prompt Engineer",
                "pay": pay,
                "country": "New Zealand",
                "level": "executive",
                "year": 2021,
                "size": "S",
                "remote": 50,
                "first_seen": "2021-09-15",
            }
        )
    return rows


@pytest.fixture(scope="session")
def small_pays() -> tuple[int, ...]:
    """The pay figures of the small cohort (none may ever be published)."""
    return SMALL_PAYS


@pytest.fixture(scope="session")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PAYATLAS_HOME whose store holds the crafted rows (one cohort of 4)."""
    root = tmp_path_factory.mktemp("small")
    rows = _rows()
    data, mapping = write_rows(root / "crafted.csv", rows), root / "crafted.toml"
    mapping.write_text(MAPPING)
    home = root / "home"
    with Store(home / "payatlas.duckdb") as s:
        report = ingest(data, store=s, mapping=mapping)
        assert report.accepted == len(rows), report.rejected_by_reason
    return home


@pytest.fixture(scope="session")
def bundled_home(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PAYATLAS_HOME holding a copy of the bundled store (for CLI tests)."""
    home = tmp_path_factory.mktemp("bundled_home")
    shutil.copy(bundled_db, home / "payatlas.duckdb")
    return home


def _use_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("PAYATLAS_HOME", str(home))
    monkeypatch.setenv("PAYATLAS_PRIVACY_THRESHOLD", "5")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def small_env(small_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings (and environment, for the CLI) pointing at the crafted store."""
    yield from _use_home(small_home, monkeypatch)


@pytest.fixture
def bundled_env(bundled_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings (and environment, for the CLI) pointing at the bundled store."""
    yield from _use_home(bundled_home, monkeypatch)


@pytest.fixture
def small_store(small_home: Path) -> Iterator[Store]:
    """The crafted store, read-only."""
    s = Store(small_home / "payatlas.duckdb", read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def champion_home(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PAYATLAS_HOME with the bundled store and a small, fast promoted champion (trained once;
    these tests check the analytics wiring, not the model's accuracy)."""
    from payatlas.model import promote, train_candidate

    home = tmp_path_factory.mktemp("champion_home")
    shutil.copy(bundled_db, home / "payatlas.duckdb")
    settings = Settings(home=home)
    fast = {"objectives": ["regression"], "num_boost_round": 60, "learning_rate": 0.1}
    with Store(home / "payatlas.duckdb", read_only=True) as store:
        record = train_candidate(store, settings, seed=7, params=fast)
    promote(record.model_id, settings)
    return home


@pytest.fixture
def champion_env(champion_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings (and environment, for the CLI) pointing at the home with a champion."""
    yield from _use_home(champion_home, monkeypatch)
