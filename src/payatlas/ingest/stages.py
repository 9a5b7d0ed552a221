"""The SQL stages of an ingest. Each builds one statement over temp tables; no Python row loops.

raw (text) -> distinct raw rows (each with its copies) -> lookups (one row per distinct raw
value) -> checked (one pass over distinct rows: joins, defaults, pricing, FX, reject code) ->
flag tables -> records (every raw row, expanded from its distinct row).

Surveys repeat identical answers (half the bundled rows are exact copies), so the checks run once
per distinct row; only the final write touches every row.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from payatlas.ingest import lookups
from payatlas.ingest.cleaning import unknown_sql
from payatlas.ingest.mapping import Mapping, normalized_defaults
from payatlas.ingest.money import PERIOD_MULTIPLIERS
from payatlas.normalize import fx
from payatlas.store.categories import BIT_FLAGS, CATEGORIES, INGEST_FLAGS, enum_type

CHECKED = "_pa_checked"
MIN_ANNUAL_USD = 1_000.0
MAX_ANNUAL_USD = 5_000_000.0
#: accepted annual pay outside this range (USD) is kept and flagged ``pay_out_of_range``
PLAUSIBLE_USD = (5_000.0, 2_000_000.0)
FX_TOLERANCE = 0.05  # flag when our conversion and the source's differ by more than this
OUTLIER_Z = 3.5  # robust z-score (median, IQR/1.349) within role family x country
OUTLIER_MIN_COHORT = 20
# the smallest spread (log pay) a cohort is assumed to have: survey answers are coarse and a
# cohort where most rows report one figure has IQR 0; pay varies by more than that in any cohort
MIN_SPREAD = 0.25


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def list_sql(values: list[str]) -> str:
    """A SQL list literal of strings."""
    return "[" + ", ".join(lit(v) for v in values) + "]"


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def multiplier_sql(mapping: Mapping, column: str = "period") -> str:
    """CASE expression: annualisation multiplier of a period (mapping overrides win)."""
    mult = {**PERIOD_MULTIPLIERS, **mapping.periods}
    whens = " ".join(f"WHEN {lit(k)} THEN {float(v)}" for k, v in mult.items())
    return f"(CASE {column} {whens} END)"


def build_fx_tables(con: duckdb.DuckDBPyConnection, lk: dict[str, str], mapping: Mapping) -> None:
    """ECB rates for every candidate (currency, day) and (currency, year) found in the lookups.

    Candidates are small sets (currencies x distinct days, currencies x years), so the rates are
    known before the one big pass. Currencies without ECB history get no row here.
    """
    defaults = normalized_defaults(mapping)
    default = defaults.get("currency", "")
    currencies = {
        r[0]
        for r in con.execute(
            f"SELECT upper(currency) FROM {lk['money']} WHERE currency IS NOT NULL "
            f"UNION SELECT value FROM {lk['currency']} WHERE value IS NOT NULL"
        ).fetchall()
    } | ({default} if default else set())
    # distinct days: several spellings of one date ("2024-03-15", "15.03.2024") are one key of
    # the rate table, which the one big pass joins on (currency, day) and must not multiply
    days = sorted(
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT value FROM {lk['date']} WHERE value IS NOT NULL"
        ).fetchall()
    )
    years = {
        int(r[0])
        for r in con.execute(
            f"SELECT value FROM {lk['year']} WHERE value IS NOT NULL UNION "
            f"SELECT year(value) FROM {lk['first_seen']} WHERE value IS NOT NULL"
        ).fetchall()
    }
    years |= {d.year for d in days}
    if "year" in defaults:
        years.add(int(defaults["year"]))
    known = sorted(c for c in currencies if fx.has_history(c))
    day_rows = [(c, d, fx.rate_on(c, d)) for c in known for d in days]
    year_rows = [(c, y, fx.year_average(c, y)) for c in known for y in sorted(years)]
    lookups.require_unique([(r[0], r[1]) for r in day_rows], "_pa_fx_day")
    lookups.require_unique([(r[0], r[1]) for r in year_rows], "_pa_fx_year")
    for name, rows, key_type in (
        ("_pa_fx_day", day_rows, pa.date32()),
        ("_pa_fx_year", year_rows, pa.int32()),
    ):
        table = pa.table(
            {
                "currency": pa.array([r[0] for r in rows], pa.string()),
                "k": pa.array([r[1] for r in rows], key_type),
                "rate": pa.array([r[2].usd_per_unit for r in rows], pa.float64()),
                "fx_date": pa.array([r[2].date for r in rows], pa.date32()),
                "basis": pa.array([r[2].basis for r in rows], pa.string()),
                "fallback": pa.array([r[2].fallback for r in rows], pa.bool_()),
            }
        )
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


# (condition, field, reason) checked in order; the first that holds rejects the row
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("title IS NULL", "'title'", "'missing title'"),
    ("pay_error IS NOT NULL", "'pay'", "pay_error"),
    ("low IS NULL", "'pay'", "'missing pay'"),
    ("pay_conflict", "'pay'", "'pay low and high name different currencies'"),
    ("high < low", "'pay'", "'range high below low'"),
    ("currency_error IS NOT NULL", "'currency'", "currency_error"),
    ("period_error IS NOT NULL", "'period'", "period_error"),
    ("country_error IS NOT NULL", "'country'", "country_error"),
    ("country IS NULL", "'country'", "'missing country'"),
    ("location_error IS NOT NULL", "'location'", "location_error"),
    ("date_error IS NOT NULL", "'date'", "date_error"),
    ("year_error IS NOT NULL", "'year'", "year_error"),
    ("first_seen_error IS NOT NULL", "'first_seen'", "first_seen_error"),
    ("usd_error IS NOT NULL", "'usd'", "usd_error"),
    ("pay_year IS NULL", "'year'", "'no pay year or date'"),
    ("currency IS NULL", "'currency'", "'no currency given'"),
    (f"NOT isfinite(annual_usd) OR annual_usd < {MIN_ANNUAL_USD} "
     f"OR annual_usd > {MAX_ANNUAL_USD}", "'pay'",
     "'implausible annual pay: USD ' || printf('%.0f', annual_usd)"),
)  # fmt: skip


def reject_code_sql() -> str:
    """CASE expression: the number (1-based) of the first check that fails, NULL when none."""
    return (
        "CASE " + " ".join(f"WHEN {c} THEN {i}" for i, (c, _, _) in enumerate(CHECKS, 1)) + " END"
    )


def reject_text_sql() -> tuple[str, str]:
    """CASE expressions turning ``reject_code`` into (field, reason) -- for rejected rows only."""
    field = " ".join(f"WHEN {i} THEN {f}" for i, (_, f, _) in enumerate(CHECKS, 1))
    reason = " ".join(f"WHEN {i} THEN {r}" for i, (_, _, r) in enumerate(CHECKS, 1))
    return f"CASE reject_code {field} END", f"CASE reject_code {reason} END"


def _join(lk: dict[str, str], name: str, alias: str, key: str | None) -> str:
    if key:
        return f"LEFT JOIN {lk[name]} {alias} ON {key} = {alias}.key"
    # an unmapped field: the lookup's columns, all NULL, with no hash join over the rows
    return f"LEFT JOIN (SELECT * FROM {lk[name]} LIMIT 0) {alias} ON true"


def _sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    return lit(value) if isinstance(value, str) else str(value)


#: optional fields whose unreadable value is dropped (flagged ``<field>_unread``), never a reject
OPTIONAL = (("level", "lv"), ("employment_type", "et"), ("remote", "rm"),
            ("company_size", "cs"), ("residence", "re"))  # fmt: skip


def _extra_flags_sql(mapping: Mapping, raw: str, country: str) -> str:
    """SQL list of the row's ingest flags: optional values dropped (unreadable, or unknown per
    the mapping), a country column the location contradicts, a location not read."""
    cases = [f"CASE WHEN {alias}.error IS NOT NULL THEN '{name}_unread' END"
             for name, alias in OPTIONAL]  # fmt: skip
    for name in mapping.clean:
        cols = [f"{raw}.{quote(c)}" for c in mapping.cols(name)]
        unknown = unknown_sql(cols, mapping.clean[name])
        if unknown is not None and f"{name}_unknown" in INGEST_FLAGS:
            value = lookups.field_sql(mapping, name, raw)
            cases.append(f"CASE WHEN {unknown} AND {value} IS NULL THEN '{name}_unknown' END")
    cases.append("CASE WHEN lo.country IS NOT NULL AND co.value IS NOT NULL "
                 "AND lo.country <> co.value THEN 'country_from_location' END")  # fmt: skip
    cases.append(f"CASE WHEN lo.error IS NOT NULL AND {country} IS NOT NULL "
                 "THEN 'location_unread' END")  # fmt: skip
    return f"list_filter([{', '.join(cases)}]::VARCHAR[], lambda f: f IS NOT NULL)"


def checked_sql(mapping: Mapping, lk: dict[str, str], raw: str) -> str:
    """One pass: join the lookups, apply defaults, price, convert, give each row its reject
    reason. Explicit fields win over title words, which win over the mapping's defaults."""
    keys = lookups.key_exprs(mapping, raw)
    dflt = {k: _sql_value(v) for k, v in normalized_defaults(mapping).items()}
    get = dflt.get
    mult = multiplier_sql(mapping)
    joins = "\n    ".join(_join(lk, name, alias, keys[f]) for name, alias, f in (
        ("title", "t", "title"), ("level", "lv", "level"),
        ("employment_type", "et", "employment_type"), ("country", "co", "country"),
        ("country", "re", "residence"), ("remote", "rm", "remote"),
        ("company_size", "cs", "company_size"), ("location", "lo", "location"),
        ("money", "p", "pay"),
        ("money", "pl", "pay_low"), ("money", "ph", "pay_high"),
        ("currency", "cu", "currency"), ("period", "pe", "period"), ("date", "d", "date"),
        ("first_seen", "fs", "first_seen"), ("year", "y", "year"), ("usd", "u", "usd"),
    ))  # fmt: skip

    def text(field: str) -> str:
        expr = lookups.field_sql(mapping, field, raw)
        if expr is None:
            return "NULL::VARCHAR"
        return f"nullif(trim({expr}), '')"

    country = f"coalesce(lo.country, co.value, {get('country', 'NULL')})"
    extra_flags = _extra_flags_sql(mapping, raw, country)

    return f"""
    CREATE OR REPLACE TEMP TABLE {CHECKED} AS
    WITH norm AS (
    SELECT {raw}.__pa_row AS _row, {raw}.__pa_h1 AS h1, {raw}.__pa_h2 AS h2,
        {raw}.__pa_copies AS copies,
        t.clean AS title, t.family, t.seniority AS title_seniority,
        coalesce(lv.value, t.title_level, {get("level", "NULL")}) AS level,
        {extra_flags} AS extra_flags,
        CASE WHEN lv.value IS NOT NULL THEN 'field'
             WHEN t.title_level IS NOT NULL THEN 'title'
             WHEN {get("level", "NULL")} IS NOT NULL THEN 'default' END AS level_source,
        coalesce(et.value, {get("employment_type", "'FT'")}) AS employment_type,
        {country} AS country,
        coalesce(lo.region, co.region, {get("region", "NULL")}) AS region,
        CASE WHEN lo.country IS NULL THEN co.error END AS country_error,
        CASE WHEN {country} IS NULL THEN lo.error END AS location_error,
        coalesce(re.value, {country}) AS residence,
        coalesce(rm.value, CASE WHEN lo.remote THEN 100 END, {get("remote", "NULL")})::SMALLINT
            AS remote_ratio,
        coalesce(cs.value, {get("company_size", "NULL")}) AS company_size,
        {text("company")} AS company, {text("industry")} AS industry,
        coalesce({text("city")}, lo.city) AS city,
        coalesce(p.low, pl.low, ph.low) AS low,
        coalesce(p.high, ph.high, pl.high, p.low, pl.low) AS high,
        coalesce(p.error, pl.error, ph.error) AS pay_error,
        coalesce(pl.currency <> ph.currency, false) AS pay_conflict,
        upper(coalesce(p.currency, pl.currency, ph.currency, cu.value,
                       {get("currency", "NULL")})) AS currency,
        cu.error AS currency_error,
        coalesce(pe.value, p.period, pl.period, ph.period, {get("period", "'year'")}) AS period,
        pe.error AS period_error,
        d.value AS pay_date, d.error AS date_error,
        fs.value AS first_seen, fs.error AS first_seen_error,
        y.error AS year_error,
        coalesce(y.value, year(d.value), {get("year", "NULL")}, year(fs.value))::SMALLINT
            AS pay_year,
        u.value AS usd_reported, u.error AS usd_error
    FROM {raw}
    {joins}),
    priced AS (
        SELECT n.*, (low + high) / 2 AS pay_amount, (low + high) / 2 * {mult} AS annual_local,
            CASE WHEN pay_date IS NULL THEN fy.rate ELSE fd.rate END AS fx_rate,
            CASE WHEN pay_date IS NULL THEN fy.fx_date ELSE fd.fx_date END AS fx_date,
            CASE WHEN pay_date IS NULL THEN fy.basis ELSE fd.basis END AS fx_basis,
            CASE WHEN pay_date IS NULL THEN fy.fallback ELSE fd.fallback END AS fx_fallback
        FROM norm n
        LEFT JOIN _pa_fx_day fd ON n.currency = fd.currency AND n.pay_date = fd.k
        LEFT JOIN _pa_fx_year fy ON n.currency = fy.currency AND n.pay_year = fy.k),
    usd AS (SELECT *, annual_local * fx_rate AS annual_usd FROM priced)
    SELECT *, {reject_code_sql()}::TINYINT AS reject_code FROM usd
    """


