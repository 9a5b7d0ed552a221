"""The embedded DuckDB store: one file under ``PAYATLAS_HOME``, migrated on open."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import duckdb
from pydantic import Field, WithJsonSchema

from payatlas.errors import StoreBusy, StoreError
from payatlas.output import Output
from payatlas.settings import Settings, get_settings
from payatlas.store.categories import declare_check_types
from payatlas.store.schema import MIGRATIONS

#: versions that hold survey records: every version but the job-posting ones (#12)
_NOT_POSTINGS = "version NOT IN (SELECT version FROM dataset_sources WHERE kind = 'job_posting')"


@dataclass(frozen=True, slots=True)
class DatasetVersion(Output):
    """One ingest (a dataset version = every ingest up to it): what it read and what it kept."""

    version: int
    #: answered as ISO 8601 to the second, without a UTC offset (payatlas.output)
    created_at: Annotated[
        dt.datetime,
        WithJsonSchema({"type": "string", "description": "When the ingest ran, to the second."}),
    ]
    source: str
    source_file: str
    file_sha256: str
    file_format: str
    adapter: str
    rows_read: int
    accepted: Annotated[
        int,
        Field(
            description="Rows accepted (flagged ones included): survey records, or job "
            "postings for a version of kind job_posting."
        ),
    ]
    flagged: int
    rejected: int
    kind: Annotated[str, Field(description="survey_submission or job_posting (#12).")] = (
        "survey_submission"
    )
    credit: Annotated[str | None, Field(description="The source's credit line, if any.")] = None


class Store:
    """A PayAtlas store backed by a DuckDB file (or ``:memory:``)."""

    def __init__(self, path: Path | str, *, read_only: bool = False, threads: int = 2) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config={"threads": threads})
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if "could not set lock" in str(exc).lower():  # another process holds the file
                raise StoreBusy(f"cannot open store {self.path}: {exc}") from exc
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._local = threading.local()
        if not read_only:
            self.migrate()
            declare_check_types(self.con)
            if self.path != ":memory:":
                from payatlas.store.rejects import recover_rejects

                recover_rejects(self)  # what a killed ingest left (crash safety, #15)

    @classmethod
    def open(cls, settings: Settings | None = None, *, read_only: bool = False) -> Store:
        """Open the store named by the settings (``PAYATLAS_HOME``)."""
        settings = settings or get_settings()
        return cls(settings.store_path, read_only=read_only, threads=settings.threads)

    # -- connections ------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A per-thread cursor on the shared connection (safe for a threaded server)."""
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self.con.cursor()
            self._local.cur = cur
        return cur

    def execute(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Any:
        """Run SQL on this thread's cursor."""
        return self.cursor().execute(sql, params) if params else self.cursor().execute(sql)

    def close(self) -> None:
        """Close the underlying connection."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit on success, roll back on any error (or interrupt)."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    # -- schema -----------------------------------------------------------------------
    def schema_version(self) -> int:
        """The number of migrations applied (0 for a new file)."""
        try:
            row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
            found = row.fetchone()
        except duckdb.CatalogException:
            return 0
        return int(found[0]) if found else 0

    def needs_migration(self) -> bool:
        """True when migrations are pending (a read-only connection cannot apply them)."""
        return self.schema_version() < len(MIGRATIONS)

    def migrate(self) -> int:
        """Apply pending migrations; return the schema version."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        current = int(row[0]) if row else 0
        for number, sql in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            with self.transaction() as con:
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)", [number])
            current = number
        return current

    # -- versions ---------------------------------------------------------------------
    def _survey_versions(self) -> str:
        """SQL condition on ``version``: the survey versions (a store not yet migrated to the
        postings tables, opened read-only, has only survey versions)."""
        return _NOT_POSTINGS if self._has_table("dataset_sources") else "true"

    def _has_table(self, name: str) -> bool:
        row = self.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [name]
        ).fetchone()
        return bool(row and row[0])

    def versions(self) -> list[DatasetVersion]:
        """All dataset versions, oldest first."""
        if not self._has_table("dataset_sources"):
            rows = self.execute(
                "SELECT version, created_at, source, source_file, file_sha256, file_format, "
                "adapter, rows_read, accepted, flagged, rejected FROM dataset_versions "
                "ORDER BY version"
            ).fetchall()
            return [DatasetVersion(*r) for r in rows]
        rows = self.execute(
            "SELECT version, created_at, source, source_file, file_sha256, file_format, adapter, "
            "rows_read, accepted, flagged, rejected, coalesce(s.kind, 'survey_submission'), "
            "s.credit FROM dataset_versions LEFT JOIN dataset_sources s USING (version) "
            "ORDER BY version"
        ).fetchall()
        return [DatasetVersion(*r) for r in rows]

    def latest_version(self) -> int | None:
        """The newest dataset version of survey records, or None when there is none. Job-posting
        versions (#12) share the numbering but live in their own tables, so they are skipped."""
        row = self.execute(
            f"SELECT max(version) FROM dataset_versions WHERE {self._survey_versions()}"
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def fingerprint(self, version: int) -> str | None:
        """What identifies the records of dataset ``version``: a digest of every ingest up to it
        (time, file checksum, accepted rows), so a store rebuilt with other data under the same
        version numbers gives another fingerprint. None when the version does not exist."""
        rows = self.execute(
            "SELECT version, created_at, file_sha256, accepted FROM dataset_versions "
            f"WHERE version <= ? AND {self._survey_versions()} ORDER BY version",
            [version],
        ).fetchall()
        if not rows or int(rows[-1][0]) != int(version):
            return None
        text = "\n".join("|".join(str(v) for v in r) for r in rows)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def record_count(self, version: int | None = None) -> int:
        """Rows in the dataset as of ``version`` (default: latest)."""
        v = self.latest_version() if version is None else version
        if v is None:
            return 0
        row = self.execute(
            "SELECT count(*) FROM records WHERE dataset_version <= ?", [v]
        ).fetchone()
        return int(row[0]) if row else 0

    @property
    def rejects_dir(self) -> Path | None:
        """Where rejects files go: ``rejects/`` beside the store file (None in memory)."""
        if self.path == ":memory:":
            return None
        path = Path(self.path)
        # the default store keeps rejects/ ; another store in the same folder gets its own
        return path.parent / ("rejects" if path.stem == "payatlas" else f"{path.stem}-rejects")

    def is_empty(self) -> bool:
        """True when no survey records have been ingested (postings alone leave it empty)."""
        return self.latest_version() is None
