"""Rejects files: one CSV per dataset version (``rejects/vN.csv``), derived from the store's
``rejects`` table and published crash-safely.

An ingest writes its file to a staging name under the store folder's ``tmp/`` before it commits
and moves it into place after (:mod:`payatlas.durable`). A process killed in between leaves a
committed version without its file, or a staging file for a version that never committed; both
are repaired when the store is next opened for writing (:func:`recover_rejects`), or by a
reader that finds them (:func:`needs_recovery`, then a brief write): staging debris
of dead processes is removed and a committed version's missing file is written again from the
table.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from payatlas.durable import (
    TMP,
    clean_stale,
    is_stale,
    publish_file,
    remove,
    staging_name,
    tmp_dir,
)
from payatlas.errors import StoreError
from payatlas.normalize.csvsafe import neutralise_sql

if TYPE_CHECKING:
    from payatlas.store.duckdb_store import Store

_LEGACY_TMP = re.compile(r"^v\d+\.csv\.tmp$")  # staged beside the files before #15


def rejects_path(store: Store, version: int) -> Path | None:
    """Where version ``version``'s rejects file goes (None for an in-memory store)."""
    folder = store.rejects_dir
    return None if folder is None else folder / f"v{version}.csv"


def stage_rejects(store: Store, version: int) -> tuple[Path, Path] | None:
    """Write version ``version``'s rejects (from the ``rejects`` table, on this connection's
    transaction) to a staging file; return (staging file, final path), None in memory."""
    final = rejects_path(store, version)
    if final is None:
        return None
    tmp = Path(store.path).parent / TMP / staging_name(f"rejects-v{version}", suffix=".csv")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)  # fails here, before COMMIT, if it can
        tmp_dir(tmp.parent.parent)
        target = str(tmp).replace("'", "''")
        store.con.execute(
            f"COPY (SELECT source_row AS row, {_cells('field', 'reason', 'raw')} FROM rejects "
            f"WHERE dataset_version = {int(version)} ORDER BY source_row) TO '{target}' (HEADER)"
        )
    except (OSError, duckdb.Error) as exc:
        remove(tmp)
        raise StoreError(f"cannot write the rejects file {final}: {exc}") from exc
    return tmp, final


def _cells(*columns: str) -> str:
    """Text columns for the rejects CSV with formula-like cells neutralised (OWASP)."""
    return ", ".join(f"{neutralise_sql(c)} AS {c}" for c in columns)


def publish_rejects(pending: tuple[Path, Path] | None) -> str | None:
    """Move a staged rejects file into place (fsync, atomic replace); its final path."""
    if pending is None:
        return None
    tmp, final = pending
    try:
        publish_file(tmp, final)
    except OSError as exc:
        remove(tmp)
        raise StoreError(
            f"version committed, but its rejects file {final} could not be "
            f"written: {exc}; the rejects are in the store's rejects table"
        ) from exc
    return str(final)


def needs_recovery(store: Store) -> bool:
    """True when a killed ingest left something :func:`recover_rejects` repairs: a dead
    writer's staging file, or a committed version without its rejects file. Cheap (one small
    query and two folder listings), so a read-only opener can check before it serves."""
    folder = store.rejects_dir
    if folder is None:
        return False
    staged: list[Path] = []
    for where, hidden_only in ((Path(store.path).parent / TMP, False), (folder, True)):
        with contextlib.suppress(OSError):
            staged += [e for e in where.iterdir() if not hidden_only or e.name.startswith(".")]
    if any(is_stale(e.name) for e in staged):
        return True
    with contextlib.suppress(OSError):
        if any(_LEGACY_TMP.match(e.name) for e in folder.iterdir()):
            return True
    try:
        rows = store.con.execute("SELECT version FROM dataset_versions").fetchall()
    except duckdb.Error:  # a store without the table yet: migrations first
        return False
    return any(
        (path := rejects_path(store, int(v))) is not None and not path.exists() for (v,) in rows
    )


def recover_rejects(store: Store) -> list[Path]:
    """Repair what a killed ingest left: remove dead writers' staging files (and ``vN.csv.tmp``
    left by earlier versions), then write any committed version's missing rejects file again.
    Returns the files written. Call with the store open for writing (DuckDB's file lock then
    keeps every other process out of this store)."""
    folder = store.rejects_dir
    if folder is None:
        return []
    clean_stale(Path(store.path).parent, also=(folder,))
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if _LEGACY_TMP.match(entry.name):
                remove(entry)
    written = []
    for (version,) in store.con.execute("SELECT version FROM dataset_versions").fetchall():
        final = rejects_path(store, int(version))
        if final is not None and not final.exists():
            with contextlib.suppress(StoreError):  # best effort: the table keeps the rejects
                publish_rejects(stage_rejects(store, int(version)))
                written.append(final)
    return written