def apply_implied_fx(con: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Currencies the ECB never published: use the rate implied by rows carrying both amounts
    (median of source USD / local annual, per currency and year, else per currency), flagged."""
    lacking = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT currency FROM {CHECKED} "
            "WHERE fx_rate IS NULL AND currency IS NOT NULL"
        ).fetchall()
    ]
    if not lacking:
        return
    wanted = ", ".join(lit(c) for c in lacking)
    con.execute(f"""
    UPDATE {CHECKED} SET fx_rate = i.r, fx_date = make_date({CHECKED}.pay_year, 12, 31),
        fx_basis = 'implied', fx_fallback = true, annual_usd = annual_local * i.r
    FROM (
        WITH per_year AS (
            SELECT currency, pay_year, median(usd_reported / annual_local) AS r
            FROM {CHECKED} WHERE currency IN ({wanted}) AND usd_reported > 0
                AND annual_local > 0 GROUP BY ALL),
        per_cur AS (SELECT currency, median(r) AS r FROM per_year GROUP BY ALL),
        years AS (SELECT DISTINCT currency, pay_year FROM {CHECKED} WHERE currency IN ({wanted}))
        SELECT y.currency, y.pay_year, coalesce(py.r, pc.r) AS r FROM years y
        LEFT JOIN per_year py USING (currency, pay_year) LEFT JOIN per_cur pc USING (currency)
    ) i
    WHERE {CHECKED}.currency = i.currency AND {CHECKED}.pay_year = i.pay_year
        AND {CHECKED}.fx_rate IS NULL AND i.r IS NOT NULL
    """)
    con.execute(
        f"UPDATE {CHECKED} SET reject_code = {reject_code_sql()} WHERE currency IN ({wanted})"
    )


DUP_KEY = (
    "title, level, employment_type, country, residence, remote_ratio, company_size, company, "
    "industry, city, low, high, currency, period, pay_date, pay_year, usd_reported"
)


def build_distinct(con: duckdb.DuckDBPyConnection, raw: str) -> str:
    """``_pa_rowkey(_row, h1, h2)``: each raw row's content key (from the reader: a 128-bit key,
    so a collision among a million distinct rows is about 1e-26 likely); ``_pa_draw``: one row
    per distinct raw row with its first row number and its number of copies."""
    con.execute(
        "CREATE OR REPLACE TEMP VIEW _pa_rowkey AS "
        f"SELECT __pa_row AS _row, __pa_h1 AS h1, __pa_h2 AS h2 FROM {raw}"
    )
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE _pa_draw AS
    WITH d AS (SELECT h1, h2, min(_row) AS first_row, count(*) AS copies
               FROM _pa_rowkey GROUP BY h1, h2)
    SELECT r.*, d.copies AS __pa_copies FROM d JOIN {raw} r ON r.__pa_row = d.first_row
    """)
    return "_pa_draw"


