"""Dropping a dataset version: every row an ingest wrote, removed in one transaction.

A version's rows are its records (``record_rows``), its rejects, its job postings and their
skill rows, its kind/credit row (``dataset_sources``) and the version row itself; all go, or
(on any error) none does. The version's rejects file goes after the commit. A later version
keeps its number, and "dataset version N" is still every ingest up to N, now without the
dropped one, so each later version's fingerprint (:meth:`Store.fingerprint`) changes: that is
how a model trained on data that held the dropped rows is known to be stale
(:mod:`payatlas.model.stale`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from payatlas.errors import UnknownVersion
from payatlas.output import Output
from payatlas.store.rejects import rejects_path

if TYPE_CHECKING:
    from payatlas.store.duckdb_store import Store

#: table -> its dataset-version column, in the order the rows are deleted
_TABLES: tuple[tuple[str, str], ...] = (
    ("record_rows", "dataset_version"),
    ("rejects", "dataset_version"),
    ("postings", "dataset_version"),
    ("posting_skill_sets", "dataset_version"),
    ("dataset_sources", "version"),
    ("dataset_versions", "version"),
)


@dataclass(frozen=True, slots=True)
class DroppedVersion(Output):
    """What a drop removed."""

    version: int
    kind: Annotated[str, Field(description="survey_submission or job_posting.")]
    source: str
    source_file: str
    file_sha256: str
    records: Annotated[int, Field(description="Survey records removed.")]
    rejects: Annotated[int, Field(description="Rejected rows removed.")]
    postings: Annotated[int, Field(description="Job postings removed.")]
    posting_skills: Annotated[int, Field(description="Posting x skill rows removed.")]


def drop_version(store: Store, version: int) -> DroppedVersion:
    """Remove dataset version ``version`` and every row it wrote, atomically.

    Raises :class:`~payatlas.errors.UnknownVersion` (naming the versions there are) when the
    store holds no such version.
    """
    if isinstance(version, bool) or int(version) < 1:
        raise UnknownVersion(f"invalid dataset version {version!r}", field="version")
    v = int(version)
    kinds = {d.version: d.kind for d in store.versions()}
    if v not in kinds:
        there = ", ".join(str(n) for n in sorted(kinds)) or "none"
        raise UnknownVersion(
            f"dataset version {v} does not exist (versions: {there})", field="version"
        )
    counts: dict[str, int] = {}
    with store.transaction() as con:
        row = con.execute(
            "SELECT source, source_file, file_sha256 FROM dataset_versions WHERE version = ?", [v]
        ).fetchone()
        # skill rows are a view of postings x their skill sets (migration 9): counted, then
        # gone with their postings
        skills = (
            con.execute(
                "SELECT count(*) FROM posting_skills WHERE dataset_version = ?", [v]
            ).fetchone()
            if _has_relation(store, "posting_skills")
            else None
        )
        counts["posting_skills"] = int(skills[0]) if skills else 0
        for table, column in _TABLES:
            if not _has_table(store, table):
                counts[table] = 0
                continue
            got = con.execute(f"DELETE FROM {table} WHERE {column} = ?", [v]).fetchone()
            counts[table] = int(got[0]) if got else 0
    final = rejects_path(store, v)
    if final is not None:
        with contextlib.suppress(OSError):  # best effort: the rows are gone from the store
            final.unlink(missing_ok=True)
    return DroppedVersion(
        version=v,
        kind=kinds[v],
        source=str(row[0]) if row else "",
        source_file=str(row[1]) if row else "",
        file_sha256=str(row[2]) if row else "",
        records=counts["record_rows"],
        rejects=counts["rejects"],
        postings=counts["postings"],
        posting_skills=counts["posting_skills"],
    )


def _has_relation(store: Store, name: str) -> bool:
    row = store.execute(
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $1 AND NOT temporary) "
        "+ (SELECT count(*) FROM duckdb_views() WHERE view_name = $1 AND NOT temporary)",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _has_table(store: Store, name: str) -> bool:
    row = store.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [name]
    ).fetchone()
    return bool(row and row[0])
