"""Ingest: file -> staged text -> normalised, checked, flagged records, in one transaction.

Every input row ends as accepted (possibly with flags) or rejected with its row number, field and
reason. Nothing is written unless everything is: the store's transaction commits last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from payatlas.errors import InvalidMapping, StoreError
from payatlas.ingest import limits as size_limits
from payatlas.ingest import lookups, stages
from payatlas.ingest.mapping import Mapping, detect_adapter, load_mapping
from payatlas.ingest.readers import ReadResult, read_to_table
from payatlas.ingest.report import IngestReport
from payatlas.normalize.csvsafe import neutralise_sql
from payatlas.store import Store

Progress = Callable[[str], None]


def file_sha256(path: Path) -> str:
    """Content hash of the file (identifies a dataset version's source)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(
    path: Path | str,
    *,
    store: Store,
    mapping: Mapping | Path | str | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    allow_same_file: bool = False,
    limits: size_limits.IngestLimits | None = None,
) -> IngestReport:
    """Ingest one file into the store as a new dataset version; return the report.

    Raises :class:`~payatlas.errors.InvalidInput` subclasses for unreadable files or mappings
    (:class:`~payatlas.errors.InputTooLarge` past ``limits``, for untrusted uploads); on any
    error (or interrupt) the store is left exactly as it was.
    """
    step = progress or (lambda _msg: None)
    started = time.perf_counter()
    path = Path(path)
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)  # a bad mapping fails before the file is read
    if limits is not None and path.is_file():
        size_limits.check_file(path, limits)  # before anything is parsed
    con = store.con
    try:
        return _ingest(con, store, path, mapping, source, step, allow_same_file, started, limits)
    finally:
        _drop_temp(con)  # whatever happened, leave no staging state behind


def _ingest(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    path: Path,
    mapping: Mapping | None,
    source: str | None,
    step: Progress,
    allow_same_file: bool,
    started: float,
    limits: size_limits.IngestLimits | None = None,
) -> IngestReport:
    step("reading")
    # hash the file on another thread while DuckDB reads it (both release the GIL)
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(file_sha256, path) if path.is_file() else None
        read = read_to_table(con, path, "_pa_raw")
        sha = hashing.result() if hashing else ""
    if limits is not None:
        size_limits.check_rows(read.rows + len(read.bad_rows), path, limits)
    found = mapping or detect_adapter(read.columns)
    if found is None:
        raise InvalidMapping(
            "unrecognised column layout; pass a mapping file (see docs/mapping.md). "
            f"Columns found: {', '.join(read.columns)}",
            file=str(path),
        )
    found.check_against(read.columns, file=str(path))
    src = source or found.name
    if not allow_same_file:
        dup = con.execute(
            "SELECT version FROM dataset_versions WHERE file_sha256 = ? AND source = ?", [sha, src]
        ).fetchone()
        if dup:
            raise StoreError(f"{path}: already ingested as dataset version {dup[0]}")
    step("normalising")
    distinct = stages.build_distinct(con, "_pa_raw")
    lk = lookups.build_all(con, distinct, found)
    stages.build_fx_tables(con, lk, found)
    step("checking and converting")
    con.execute(stages.checked_sql(found, lk, distinct))
    stages.apply_implied_fx(con, found)
    stages.build_flag_tables(con)
    step("writing")
    with store.transaction():
        row = con.execute("SELECT coalesce(max(version), 0) + 1 FROM dataset_versions").fetchone()
        version = int(row[0]) if row else 1
        con.execute(f"INSERT INTO record_rows {stages.records_sql(version, src)}")
        _insert_rejects(con, version, read)
        report = _report(con, version, src, path, read, found, sha, started)
        con.execute(
            "INSERT INTO dataset_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                version,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                src,
                path.name,
                sha,
                read.format,
                found.name,
                report.rows_read,
                report.accepted,
                report.flagged,
                report.rejected,
                json.dumps(report.as_dict()),
            ],
        )
        pending = _write_rejects_file(store, version)  # before COMMIT: a failure rolls back
    report.rejects_file = _publish(pending)
    step("done")
    return report