def build_flag_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Small tables the insert joins: for each accepted distinct row the first row of its
    exact-duplicate group; robust pay statistics per role family x country over all accepted
    rows (median and IQR / 1.349 of log pay; cohorts under OUTLIER_MIN_COHORT rows borrow the
    role family's); and the flag list of each flag pattern."""
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE _pa_first AS
    SELECT h1, h2, min({{'f': coalesce(first_seen, DATE '9999-12-31'), 'r': _row}})
        OVER (PARTITION BY {DUP_KEY}).r AS grp_first
    FROM {CHECKED} WHERE reject_code IS NULL
    """)
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE _pa_cohort AS
    WITH every_row AS (
        SELECT family, country, ln(annual_usd) AS lx
        FROM (SELECT *, unnest(range(copies)) FROM {CHECKED} WHERE reject_code IS NULL)),
    q AS (
        SELECT family, country, grouping(country) AS whole_family, count(*) AS n,
            quantile_cont(lx, [0.25, 0.5, 0.75]) AS q
        FROM every_row GROUP BY GROUPING SETS ((family, country), (family))),
    pick AS (  -- keyed on the grouping set, not on NULLs: one family row per cohort row
        SELECT c.family, c.country,
            CASE WHEN c.n >= {OUTLIER_MIN_COHORT} THEN c.q ELSE f.q END AS q
        FROM q c JOIN q f ON c.family IS NOT DISTINCT FROM f.family AND f.whole_family = 1
        WHERE c.whole_family = 0)
    SELECT family, country, q[2] AS med, greatest((q[3] - q[1]) / 1.349, {MIN_SPREAD}) AS scale
    FROM pick
    """)
    patterns = [
        (bits, [name for i, name in enumerate(BIT_FLAGS) if bits >> i & 1])
        for bits in range(1 << len(BIT_FLAGS))
    ]
    rows = ", ".join(
        f"({bits}, {list_sql(names)}::{enum_type('flag')}[])" for bits, names in patterns
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _pa_flagsets AS SELECT * FROM (VALUES {rows}) t(bits, flags)"
    )


