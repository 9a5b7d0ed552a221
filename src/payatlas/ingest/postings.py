"""Job postings (kind ``job_posting``): a data_jobs-style file -> ``postings`` + ``posting_skills``.

Postings never enter ``records``: the survey analytics and the estimate model read ``records``
only, so loading postings leaves every survey output as it was. Each distinct raw value is
normalised once in Python with the shared normalisers (titles -> family and seniority via
:func:`~payatlas.normalize.titles.classify_title`, places via
:mod:`~payatlas.ingest.posting_places`, skills via :mod:`~payatlas.normalize.skills`, hourly pay
annualised with the period multipliers of :mod:`~payatlas.ingest.money`) and joined back in SQL.
Every row ends accepted (possibly flagged) or rejected with its row, field and reason, in one
transaction with its dataset version (``dataset_sources`` holds the kind and the credit).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from payatlas.errors import InvalidInput, InvalidMapping, StoreError
from payatlas.ingest.lookups import build_lookup
from payatlas.ingest.money import PERIOD_MULTIPLIERS
from payatlas.ingest.pipeline import Progress, drop_temp, file_sha256
from payatlas.ingest.posting_places import parse_place
from payatlas.ingest.readers import read_to_table
from payatlas.ingest.report import IngestReport
from payatlas.normalize.skills import UnknownSkill, canonical_skill, taxonomy
from payatlas.normalize.titles import classify_title
from payatlas.store import Store

KIND = "job_posting"
ADAPTER = "data_jobs"
COLUMNS = (
    "job_title_short", "job_title", "job_location", "job_via", "job_schedule_type",
    "job_work_from_home", "job_posted_date", "job_no_degree_mention", "job_health_insurance",
    "job_country", "salary_rate", "salary_year_avg", "salary_hour_avg", "company_name",
    "job_skills",
)  # fmt: skip
#: advertised annual pay outside this range (USD) is kept and flagged ``pay_implausible``
PLAUSIBLE_USD = (5_000.0, 2_000_000.0)
ID_STRIDE = 10_000_000_000  # posting_id = dataset_version * ID_STRIDE + source_row
_RAW, _CHECKED = "_pa_post_raw", "_pa_post_checked"
_LOOKUPS = ("post_title", "post_place", "post_skills")
S, B = pa.string(), pa.bool_()
_SEP = "\u241f"  # joins a location and its country column into one key (not white space)


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
) -> PostingsReport:
    """Load a postings file as a new dataset version of kind ``job_posting``.

    Raises :class:`~payatlas.errors.InvalidInput` subclasses for unreadable files or missing
    columns, :class:`~payatlas.errors.StoreError` for a file already loaded under ``source``;
    on any error the store is left exactly as it was.
    """
    step = progress or (lambda _msg: None)
    started = time.perf_counter()
    path = Path(path)
    con = store.con
    try:
        step("reading postings")
        read = read_to_table(con, path, _RAW)
        missing = [c for c in COLUMNS if c not in read.columns]
        if missing:
            raise InvalidMapping(
                f"not a postings file: missing columns {', '.join(missing)}", file=str(path)
            )
        sha = file_sha256(path)
        dup = con.execute(
            "SELECT min(version) FROM dataset_versions WHERE file_sha256 = ? AND source = ?",
            [sha, source],
        ).fetchall()[0][0]
        if dup is not None:
            raise StoreError(f"{path.name}: already ingested as dataset version {dup}")
        step("normalising postings")
        _build_lookups(con)
        con.execute(_checked_sql())
        step("writing postings")
        with store.transaction():
            row = con.execute("SELECT coalesce(max(version), 0) + 1 FROM dataset_versions")
            version = int(row.fetchall()[0][0])
            _write(con, version, source, read.columns)
            report = _report(con, version, source, path, sha, read.format, credit, licence)
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
        step("done")
        return report
    finally:
        drop_temp(con, _LOOKUPS)


def _title(v: str) -> tuple[str, str | None, bool]:
    info = classify_title(v)
    return info.family, info.seniority, info.matched


def _place(v: str) -> tuple[str | None, str | None, str, bool, list[str]]:
    location, _, country = v.partition(_SEP)
    p = parse_place(location, country)
    return p.city, p.state, p.country, p.remote, list(p.flags)


def _skills(v: str) -> tuple[list[str], list[str], bool]:
    slugs: list[str] = []
    unknown = False
    for part in v.strip().strip("[]").split(","):
        name = part.strip().strip("'\"").strip()
        if not name:
            continue
        try:
            slug = canonical_skill(name).slug
        except UnknownSkill:
            unknown = True
            continue
        if slug not in slugs:
            slugs.append(slug)
    return slugs, [taxonomy()[s].category for s in slugs], unknown


def _place_key(raw: str = _RAW) -> str:
    return f"coalesce({raw}.job_location, '') || '{_SEP}' || coalesce({raw}.job_country, '')"


def _build_lookups(con: duckdb.DuckDBPyConnection) -> None:
    titles, places, skills = con.execute(f"""
        SELECT list(DISTINCT t) FILTER (t IS NOT NULL),
               (SELECT list(DISTINCT {_place_key()}) FROM {_RAW}),
               (SELECT list(DISTINCT job_skills) FILTER (job_skills IS NOT NULL) FROM {_RAW})
        FROM (SELECT job_title AS t FROM {_RAW} UNION ALL SELECT job_title_short FROM {_RAW})
    """).fetchall()[0]
    build_lookup(con, "post_title", sorted(titles or []), _title,
                 [("family", S), ("seniority", S), ("matched", B)])  # fmt: skip
    build_lookup(con, "post_place", sorted(places or []), _place,
                 [("city", S), ("state", S), ("country", S), ("remote", B),
                  ("flags", pa.list_(S))])  # fmt: skip
    skill_schema = [("skills", pa.list_(S)), ("categories", pa.list_(S)), ("unknown", B)]
    build_lookup(con, "post_skills", sorted(skills or []), _skills, skill_schema)


def _bool(col: str) -> str:
    v = f"lower(trim({_RAW}.{col}))"
    return f"CASE WHEN {v} IN ('1', 'true', 't', 'yes') THEN true WHEN {v} IN ('0', 'false', 'f', 'no') THEN false END"  # noqa: E501


def _checked_sql() -> str:
    hour = PERIOD_MULTIPLIERS["hour"]
    low, high = PLAUSIBLE_USD
    serial = f"try_cast(trim({_RAW}.job_posted_date) AS DOUBLE)"
    return f"""
    CREATE TEMP TABLE {_CHECKED} AS
    WITH x AS (
        SELECT {_RAW}.__pa_row AS source_row,
               nullif(trim({_RAW}.job_title), '') AS raw_title,
               nullif(trim({_RAW}.job_title_short), '') AS title_short,
               t.family, t.seniority, t.matched, ts.family AS short_family,
               ts.seniority AS short_seniority,
               nullif(trim({_RAW}.job_location), '') AS location_raw,
               p.city, p.state, p.country, p.remote, p.flags AS place_flags, p.error AS place_error,
               {_bool("job_work_from_home")} AS wfh,
               CASE WHEN {serial} BETWEEN 1 AND 2958465
                    THEN DATE '1899-12-30' + floor({serial})::INTEGER
                    ELSE try_cast(trim({_RAW}.job_posted_date) AS DATE) END AS posted_date,
               nullif(trim({_RAW}.company_name), '') AS company,
               nullif(regexp_replace(trim({_RAW}.job_via), '^via\\s+', ''), '') AS board,
               nullif(trim({_RAW}.job_schedule_type), '') AS schedule,
               {_bool("job_no_degree_mention")} AS no_degree_mention,
               {_bool("job_health_insurance")} AS health_insurance,
               lower(trim({_RAW}.salary_rate)) AS pay_rate,
               CASE lower(trim({_RAW}.salary_rate))
                    WHEN 'year' THEN try_cast(trim({_RAW}.salary_year_avg) AS DOUBLE)
                    WHEN 'hour' THEN try_cast(trim({_RAW}.salary_hour_avg) AS DOUBLE) END
                   AS pay_amount,
               coalesce(s.skills, []) AS skills, coalesce(s.categories, []) AS categories,
               coalesce(s.unknown, false) AS unknown_skill
        FROM {_RAW}
        LEFT JOIN _pa_lk_post_title t ON t.key = {_RAW}.job_title
        LEFT JOIN _pa_lk_post_title ts ON ts.key = {_RAW}.job_title_short
        LEFT JOIN _pa_lk_post_place p ON p.key = {_place_key()}
        LEFT JOIN _pa_lk_post_skills s ON s.key = {_RAW}.job_skills
    )
    SELECT *,
        CASE WHEN raw_title IS NULL THEN 'job_title'
             WHEN posted_date IS NULL THEN 'job_posted_date'
             WHEN pay_rate IS NULL OR pay_rate NOT IN ('year', 'hour') THEN 'salary_rate'
             WHEN pay_amount IS NULL OR pay_amount <= 0 OR isnan(pay_amount) OR isinf(pay_amount)
                 THEN CASE pay_rate WHEN 'year' THEN 'salary_year_avg' ELSE 'salary_hour_avg' END
             WHEN country IS NULL THEN 'job_location' END AS reject_field,
        CASE WHEN raw_title IS NULL THEN 'missing job title'
             WHEN posted_date IS NULL THEN 'not an Excel serial day or a date'
             WHEN pay_rate IS NULL THEN 'missing pay rate'
             WHEN pay_rate NOT IN ('year', 'hour') THEN 'pay rate is neither year nor hour'
             WHEN pay_amount IS NULL OR pay_amount <= 0 OR isnan(pay_amount) OR isinf(pay_amount)
                 THEN 'missing or not a positive number'
             WHEN country IS NULL THEN coalesce(place_error, 'no country') END AS reject_reason,
        CASE WHEN matched THEN family
             WHEN short_family IS NOT NULL AND short_family <> 'other' THEN short_family
             ELSE coalesce(family, 'other') END AS role_family,
        coalesce(seniority, short_seniority) AS title_seniority,
        coalesce(remote, false) OR coalesce(wfh, false) AS is_remote,
        pay_amount * CASE pay_rate WHEN 'hour' THEN {hour} ELSE 1 END AS annual_usd,
        -- most postings raise no flag: the list is built only for those that do (a list and a
        -- lambda per row cost more than the four tests)
        CASE WHEN (NOT matched AND short_family IS NOT NULL AND short_family <> 'other')
                  OR (NOT coalesce(matched, false) AND coalesce(short_family, 'other') = 'other')
                  OR (pay_amount * CASE pay_rate WHEN 'hour' THEN {hour} ELSE 1 END
                      NOT BETWEEN {low} AND {high})
                  OR unknown_skill
             THEN list_filter(coalesce(place_flags, []) || [
            CASE WHEN NOT matched AND short_family IS NOT NULL AND short_family <> 'other'
                 THEN 'family_from_short_title' END,
            CASE WHEN NOT coalesce(matched, false)
                      AND coalesce(short_family, 'other') = 'other' THEN 'title_unmatched' END,
            CASE WHEN pay_amount * CASE pay_rate WHEN 'hour' THEN {hour} ELSE 1 END
                      NOT BETWEEN {low} AND {high} THEN 'pay_implausible' END,
            CASE WHEN unknown_skill THEN 'unknown_skill' END
        ], lambda f: f IS NOT NULL)
             ELSE coalesce(place_flags, []) END AS flags
    FROM x
    """


def _write(con: duckdb.DuckDBPyConnection, version: int, source: str, columns: list[str]) -> None:
    src = source.replace("'", "''")
    pid = f"{version}::BIGINT * {ID_STRIDE} + source_row"
    con.execute(f"""
        INSERT INTO postings SELECT {pid}, {version}, '{src}', '{KIND}', source_row, raw_title,
            title_short, role_family, title_seniority, location_raw, city, state, country,
            is_remote, posted_date, company, board, schedule, no_degree_mention,
            health_insurance, pay_rate, pay_amount, annual_usd, len(skills), flags
        FROM {_CHECKED} WHERE reject_field IS NULL""")
    con.execute(f"""
        INSERT INTO posting_skills
        SELECT {pid}, {version}, unnest(skills), unnest(categories)
        FROM {_CHECKED} WHERE reject_field IS NULL AND len(skills) > 0""")
    pairs = ", ".join(f"'{c}', {_RAW}.\"{c}\"" for c in columns if not c.startswith("__pa_"))
    con.execute(f"""
        INSERT INTO rejects
        SELECT {version}, c.source_row, c.reject_field, c.reject_reason,
               json_object({pairs})::VARCHAR
        FROM {_CHECKED} c JOIN {_RAW} ON {_RAW}.__pa_row = c.source_row
        WHERE c.reject_field IS NOT NULL ORDER BY c.source_row""")


def _report(
    con: duckdb.DuckDBPyConnection,
    version: int,
    source: str,
    path: Path,
    sha: str,
    fmt: str,
    credit: str | None,
    licence: str | None,
) -> PostingsReport:
    where = f"dataset_version = {version}"

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in con.execute(sql).fetchall()}

    acc, flagged, with_skills = con.execute(
        "SELECT count(*), count(*) FILTER (len(flags) > 0), count(*) FILTER (len(skills) > 0) "
        f"FROM {_CHECKED} WHERE reject_field IS NULL"
    ).fetchall()[0]
    skill_rows = con.execute(f"SELECT count(*) FROM posting_skills WHERE {where}").fetchall()[0]
    rejected = pairs(
        f"SELECT reject_field || ': ' || regexp_replace(reject_reason, '''.*''', '…'), count(*) "
        f"FROM {_CHECKED} WHERE reject_field IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
    )
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
        skill_rows=int(skill_rows[0]),
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
