"""Frozen migrations: each migration's SQL is fixed text with a pinned hash, and a store whose
migration 3 was applied with other value lists (an older pycountry or taxonomy) still opens,
migrates and ingests values its own ENUMs never had."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from payatlas.errors import InvalidInput
from payatlas.ingest import ingest
from payatlas.store import Store
from payatlas.store.categories import CATEGORIES
from payatlas.store.schema import MIGRATIONS

#: sha256 of each migration's SQL. Never change a line: append a migration instead.
PINNED = {
    1: "8388f4c71d7e74bdaff26c386edbe2d54847696923c9aad30cbe0f927d2a857b",
    2: "683e6d2759f03cdedfde9b00b06dc128ed649c5f8935463072bb5b12707b68d5",
    3: "e2eeecddc8fbeee8a65e07e0ff7097dc82446d3bb171ec04285c281fbfe57d59",
    4: "9340b1456b29d9bce16cfe2a395d609f05508097e8f707b21816fb9580c6dba7",
    5: "fff1eb131aca35f132eb29e0e159c472f87939b1b80877271003993788b4dbd0",
    6: "cb128280d58fc1e293d87a7bd3ac2bb9f0a892560929e56458495d612a92c493",
    7: "959c4bc14fe0340af2173d1d8407e638e3a2238e2e43dfa4b139c7b4a76c346a",
    8: "f46155ff7a05213a8b6d80f31d748cb9481281bab258a38c4e6be8126f103f56",
    9: "fa0f9959268b4ec3facbabd079df6b85b4b060badc534f98125da03168f31445",
}


def test_every_migration_is_the_pinned_text() -> None:
    found = {i: hashlib.sha256(sql.encode()).hexdigest() for i, sql in enumerate(MIGRATIONS, 1)}
    assert found == PINNED


def test_growing_a_reference_list_leaves_the_migrations_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The value sets are read by the ingest's checks, not by any migration."""
    before = list(MIGRATIONS)
    monkeypatch.setitem(CATEGORIES, "role_family", (*CATEGORIES["role_family"], "new_family"))
    import importlib

    import payatlas.store.schema as schema

    assert list(importlib.reload(schema).MIGRATIONS) == before


def _old_store(path: Path, *, without: str) -> None:
    """A store as an older version built it: migrations 1-3, with ``without`` missing from the
    country ENUMs of migration 3 (as a machine with other lists would have applied it)."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    third = re.sub(rf"'{without}', ", "", MIGRATIONS[2])
    assert third != MIGRATIONS[2]
    for number, sql in enumerate((*MIGRATIONS[:2], third), start=1):
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)", [number])
    con.close()


def test_a_store_built_by_another_migration_3_opens_and_ingests(
    tmp_path: Path, examples: Path
) -> None:
    path = tmp_path / "old.duckdb"
    _old_store(path, without="DE")
    with pytest.raises(duckdb.ConversionException):  # the old store could not take a DE row
        con = duckdb.connect(str(path))
        try:
            con.execute("SELECT 'DE'::pa_country").fetchall()
        finally:
            con.close()
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        report = ingest(
            examples / "acme_survey.csv", store=store, mapping=examples / "acme_mapping.toml"
        )
        countries = {r[0] for r in store.execute("SELECT DISTINCT country FROM records").fetchall()}
        types = store.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'record_rows' AND column_name = 'country'"
        ).fetchone()
    assert report.accepted == 9
    assert "DE" in countries
    assert types == ("VARCHAR",)


def test_a_value_outside_its_set_still_fails_the_ingest_loudly(
    tmp_path: Path, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks moved from the schema to the ingest; they still refuse a wrong category."""
    monkeypatch.setitem(CATEGORIES, "country", tuple(c for c in CATEGORIES["country"] if c != "DE"))
    monkeypatch.setitem(
        CATEGORIES, "residence", tuple(c for c in CATEGORIES["residence"] if c != "DE")
    )
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises((duckdb.ConversionException, InvalidInput)):
            ingest(
                examples / "acme_survey.csv", store=store, mapping=examples / "acme_mapping.toml"
            )
        assert store.is_empty()