def _insert_rejects(con: duckdb.DuckDBPyConnection, version: int, read: ReadResult) -> None:
    field, reason = stages.reject_text_sql()
    pairs = ", ".join(f"{stages.lit(c)}, {stages.quote(c)}" for c in read.columns)
    con.execute(f"""
        INSERT INTO rejects SELECT {version}, k._row, x.why_field, x.why, r.raw
        FROM (SELECT h1, h2, {field} AS why_field, {reason} AS why FROM {stages.CHECKED}
              WHERE reject_code IS NOT NULL) x
        JOIN _pa_rowkey k ON k.h1 = x.h1 AND k.h2 = x.h2
        JOIN (SELECT __pa_row AS k, json_object({pairs})::VARCHAR AS raw FROM _pa_raw) r
            ON k._row = r.k
        ORDER BY k._row""")
    if read.bad_rows:
        con.executemany(
            "INSERT INTO rejects VALUES (?, ?, NULL, ?, ?)",
            [[version, b.row, f"unparseable line: {b.reason}", b.raw] for b in read.bad_rows],
        )


def _report(
    con: duckdb.DuckDBPyConnection,
    version: int,
    source: str,
    path: Path,
    read: ReadResult,
    mapping: Mapping,
    sha: str,
    started: float,
) -> IngestReport:
    where = f"dataset_version = {version}"
    acc = con.execute(
        f"SELECT count(*), count(*) FILTER (len(flags) > 0) FROM record_rows WHERE {where}"
    ).fetchone()
    by_family = dict(
        con.execute(
            f"SELECT role_family::VARCHAR, count(*) FROM record_rows WHERE {where} "
            "GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    flags = dict(
        con.execute(
            f"SELECT f::VARCHAR, count(*) FROM (SELECT unnest(flags) f FROM record_rows "
            f"WHERE {where}) "
            "GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    reasons = dict(
        con.execute(
            f"SELECT coalesce(field, 'line') || ': ' || regexp_replace(reason, '''.*''', '…'), "
            f"count(*) FROM rejects WHERE {where} GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    rejected = sum(reasons.values())
    accepted = int(acc[0]) if acc else 0
    return IngestReport(
        dataset_version=version,
        source=source,
        file=path.name,
        file_sha256=sha,
        format=read.format,
        adapter=mapping.name,
        rows_read=read.rows + len(read.bad_rows),
        accepted=accepted,
        flagged=int(acc[1]) if acc else 0,
        rejected=rejected,
        by_role_family={str(k): int(v) for k, v in by_family.items()},
        flags={str(k): int(v) for k, v in flags.items()},
        rejected_by_reason={str(k): int(v) for k, v in reasons.items()},
        seconds=round(time.perf_counter() - started, 3),
    )


def _write_rejects_file(store: Store, version: int) -> tuple[Path, Path] | None:
    """Write this version's rejects to a temporary file beside the store; return (tmp, final)."""
    if store.rejects_dir is None:
        return None
    final = store.rejects_dir / f"v{version}.csv"
    tmp = final.with_suffix(".csv.tmp")
    try:
        store.rejects_dir.mkdir(parents=True, exist_ok=True)
        target = str(tmp).replace("'", "''")
        store.con.execute(
            f"COPY (SELECT source_row AS row, {_cells('field', 'reason', 'raw')} FROM rejects "
            f"WHERE dataset_version = {version} ORDER BY source_row) TO '{target}' (HEADER)"
        )
    except (OSError, duckdb.Error) as exc:
        raise StoreError(f"cannot write the rejects file {final}: {exc}") from exc
    return tmp, final


def _cells(*columns: str) -> str:
    """Text columns for the rejects CSV with formula-like cells neutralised (OWASP)."""
    return ", ".join(f"{neutralise_sql(c)} AS {c}" for c in columns)


def _publish(pending: tuple[Path, Path] | None) -> str | None:
    """Move the committed version's rejects file into place."""
    if pending is None:
        return None
    tmp, final = pending
    try:
        os.replace(tmp, final)
    except OSError as exc:
        raise StoreError(
            f"version committed, but its rejects file {final} could not be "
            f"written: {exc}; the rejects are in the store's rejects table"
        ) from exc
    return str(final)


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SELECT 1").fetchall()  # settle any result left open by an error
    for name in lookups.SPECS:
        con.unregister(f"_pa_lk_{name}")
    for kind in ("VIEW", "TABLE"):  # views first: they depend on the tables
        low = kind.lower()
        names = con.execute(
            f"SELECT {low}_name FROM duckdb_{low}s() "
            f"WHERE temporary AND starts_with({low}_name, '_pa_')"
        ).fetchall()
        for (name,) in names:
            con.execute(f"DROP {kind} IF EXISTS {name}")
