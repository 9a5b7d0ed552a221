"""Load the bundled official files into their store tables, all or nothing.

``load_official(store)`` replaces every official table from the package's files in one
transaction and records each file's checksum in ``official_loads``; ``ensure_official(store)``
does so only when a table is missing or its file changed (what ``payatlas init`` calls).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from payatlas.errors import StoreError
from payatlas.official.datasets import DATASETS, Dataset
from payatlas.store import Store

_NUM = "TRY_CAST(nullif({c}, '') AS DOUBLE)"
#: table -> SELECT list over read_csv(all_varchar) of the file
_SELECTS: dict[str, str] = {
    "oews_metro": (
        "CAST(year AS SMALLINT), cbsa, area_title, state, soc, role_label, "
        "CAST(TRY_CAST(nullif(tot_emp, '') AS DOUBLE) AS BIGINT), "
        + ", ".join(_NUM.format(c=c) for c in
                    ("loc_quotient", "a_pct10", "a_pct25", "a_median", "a_pct75", "a_pct90"))
        + ", nullif(capped_at_239200, '')"
    ),
    "oews_metro_median": (
        "CAST(year AS SMALLINT), cbsa, area_title, soc, "
        "CAST(TRY_CAST(nullif(tot_emp, '') AS DOUBLE) AS BIGINT), "
        + _NUM.format(c="a_median") + ", nullif(capped_at_topcode, '')"
    ),
    "oews_national": (
        "CAST(year AS SMALLINT), soc, role_label, "
        "CAST(TRY_CAST(nullif(tot_emp, '') AS DOUBLE) AS BIGINT), "
        + ", ".join(_NUM.format(c=c) for c in
                    ("a_pct10", "a_pct25", "a_median", "a_pct75", "a_pct90"))
        + ", nullif(capped_at_topcode, '')"
    ),
    "metro_rpp": (
        "CAST(2024 AS SMALLINT), cbsa, metro_name, state, "
        + ", ".join(_NUM.format(c=c) for c in ("rpp_all_items_2024_us100", "lat", "lng"))
    ),
    "ppp_factors": (
        '"Country ID", "Country", CAST("Year" AS SMALLINT), CAST("PPP" AS DOUBLE)'
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class OfficialLoad:
    """What a load did: rows per table (empty when nothing needed loading)."""

    rows: dict[str, int]
    loaded: bool

    def as_dict(self) -> dict[str, Any]:
        return {"loaded": self.loaded, "rows": dict(self.rows)}


def _sha256(ds: Dataset) -> str:
    return hashlib.sha256(ds.path.read_bytes()).hexdigest()


def _h1b_frame(ds: Dataset) -> pd.DataFrame:
    """The H-1B JSON (families -> buckets -> national, metros, tiers) as flat rows."""
    with gzip.open(ds.path, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    rows: list[tuple[Any, ...]] = []
    period = str(doc["lcaPeriod"])

    def add(group: dict[str, Any], bucket: dict[str, Any], cbsa: str | None, tier: str,
            cell: dict[str, Any]) -> None:  # fmt: skip
        rows.append((period, group["key"], group["label"], bucket["key"], bucket["label"], cbsa,
                     tier, int(cell["filings"]), cell.get("p25"), cell.get("median"),
                     cell.get("p75")))  # fmt: skip

    for group in doc["families"]:
        for bucket in group["buckets"]:
            add(group, bucket, None, "all", bucket["national"])
            for cbsa, cell in (bucket.get("metros") or {}).items():
                add(group, bucket, str(cbsa), "all", cell)
            for tier, cell in (bucket.get("tiers") or {}).items():
                add(group, bucket, None, str(tier), cell)
    cols = ["period", "group_key", "group_label", "bucket", "bucket_label", "cbsa", "tier",
            "filings", "p25", "p50", "p75"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _load_one(con: duckdb.DuckDBPyConnection, ds: Dataset) -> int:
    assert ds.table is not None
    con.execute(f"DELETE FROM {ds.table}")
    if ds.table == "h1b_filings":
        frame = _h1b_frame(ds)
        con.register("h1b_frame", frame)
        try:
            con.execute("INSERT INTO h1b_filings SELECT * FROM h1b_frame")
        finally:
            con.unregister("h1b_frame")
    else:
        con.execute(
            f"INSERT INTO {ds.table} SELECT {_SELECTS[ds.table]} FROM read_csv(?, header=true, "
            "all_varchar=true, quote='\"')",
            [str(ds.path)],
        )
    row = con.execute(f"SELECT count(*) FROM {ds.table}").fetchone()
    return int(row[0]) if row else 0


def load_official(store: Store, *, only_changed: bool = False) -> OfficialLoad:
    """(Re)load the official tables from the bundled files in one transaction.

    ``only_changed`` skips files whose checksum matches the recorded load. Raises StoreError
    on a read-only store or a store without the official tables (an old schema)."""
    try:
        recorded = dict(store.execute("SELECT dataset, file_sha256 FROM official_loads").fetchall())
    except duckdb.CatalogException as exc:
        raise StoreError("this store has no official-statistics tables; open it writable") from exc
    todo = [(ds, _sha256(ds)) for ds in DATASETS if ds.table]
    if only_changed:
        todo = [(ds, sha) for ds, sha in todo if recorded.get(ds.key) != sha]
    if not todo:
        return OfficialLoad(rows={}, loaded=False)
    rows: dict[str, int] = {}
    try:
        with store.transaction() as con:
            for ds, sha in todo:
                rows[ds.key] = _load_one(con, ds)
                con.execute("DELETE FROM official_loads WHERE dataset = ?", [ds.key])
                con.execute(
                    "INSERT INTO official_loads VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                    [ds.key, ds.kind, ds.file, sha, rows[ds.key], ds.credit, ds.licence],
                )
    except duckdb.Error as exc:
        raise StoreError(f"cannot load the official statistics: {exc}") from exc
    return OfficialLoad(rows=rows, loaded=True)


def ensure_official(store: Store) -> OfficialLoad:
    """Load whatever official table is missing or stale (no work when all are current)."""
    return load_official(store, only_changed=True)


def official_loaded(store: Store) -> bool:
    """True when every official table has been loaded into ``store``."""
    try:
        row = store.execute("SELECT count(*) FROM official_loads").fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row) and int(row[0]) >= sum(1 for ds in DATASETS if ds.table)
