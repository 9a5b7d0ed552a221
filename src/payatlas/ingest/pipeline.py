"""Ingest: file -> staged text -> normalised, checked, flagged records, in one transaction.

Every input row ends as accepted (possibly with flags) or rejected with its row number, field and
reason. Nothing is written unless everything is: the store's transaction commits last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from payatlas.durable import remove
from payatlas.errors import DuplicateFile, InvalidMapping, StoreError
from payatlas.ingest import limits as size_limits
from payatlas.ingest import lookups, stages
from payatlas.ingest.mapping import Mapping, detect_adapter, load_mapping
from payatlas.ingest.readers import ReadResult, read_to_table
from payatlas.ingest.report import IngestReport
from payatlas.store import Store
from payatlas.store.rejects import publish_rejects, stage_rejects

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
        drop_temp(con)  # whatever happened, leave no staging state behind


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
        read = read_to_table(con, path, "_pa_raw", encoding=mapping.encoding if mapping else None)
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
    fingerprint = found.fingerprint()
    if not allow_same_file:
        _refuse_repeat(con, path, sha, fingerprint)
    step("normalising")
    distinct = stages.build_distinct(con, "_pa_raw")
    lk = lookups.build_all(con, distinct, found)
    stages.build_fx_tables(con, lk, found)
    step("checking and converting")
    con.execute(stages.checked_sql(found, lk, distinct))
    stages.apply_implied_fx(con, found)
    stages.build_flag_tables(con)
    step("writing")
    report, pending = _write(con, store, src, path, read, found, sha, fingerprint, started)
    report.rejects_file = publish_rejects(pending)  # a kill before this: see recover_rejects
    step("done")
    return report


def _write(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    src: str,
    path: Path,
    read: ReadResult,
    found: Mapping,
    sha: str,
    fingerprint: str,
    started: float,
) -> tuple[IngestReport, tuple[Path, Path] | None]:
    """The one transaction: records, rejects, the version row and the staged rejects file."""
    pending: tuple[Path, Path] | None = None
    try:
        with store.transaction():
            next_sql = "SELECT coalesce(max(version), 0) + 1 FROM dataset_versions"
            row = con.execute(next_sql).fetchone()
            version = int(row[0]) if row else 1
            con.execute(f"INSERT INTO record_rows {stages.records_sql(version, src)}")
            con.execute(stages.cross_file_duplicates_sql(version))
            _insert_rejects(con, version, read)
            _check_accounting(con, version, read.rows + len(read.bad_rows), path)
            report = _report(con, version, src, path, read, found, sha, started)
            report.encoding, report.mapping_sha256 = read.encoding, fingerprint
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
            pending = stage_rejects(store, version)  # before COMMIT: a failure rolls back
    except BaseException:  # not committed: the staged file must not outlive it
        if pending is not None:
            remove(pending[0])
        raise
    return report, pending


def _refuse_repeat(con: duckdb.DuckDBPyConnection, path: Path, sha: str, fingerprint: str) -> None:
    """The same content with the same mapping is refused (whatever the source name); with a
    corrected mapping it is a new version. Versions from before mappings were fingerprinted
    match on content alone."""
    dup = con.execute(
        "SELECT min(version) FROM dataset_versions WHERE file_sha256 = ? AND "
        "coalesce(json_extract_string(report, '$.mapping_sha256'), ?) = ?",
        [sha, fingerprint, fingerprint],
    ).fetchone()
    if dup and dup[0] is not None:
        raise DuplicateFile(
            f"{path.name}: this file's content was already ingested with this mapping as "
            f"dataset version {dup[0]}; correct the mapping, drop that version first "
            f"(`payatlas data drop {dup[0]}`), or force a repeat (allow_same_file=True, CLI "
            "--force)"
        )


def _check_accounting(
    con: duckdb.DuckDBPyConnection, version: int, rows_read: int, path: Path
) -> None:
    """Every source row is stored once: as a record or as a reject, never twice, never lost.
    Checked inside the transaction, so a violation writes nothing."""
    row = con.execute(f"""
        SELECT count(*), count(DISTINCT source_row) FROM (
            SELECT source_row FROM record_rows WHERE dataset_version = {version}
            UNION ALL SELECT source_row FROM rejects WHERE dataset_version = {version})
        """).fetchone()
    stored, distinct = (int(row[0]), int(row[1])) if row else (0, 0)
    if stored != rows_read or distinct != rows_read:
        raise StoreError(
            f"{path}: internal error: {rows_read} rows read but {stored} stored "
            f"({distinct} distinct rows); nothing was written"
        )


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


def drop_temp(con: duckdb.DuckDBPyConnection, lookups_used: Iterable[str] = lookups.SPECS) -> None:
    """Leave no staging state behind: the registered lookups and every temporary ``_pa_`` view
    and table (views first: they depend on the tables). Shared by every ingest path."""
    con.execute("SELECT 1").fetchall()  # settle any result left open by an error
    for name in lookups_used:
        con.unregister(f"_pa_lk_{name}")
    for kind in ("VIEW", "TABLE"):
        low = kind.lower()
        names = con.execute(
            f"SELECT {low}_name FROM duckdb_{low}s() "
            f"WHERE temporary AND starts_with({low}_name, '_pa_')"
        ).fetchall()
        for (name,) in names:
            con.execute(f"DROP {kind} IF EXISTS {name}")
