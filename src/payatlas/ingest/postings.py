"""Job postings (kind ``job_posting``): a data_jobs-style file -> ``postings`` + ``posting_skills``.

Postings never enter ``records``: the survey analytics and the estimate model read ``records``
only, so loading postings leaves every survey output as it was. Each distinct raw value is
normalised once in Python with the shared normalisers (titles -> family and seniority via
:func:`~payatlas.normalize.titles.classify_title`, places via
:mod:`~payatlas.ingest.posting_places`, skills via :mod:`~payatlas.normalize.skills`, hourly pay
annualised with the period multipliers of :mod:`~payatlas.ingest.money`) and joined back in SQL
(:mod:`~payatlas.ingest.posting_sql`: one set-based pass, no per-row work; a Parquet file is
read in place, never copied). Every row ends accepted (possibly flagged) or rejected with its
row, field and reason, in one transaction with its dataset version (``dataset_sources`` holds the
kind and the credit).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from payatlas.durable import remove
from payatlas.errors import DuplicateFile, InvalidInput, InvalidMapping
from payatlas.ingest.pipeline import Progress, drop_temp, file_sha256
from payatlas.ingest.posting_sql import CHECKED, LOOKUPS, RAW, build_lookups, checked_sql
from payatlas.ingest.readers import ReadResult, read_to_table
from payatlas.ingest.report import IngestReport
from payatlas.store import Store
from payatlas.store.rejects import publish_rejects, stage_rejects

KIND = "job_posting"
ADAPTER = "data_jobs"
COLUMNS = (
    "job_title_short", "job_title", "job_location", "job_via", "job_schedule_type",
    "job_work_from_home", "job_posted_date", "job_no_degree_mention", "job_health_insurance",
    "job_country", "salary_rate", "salary_year_avg", "salary_hour_avg", "company_name",
    "job_skills",
)  # fmt: skip
ID_STRIDE = 10_000_000_000  # posting_id = dataset_version * ID_STRIDE + source_row
_REJECTED = "_pa_post_rejected"


@dataclass(slots=True)
class PostingsReport(IngestReport):
    """An ingest report for job postings: also the kind, credit and skill rows stored."""

    kind: str = KIND
    credit: str | None = None
    licence: str | None = None
    skill_rows: int = 0
    with_skills: int = 0


def ingest_postings(
    path: Path | str,
    *,
    store: Store,
    source: str = "data_jobs",
    credit: str | None = None,
    licence: str | None = None,
    progress: Progress | None = None,
    allow_same_file: bool = False,
) -> PostingsReport:
    """Load a postings file as a new dataset version of kind ``job_posting``.

    Raises :class:`~payatlas.errors.InvalidInput` subclasses for unreadable files or missing
    columns, :class:`~payatlas.errors.DuplicateFile` for a file whose content is already loaded
    (under any source name; ``allow_same_file`` loads it again);
    on any error the store is left exactly as it was.
    """
    step = progress or (lambda _msg: None)
    started = time.perf_counter()
    path = Path(path)
    con = store.con
    pending: tuple[Path, Path] | None = None
    try:
        step("reading postings")
        read = read_to_table(con, path, RAW, lazy=True)
        missing = [c for c in COLUMNS if c not in read.columns]
        if missing:
            raise InvalidMapping(
                f"not a postings file: missing columns {', '.join(missing)}", file=str(path)
            )
        sha = file_sha256(path)
        dup = con.execute(  # the same content, whatever the source name (#10)
            "SELECT min(version) FROM dataset_versions WHERE file_sha256 = ?", [sha]
        ).fetchall()[0][0]
        if dup is not None and not allow_same_file:
            raise DuplicateFile(
                f"{path.name}: this file's content was already ingested as dataset version "
                f"{dup}; drop that version first (`payatlas data drop {dup}`) or force a repeat "
                "(allow_same_file=True)"
            )
        step("normalising postings")
        build_lookups(con)
        con.execute(checked_sql())
        step("writing postings")
        with store.transaction():
            row = con.execute("SELECT coalesce(max(version), 0) + 1 FROM dataset_versions")
            version = int(row.fetchall()[0][0])
            written = _write(con, version, source, read)
            report = _report(con, version, source, path, sha, read.format, written, credit,
                             licence)  # fmt: skip
            report.rows_read = read.rows + len(read.bad_rows)
            if read.bad_rows:
                con.executemany(
                    "INSERT INTO rejects VALUES (?, ?, NULL, ?, ?)",
                    [
                        [version, b.row, f"unparseable line: {b.reason}", b.raw]
                        for b in read.bad_rows
                    ],
                )
                report.rejected += len(read.bad_rows)
                report.rejected_by_reason["line: unparseable"] = len(read.bad_rows)
            report.seconds = round(time.perf_counter() - started, 3)
            _record_version(con, report, path, read.format)
            pending = stage_rejects(store, version)  # before COMMIT: a failure rolls back
        report.rejects_file = publish_rejects(pending)  # a kill before this: recover_rejects
        step("done")
        return report
    except BaseException:  # not committed: the staged rejects file must not outlive it
        if pending is not None and not pending[1].exists():
            remove(pending[0])
        raise
    finally:
        drop_temp(con, LOOKUPS)


def _write(
    con: duckdb.DuckDBPyConnection, version: int, source: str, read: ReadResult
) -> tuple[int, int, dict[str, int]]:
    """Insert the accepted postings, the skill sets they use (their skill rows are the
    ``posting_skills`` view: never a per-row list, never written out) and the rejects; return
    the postings and skill rows written and the rejects by reason."""
    src = source.replace("'", "''")
    pid = f"{version}::BIGINT * {ID_STRIDE} + source_row"
    (n_post,) = con.execute(f"""
        INSERT INTO postings SELECT {pid}, {version}, '{src}', '{KIND}', source_row, raw_title,
            title_short, role_family, title_seniority, location_raw, city, state, country,
            is_remote, posted_date, company, board, schedule, no_degree_mention,
            health_insurance, pay_rate, pay_amount, annual_usd, skill_count, flags, skill_set
        FROM {CHECKED} WHERE reject_field IS NULL""").fetchall()[0]
    con.execute(  # only the sets accepted postings use
        f"INSERT INTO posting_skill_sets SELECT {version}, k.skill_set, k.skill, k.category "
        f"FROM _pa_pt_set_rows k SEMI JOIN (SELECT skill_set FROM postings WHERE "
        f"dataset_version = {version} GROUP BY 1) u ON u.skill_set = k.skill_set"
    )
    (n_skill,) = con.execute(
        "SELECT coalesce(sum(p.n * k.rows), 0) FROM (SELECT skill_set, count(*) AS n "
        f"FROM postings WHERE dataset_version = {version} GROUP BY 1) p JOIN (SELECT skill_set, "
        "count(*) AS rows FROM _pa_pt_set_rows GROUP BY 1) k USING (skill_set)"
    ).fetchall()[0]
    rejected: dict[str, int] = {}
    if int(n_post) < read.rows:  # a second pass only when some row was rejected
        con.execute(
            f"CREATE TEMP TABLE {_REJECTED} AS SELECT source_row, reject_field, reject_reason "
            f"FROM {CHECKED} WHERE reject_field IS NOT NULL"
        )
        rejected = {
            str(k): int(v)
            for k, v in con.execute(
                "SELECT reject_field || ': ' || regexp_replace(reject_reason, '''.*''', '…'), "
                f"count(*) FROM {_REJECTED} GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        }
        cols = [c for c in read.columns if not c.startswith("__pa_")]
        pairs = ", ".join(f"'{c}', {RAW}.\"{c}\"" for c in cols)
        con.execute(f"""
            INSERT INTO rejects
            SELECT {version}, c.source_row, c.reject_field, c.reject_reason,
                   json_object({pairs})::VARCHAR
            FROM {_REJECTED} c JOIN {RAW} ON {RAW}.__pa_row = c.source_row
            ORDER BY c.source_row""")
    return int(n_post), int(n_skill), rejected


def _report(
    con: duckdb.DuckDBPyConnection,
    version: int,
    source: str,
    path: Path,
    sha: str,
    fmt: str,
    written: tuple[int, int, dict[str, int]],
    credit: str | None,
    licence: str | None,
) -> PostingsReport:
    where = f"dataset_version = {version}"
    acc, skill_rows, rejected = written

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in con.execute(sql).fetchall()}

    flagged, with_skills = con.execute(
        "SELECT count(*) FILTER (len(flags) > 0), count(*) FILTER (skill_count > 0) "
        f"FROM postings WHERE {where}"
    ).fetchall()[0]
    return PostingsReport(
        dataset_version=version,
        source=source,
        file=path.name,
        file_sha256=sha,
        format=fmt,
        adapter=ADAPTER,
        rows_read=0,
        accepted=int(acc),
        flagged=int(flagged),
        rejected=sum(rejected.values()),
        by_role_family=pairs(
            f"SELECT role_family, count(*) FROM postings WHERE {where} GROUP BY 1 ORDER BY 2 DESC"
        ),
        flags=pairs(
            f"SELECT f, count(*) FROM (SELECT unnest(flags) f FROM postings WHERE {where}) "
            "GROUP BY 1 ORDER BY 2 DESC"
        ),
        rejected_by_reason=rejected,
        credit=credit,
        licence=licence,
        skill_rows=skill_rows,
        with_skills=int(with_skills),
    )


def _record_version(
    con: duckdb.DuckDBPyConnection, report: PostingsReport, path: Path, fmt: str
) -> None:
    if report.accepted + report.rejected != report.rows_read:
        raise InvalidInput(
            f"rows not accounted for: read {report.rows_read}, accepted {report.accepted}, "
            f"rejected {report.rejected}",
            file=str(path),
        )
    con.execute(
        "INSERT INTO dataset_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            report.dataset_version,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            report.source,
            path.name,
            report.file_sha256,
            fmt,
            ADAPTER,
            report.rows_read,
            report.accepted,
            report.flagged,
            report.rejected,
            json.dumps(report.as_dict()),
        ],
    )
    con.execute(
        "INSERT INTO dataset_sources VALUES (?, ?, ?, ?)",
        [report.dataset_version, KIND, report.credit, report.licence],
    )


def posting_counts(store: Store) -> dict[str, Any]:
    """How many postings and skill rows the store holds (all versions)."""
    row = store.execute(
        "SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM posting_skills)"
    ).fetchone()
    return {"postings": int(row[0]), "skill_rows": int(row[1])} if row else {}
