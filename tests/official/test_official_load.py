"""The official tables load whole from the bundled files, once, and say where they came from."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.errors import StoreError
from payatlas.normalize.titles import ROLE_FAMILIES
from payatlas.official import DATASETS, ensure_official, load_official
from payatlas.official.crosswalk import CROSSWALK, NO_SOC, SOC_TITLES
from payatlas.official.load import official_loaded
from payatlas.settings import Settings
from payatlas.store import Store

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _csv_rows(ds_file: Path) -> int:
    with gzip.open(ds_file, "rt", encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_every_table_holds_every_row_of_its_file(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert not official_loaded(store)
        result = load_official(store)
        assert result.loaded and official_loaded(store)
        for ds in DATASETS:
            if ds.table is None or ds.file.endswith(".json.gz"):
                continue
            assert result.rows[ds.key] == _csv_rows(ds.path), ds.key
        # the filings: one row per bucket nationally, per metro and per tier
        with gzip.open(next(d for d in DATASETS if d.key == "h1b_filings").path, "rt") as fh:
            doc = json.load(fh)
        expected = sum(1 + len(b.get("metros") or {}) + len(b.get("tiers") or {})
                       for f in doc["families"] for b in f["buckets"])  # fmt: skip
        assert result.rows["h1b_filings"] == expected
        loads = store.execute("SELECT dataset, kind, credit FROM official_loads").fetchall()
        kinds = {d: k for d, k, _ in loads}
        assert kinds["h1b_filings"] == "filing" and kinds["oews_metro"] == "official"
        assert all(credit for _, _, credit in loads)
        # nothing changed: no work, same rows
        assert not ensure_official(store).loaded
        assert store.execute("SELECT count(*) FROM oews_metro").fetchone() == (5371,)


def test_a_stale_table_is_reloaded(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        load_official(store)
        store.execute("UPDATE official_loads SET file_sha256 = 'old' WHERE dataset = 'metro_rpp'")
        store.execute("DELETE FROM metro_rpp")
        again = ensure_official(store)
        assert again.loaded and set(again.rows) == {"metro_rpp"}
        assert store.execute("SELECT count(*) FROM metro_rpp").fetchone() == (393,)


def test_a_read_only_store_refuses_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as store, pytest.raises(StoreError):
        load_official(store)


def test_load_official_command(official_env: Settings) -> None:
    from payatlas.cli import app

    out = CliRunner().invoke(app, ["data", "load-official", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["loaded"] and data["rows"]["oews_national"] == 84


def test_the_crosswalk_covers_every_family_and_is_documented() -> None:
    text = (DOCS / "methodology.md").read_text(encoding="utf-8")
    for family in ROLE_FAMILIES:
        assert (family.slug in CROSSWALK) != (family.slug in NO_SOC), family.slug
        assert f"`{family.slug}`" in text, f"{family.slug} missing from the SOC crosswalk docs"
    for match in CROSSWALK.values():
        assert match.soc in SOC_TITLES and f"{match.soc}" in text
    assert CROSSWALK["ml_engineer"].match == "proxy"
    assert CROSSWALK["data_scientist"].soc == "15-2051"
