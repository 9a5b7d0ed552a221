"""Set-based cleaning of a postings file (#12): small lookups over the distinct raw values of
each column, and one checked view that joins them to the rows.

Nothing is done per row in Python, and no string function runs per row in SQL: every text
column is joined, by its raw value, to a lookup built once over its distinct values (trimmed,
parsed, classified there), so the rows keep the scan's compact (dictionary) strings and the
cleaning costs as much as the file has distinct values. The checked view is never
materialised: each statement that reads it (the postings insert, the skill rows, the rejects)
scans only the columns it needs.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from payatlas.ingest.lookups import build_lookup
from payatlas.ingest.money import PERIOD_MULTIPLIERS
from payatlas.ingest.posting_places import parse_place
from payatlas.normalize.skills import UnknownSkill, canonical_skill, taxonomy
from payatlas.normalize.titles import classify_title

RAW, CHECKED = "_pa_post_raw", "_pa_post_checked"
#: the lookups registered from Arrow (unregistered by ``drop_temp``)
LOOKUPS = ("post_title", "post_place", "post_skills")
#: advertised annual pay outside this range (USD) is kept and flagged ``pay_implausible``
PLAUSIBLE_USD = (5_000.0, 2_000_000.0)
S, B = pa.string(), pa.bool_()
_SEP = "\u241f"  # joins a location and its country column into one key (not white space)
_TEXT = {"company": "company_name", "schedule": "job_schedule_type", "rate": "salary_rate"}
_BOOLS = ("job_work_from_home", "job_no_degree_mention", "job_health_insurance")


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


def _lk(name: str) -> str:
    return f"_pa_lk_{name}"


def build_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """The lookup tables ``_pa_pt_*`` over the distinct raw values of the staged file."""
    titles, places, skills = con.execute(f"""
        SELECT (SELECT list(DISTINCT t) FILTER (t IS NOT NULL) FROM (
                    SELECT job_title AS t FROM {RAW} UNION ALL SELECT job_title_short FROM {RAW})),
               (SELECT list(coalesce(loc, '') || '{_SEP}' || coalesce(cty, '')) FROM
                    (SELECT DISTINCT job_location AS loc, job_country AS cty FROM {RAW})),
               (SELECT list(DISTINCT job_skills) FILTER (job_skills IS NOT NULL) FROM {RAW})
    """).fetchall()[0]
    build_lookup(con, "post_title", sorted(titles or []), _title,
                 [("family", S), ("seniority", S), ("matched", B)])  # fmt: skip
    build_lookup(con, "post_place", sorted(set(places or [])), _place,
                 [("city", S), ("state", S), ("country", S), ("remote", B),
                  ("flags", pa.list_(S))])  # fmt: skip
    skill_schema = [("skills", pa.list_(S)), ("categories", pa.list_(S)), ("unknown", B)]
    build_lookup(con, "post_skills", sorted(skills or []), _skills, skill_schema)
    statements = [
        f"CREATE TEMP TABLE _pa_pt_title AS SELECT key, nullif(trim(key), '') AS clean, family, "
        f"seniority, matched FROM {_lk('post_title')}",
        f"CREATE TEMP TABLE _pa_pt_place AS SELECT d.loc, d.cty, nullif(trim(d.loc), '') AS raw, "
        f"l.city, l.state, l.country, l.remote, l.flags, l.error FROM (SELECT DISTINCT "
        f"job_location AS loc, job_country AS cty FROM {RAW}) d JOIN {_lk('post_place')} l "
        f"ON l.key = coalesce(d.loc, '') || '{_SEP}' || coalesce(d.cty, '')",
        # a skill set is an id per distinct set of canonical skills (two spellings of one list
        # are one set); its rows are stored once per version (posting_skill_sets)
        f"CREATE TEMP TABLE _pa_pt_skills AS SELECT key, len(coalesce(skills, [])) AS n, "
        "coalesce(unknown, false) AS unknown, CASE WHEN len(skills) > 0 THEN (dense_rank() "
        "OVER (ORDER BY CASE WHEN len(skills) > 0 THEN list_sort(skills) END))::INTEGER END "
        f"AS skill_set FROM {_lk('post_skills')}",
        "CREATE TEMP TABLE _pa_pt_set_rows AS SELECT DISTINCT s.skill_set, u.skill, u.category "
        f"FROM (SELECT key, unnest(skills) AS skill, unnest(categories) AS category FROM "
        f"{_lk('post_skills')} WHERE len(skills) > 0) u JOIN _pa_pt_skills s USING (key)",
        f"CREATE TEMP TABLE _pa_pt_board AS SELECT key, nullif(regexp_replace(trim(key), "
        f"'^via\\s+', ''), '') AS v FROM (SELECT DISTINCT job_via AS key FROM {RAW} "
        "WHERE job_via IS NOT NULL)",
        f"CREATE TEMP TABLE _pa_pt_date AS SELECT key, CASE WHEN s BETWEEN 1 AND 2958465 "
        "THEN DATE '1899-12-30' + floor(s)::INTEGER ELSE try_cast(trim(key) AS DATE) END AS v "
        "FROM (SELECT key, try_cast(trim(key) AS DOUBLE) AS s FROM (SELECT DISTINCT "
        f"job_posted_date AS key FROM {RAW} WHERE job_posted_date IS NOT NULL))",
    ]
    for name, col in _TEXT.items():
        clean = "lower(trim(key))" if name == "rate" else "nullif(trim(key), '')"
        statements.append(
            f"CREATE TEMP TABLE _pa_pt_{name} AS SELECT key, {clean} AS v FROM "
            f"(SELECT DISTINCT {col} AS key FROM {RAW} WHERE {col} IS NOT NULL)"
        )
    union = " UNION ".join(f"SELECT {c} AS key FROM {RAW}" for c in _BOOLS)
    v = "lower(trim(key))"
    statements.append(
        f"CREATE TEMP TABLE _pa_pt_bool AS SELECT key, CASE WHEN {v} IN ('1', 'true', 't', "
        f"'yes') THEN true WHEN {v} IN ('0', 'false', 'f', 'no') THEN false END AS v FROM "
        f"({union}) WHERE key IS NOT NULL"
    )
    for sql in statements:
        con.execute(sql)


def _pay(col: str) -> str:
    """The pay cell as a number (a cast reads surrounding white space; trimmed only when not)."""
    cell = f"r.{col}"
    return f"coalesce(try_cast({cell} AS DOUBLE), try_cast(trim({cell}) AS DOUBLE))"


def checked_sql() -> str:
    """The view of every staged row with its cleaned fields, reject reason and flags."""
    hour = PERIOD_MULTIPLIERS["hour"]
    low, high = PLAUSIBLE_USD
    annual = f"pay_amount * CASE pay_rate WHEN 'hour' THEN {hour} ELSE 1 END"
    return f"""
    CREATE OR REPLACE TEMP VIEW {CHECKED} AS
    WITH x AS (
        SELECT r.__pa_row AS source_row, t.clean AS raw_title, ts.clean AS title_short,
               t.family, t.seniority, t.matched, ts.family AS short_family,
               ts.seniority AS short_seniority, p.raw AS location_raw,
               p.city, p.state, p.country, p.remote, p.flags AS place_flags, p.error AS place_error,
               wfh.v AS wfh, d.v AS posted_date, c.v AS company, b.v AS board, sc.v AS schedule,
               nd.v AS no_degree_mention, hi.v AS health_insurance, rt.v AS pay_rate,
               CASE rt.v WHEN 'year' THEN {_pay("salary_year_avg")}
                         WHEN 'hour' THEN {_pay("salary_hour_avg")} END AS pay_amount,
               s.skill_set, coalesce(s.n, 0) AS skill_count,
               coalesce(s.unknown, false) AS unknown_skill
        FROM {RAW} r
        LEFT JOIN _pa_pt_title t ON t.key = r.job_title
        LEFT JOIN _pa_pt_title ts ON ts.key = r.job_title_short
        LEFT JOIN _pa_pt_place p ON p.loc IS NOT DISTINCT FROM r.job_location
                                AND p.cty IS NOT DISTINCT FROM r.job_country
        LEFT JOIN _pa_pt_bool wfh ON wfh.key = r.job_work_from_home
        LEFT JOIN _pa_pt_bool nd ON nd.key = r.job_no_degree_mention
        LEFT JOIN _pa_pt_bool hi ON hi.key = r.job_health_insurance
        LEFT JOIN _pa_pt_date d ON d.key = r.job_posted_date
        LEFT JOIN _pa_pt_company c ON c.key = r.company_name
        LEFT JOIN _pa_pt_board b ON b.key = r.job_via
        LEFT JOIN _pa_pt_schedule sc ON sc.key = r.job_schedule_type
        LEFT JOIN _pa_pt_rate rt ON rt.key = r.salary_rate
        LEFT JOIN _pa_pt_skills s ON s.key = r.job_skills
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
        {annual} AS annual_usd,
        -- most postings raise no flag: the list is built only for those that do (a list and a
        -- lambda per row cost more than the four tests)
        CASE WHEN (NOT matched AND short_family IS NOT NULL AND short_family <> 'other')
                  OR (NOT coalesce(matched, false) AND coalesce(short_family, 'other') = 'other')
                  OR ({annual} NOT BETWEEN {low} AND {high})
                  OR unknown_skill
             THEN list_filter(coalesce(place_flags, []) || [
            CASE WHEN NOT matched AND short_family IS NOT NULL AND short_family <> 'other'
                 THEN 'family_from_short_title' END,
            CASE WHEN NOT coalesce(matched, false)
                      AND coalesce(short_family, 'other') = 'other' THEN 'title_unmatched' END,
            CASE WHEN {annual} NOT BETWEEN {low} AND {high} THEN 'pay_implausible' END,
            CASE WHEN unknown_skill THEN 'unknown_skill' END
        ], lambda f: f IS NOT NULL)
             ELSE coalesce(place_flags, []) END AS flags
    FROM x
    """