# records column -> the column of the checked table that feeds it
_SOURCES = {"role_family": "family", "pay_period": "period"}


def _enum_casts() -> str:
    """Cast each categorical column to its ENUM once per distinct row (before the expansion)."""
    return ", ".join(
        f"a.{_SOURCES.get(c, c)}::{enum_type(c)} AS {_SOURCES.get(c, c)}" for c in CATEGORIES
    )


def records_sql(version: int, source: str) -> str:
    """Every accepted raw row shaped for the records table, with duplicate/outlier/FX flags:
    the distinct rows are flagged once, then expanded to their copies."""
    return f"""
    WITH acc AS (
        SELECT c.*, d.grp_first,
            coalesce(abs(ln(c.annual_usd) - s.med) / s.scale > {OUTLIER_Z}, false) AS is_outlier,
            2 * coalesce(abs(ln(c.annual_usd) - s.med) / s.scale > {OUTLIER_Z}, false)::TINYINT
            + 4 * coalesce(c.fx_fallback, false)::TINYINT
            + 8 * coalesce(c.usd_reported > 0
                           AND abs(c.annual_usd / c.usd_reported - 1) > {FX_TOLERANCE},
                           false)::TINYINT
            + 16 * (c.family = 'other')::TINYINT AS bits_base
        FROM {CHECKED} c
        JOIN _pa_first d ON c.h1 = d.h1 AND c.h2 = d.h2
        LEFT JOIN _pa_cohort s ON c.family = s.family AND c.country = s.country
        WHERE c.reject_code IS NULL),
    flagged AS (
        SELECT a.* REPLACE ({_enum_casts()}), f.flags AS flags_first, d.flags AS flags_copy
        FROM acc a
        JOIN _pa_flagsets f ON a.bits_base = f.bits
        JOIN _pa_flagsets d ON a.bits_base + 1 = d.bits),
    every_row AS (
        SELECT k._row AS source_row, k._row <> a.grp_first AS is_duplicate, a.*
        FROM _pa_rowkey k JOIN flagged a ON k.h1 = a.h1 AND k.h2 = a.h2)
    SELECT {version} AS dataset_version, {lit(source)} AS source, source_row,
        title AS raw_title, family AS role_family, title_seniority, level, level_source,
        employment_type, country, residence, region, remote_ratio, company_size, company,
        industry, city, low AS pay_low, high AS pay_high, pay_amount, period AS pay_period,
        currency, annual_local, annual_usd, fx_rate, fx_date, fx_basis, usd_reported, pay_year,
        pay_date, first_seen, is_duplicate, is_outlier,
        list_concat(CASE WHEN is_duplicate THEN flags_copy ELSE flags_first END,
            list_filter(extra_flags || [CASE WHEN annual_usd NOT BETWEEN
                {PLAUSIBLE_USD[0]} AND {PLAUSIBLE_USD[1]} THEN 'pay_out_of_range' END,
                CASE WHEN annual_usd IS NULL THEN 'no_fx' END],
                lambda f: f IS NOT NULL)::{enum_type("flag")}[]) AS flags
    FROM every_row
    """
