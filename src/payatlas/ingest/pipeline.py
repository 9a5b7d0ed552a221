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
from pathlib import Path

import pyarrow as pa

from payatlas.errors import InvalidMapping, StoreError
from payatlas.ingest import lookups
from payatlas.ingest.mapping import Mapping, detect_adapter, load_mapping
from payatlas.ingest.money import PERIOD_MULTIPLIERS
from payatlas.ingest.readers import ReadResult, read_to_table
from payatlas.ingest.report import IngestReport
from payatlas.normalize.countries import REGION_OF
from payatlas.store import Store

Progress = Callable[[str], None]
MIN_ANNUAL_USD = 1_000.0
MAX_ANNUAL_USD = 5_000_000.0
FX_TOLERANCE = 0.05  # flag when our conversion and the source's differ by more than this
OUTLIER_Z = 3.5  # robust z-score (median / MAD) within role family x country
OUTLIER_MIN_COHORT = 20

CANON = "_pa_canon"
NORM = "_pa_norm"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def file_sha256(path: Path) -> str:
    """Content hash of the file (identifies a dataset version's source)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _canon_sql(mapping: Mapping, raw: str) -> str:
    """SELECT the canonical text fields from the raw staging table."""
    # currency and period defaults are applied after the pay text has had its say
    late = {"currency", "period"}
    parts = ["_row"]
    for field in (
        "title",
        "level",
        "employment_type",
        "country",
        "residence",
        "remote",
        "company_size",
        "company",
        "industry",
        "city",
        "pay",
        "pay_low",
        "pay_high",
        "currency",
        "period",
        "date",
        "year",
        "first_seen",
        "usd",
    ):
        col = mapping.columns.get(field)
        default = mapping.defaults.get(field) if field not in late else None
        expr = f"nullif(trim({_quote(col)}), '')" if col else "NULL::VARCHAR"
        if default is not None:
            expr = f"coalesce({expr}, {_lit(default)})"
        parts.append(f"{expr} AS {field}")
    # the currency a bare "$" or "Rs" should mean for this row: its column, else the default
    hint = (
        f"upper(nullif(trim({_quote(mapping.columns['currency'])}), ''))"
        if ("currency" in mapping.columns)
        else "NULL"
    )
    default = (
        _lit(mapping.defaults["currency"].upper()) if "currency" in mapping.defaults else "NULL"
    )
    parts.append(f"coalesce({hint}, {default}, '') AS cur_hint")
    return f"CREATE OR REPLACE TEMP TABLE {CANON} AS SELECT {', '.join(parts)} FROM {raw}"


def _multiplier_sql(mapping: Mapping) -> str:
    mult = {**PERIOD_MULTIPLIERS, **mapping.periods}
    whens = " ".join(f"WHEN {_lit(k)} THEN {float(v)}" for k, v in mult.items())
    return f"(CASE period {whens} END)"


# (condition, field, reason) checked in order; the first that holds rejects the row
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("title IS NULL", "'title'", "'missing title'"),
    ("pay_error IS NOT NULL", "'pay'", "pay_error"),
    ("low IS NULL", "'pay'", "'missing pay'"),
    ("currency_error IS NOT NULL", "'currency'", "currency_error"),
    ("period_error IS NOT NULL", "'period'", "period_error"),
    ("country_raw IS NULL", "'country'", "'missing country'"),
    ("country_error IS NOT NULL", "'country'", "country_error"),
    ("residence_error IS NOT NULL", "'residence'", "residence_error"),
    ("level_error IS NOT NULL", "'level'", "level_error"),
    ("employment_type_error IS NOT NULL", "'employment_type'", "employment_type_error"),
    ("remote_error IS NOT NULL", "'remote'", "remote_error"),
    ("company_size_error IS NOT NULL", "'company_size'", "company_size_error"),
    ("date_error IS NOT NULL", "'date'", "date_error"),
    ("year_error IS NOT NULL", "'year'", "year_error"),
    ("first_seen_error IS NOT NULL", "'first_seen'", "first_seen_error"),
    ("usd_error IS NOT NULL", "'usd'", "usd_error"),
    ("pay_year IS NULL", "'year'", "'no pay year or date'"),
    ("currency IS NULL", "'currency'", "'no currency given'"),
    ("fx_rate IS NULL", "'currency'", "'no exchange rate for ' || currency || ' ' || pay_year"),
    ("annual_usd < 0", "'pay'", "'negative pay'"),
    (
        f"annual_usd < {MIN_ANNUAL_USD} OR annual_usd > {MAX_ANNUAL_USD}",
        "'pay'",
        "'implausible annual pay: USD ' || round(annual_usd)::BIGINT",
    ),
)


def _norm_sql(mapping: Mapping, lk: dict[str, str]) -> str:
    """Join every lookup onto the canonical rows."""
    cur_default = _lit(mapping.defaults["currency"]) if "currency" in mapping.defaults else "NULL"
    per_default = _lit(mapping.defaults.get("period", "year"))
    return f"""
    CREATE OR REPLACE TEMP TABLE {NORM} AS
    SELECT c._row, c.title, t.family, t.seniority AS title_seniority,
        coalesce(lv.value, t.title_level) AS level,
        CASE WHEN lv.value IS NOT NULL THEN 'field'
             WHEN t.title_level IS NOT NULL THEN 'title' END AS level_source,
        lv.error AS level_error,
        coalesce(et.value, 'FT') AS employment_type, et.error AS employment_type_error,
        c.country AS country_raw, co.value AS country, co.error AS country_error,
        coalesce(re.value, co.value) AS residence, re.error AS residence_error,
        rm.value AS remote_ratio, rm.error AS remote_error,
        cs.value AS company_size, cs.error AS company_size_error,
        c.company, c.industry, c.city,
        coalesce(p.low, pl.low, ph.low) AS low,
        coalesce(p.high, ph.high, pl.high, p.low, pl.low) AS high,
        coalesce(p.error, pl.error, ph.error) AS pay_error,
        upper(coalesce(p.currency, pl.currency, ph.currency, cu.value, {cur_default})) AS currency,
        cu.error AS currency_error,
        coalesce(pe.value, p.period, pl.period, ph.period, {per_default}) AS period,
        pe.error AS period_error,
        d.value AS pay_date, d.error AS date_error,
        fs.value AS first_seen, fs.error AS first_seen_error,
        y.error AS year_error,
        coalesce(y.value, year(d.value), year(fs.value))::SMALLINT AS pay_year,
        u.value AS usd_reported, u.error AS usd_error
    FROM {CANON} c
    LEFT JOIN {lk["title"]} t ON c.title = t.key
    LEFT JOIN {lk["level"]} lv ON c.level = lv.key
    LEFT JOIN {lk["employment_type"]} et ON c.employment_type = et.key
    LEFT JOIN {lk["country"]} co ON c.country = co.key
    LEFT JOIN {lk["country"]} re ON c.residence = re.key
    LEFT JOIN {lk["remote"]} rm ON c.remote = rm.key
    LEFT JOIN {lk["company_size"]} cs ON c.company_size = cs.key
    LEFT JOIN {lk["money"]} p ON c.pay || chr(31) || c.cur_hint = p.key
    LEFT JOIN {lk["money"]} pl ON c.pay_low || chr(31) || c.cur_hint = pl.key
    LEFT JOIN {lk["money"]} ph ON c.pay_high || chr(31) || c.cur_hint = ph.key
    LEFT JOIN {lk["currency"]} cu ON c.currency = cu.key
    LEFT JOIN {lk["period"]} pe ON c.period = pe.key
    LEFT JOIN {lk["date"]} d ON c.date = d.key
    LEFT JOIN {lk["date"]} fs ON c.first_seen = fs.key
    LEFT JOIN {lk["year"]} y ON c.year = y.key
    LEFT JOIN {lk["usd"]} u ON c.usd = u.key
    """


def _build_fx(con: object, mapping: Mapping) -> None:
    """FX per distinct (currency, date, year): ECB history, else the rate implied by the rows."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    keys = con.execute(
        f"SELECT DISTINCT currency, pay_date, pay_year FROM {NORM} "
        "WHERE currency IS NOT NULL AND pay_year IS NOT NULL"
    ).fetchall()
    cols: list[list[object]] = [[], [], [], [], [], [], []]
    for cur, day, year in keys:
        out = lookups.fx_key(cur, day, int(year))
        for col, value in zip(cols, (cur, day, year, *out), strict=True):
            col.append(value)
    names = ["currency", "pay_date", "pay_year", "rate", "fx_date", "basis", "fallback"]
    types = [pa.string(), pa.date32(), pa.int16(), *[t for _, t in lookups.fx_schema()]]
    table = pa.Table.from_arrays(
        [pa.array(c, type=t) for c, t in zip(cols, types, strict=True)], names=names
    )
    con.register("_pa_fx_arrow", table)
    mult = _multiplier_sql(mapping)
    # implied fallback: median of (source USD / local annual) per currency and year, then currency
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE _pa_fx AS
    WITH implied AS (
        SELECT currency, pay_year, median(usd_reported / ((low + high) / 2 * {mult})) AS r
        FROM {NORM} WHERE usd_reported > 0 AND low > 0 GROUP BY ALL),
    implied_any AS (SELECT currency, median(r) AS r FROM implied GROUP BY ALL)
    SELECT f.currency, f.pay_date, f.pay_year,
        coalesce(f.rate, i.r, a.r) AS rate,
        coalesce(f.fx_date, make_date(f.pay_year, 12, 31)) AS fx_date,
        coalesce(f.basis, CASE WHEN coalesce(i.r, a.r) IS NOT NULL THEN 'implied' END) AS basis,
        coalesce(f.fallback, coalesce(i.r, a.r) IS NOT NULL) AS fallback
    FROM _pa_fx_arrow f
    LEFT JOIN implied i ON f.currency = i.currency AND f.pay_year = i.pay_year
    LEFT JOIN implied_any a ON f.currency = a.currency
    """)
    con.unregister("_pa_fx_arrow")


def _checked_sql(mapping: Mapping) -> str:
    field = " ".join(f"WHEN {c} THEN {f}" for c, f, _ in CHECKS)
    reason = " ".join(f"WHEN {c} THEN {r}" for c, _, r in CHECKS)
    mult = _multiplier_sql(mapping)
    return f"""
    CREATE OR REPLACE TEMP TABLE _pa_checked AS
    WITH priced AS (
        SELECT n.*, (low + high) / 2 AS pay_amount,
            (low + high) / 2 * {mult} AS annual_local,
            f.rate AS fx_rate, f.fx_date, f.basis AS fx_basis, f.fallback AS fx_fallback,
            (low + high) / 2 * {mult} * f.rate AS annual_usd
        FROM {NORM} n LEFT JOIN _pa_fx f ON n.currency = f.currency
            AND n.pay_year = f.pay_year AND n.pay_date IS NOT DISTINCT FROM f.pay_date)
    SELECT *, CASE {field} END AS reject_field, CASE {reason} END AS reject_reason FROM priced
    """


def _accepted_sql(version: int, source: str) -> str:
    """Flag duplicates, outliers and FX issues; shape rows for the records table."""
    regions = " ".join(f"WHEN '{c}' THEN '{r}'" for c, r in sorted(REGION_OF.items()))
    dup_key = (
        "title, level, employment_type, country, residence, remote_ratio, company_size, "
        "company, industry, city, low, high, currency, period, pay_date, pay_year, "
        "usd_reported"
    )
    return f"""
    WITH ok AS (
        SELECT *, ln(annual_usd) AS lx,
            row_number() OVER (PARTITION BY {dup_key}
                               ORDER BY first_seen NULLS LAST, _row) > 1 AS is_duplicate
        FROM _pa_checked WHERE reject_reason IS NULL),
    med AS (
        SELECT *, median(lx) OVER (PARTITION BY family, country) AS m_fc,
            count(*) OVER (PARTITION BY family, country) AS n_fc,
            median(lx) OVER (PARTITION BY family) AS m_f
        FROM ok),
    mad AS (
        SELECT *, median(abs(lx - m_fc)) OVER (PARTITION BY family, country) AS d_fc,
            median(abs(lx - m_f)) OVER (PARTITION BY family) AS d_f
        FROM med),
    flagged AS (
        SELECT *,
            CASE WHEN n_fc >= {OUTLIER_MIN_COHORT}
                 THEN abs(lx - m_fc) / greatest(1.4826 * d_fc, 0.05)
                 ELSE abs(lx - m_f) / greatest(1.4826 * d_f, 0.05) END > {OUTLIER_Z}
                AS is_outlier,
            usd_reported > 0 AND abs(annual_usd / usd_reported - 1) > {FX_TOLERANCE}
                AS fx_mismatch
        FROM mad)
    SELECT {version} AS dataset_version, {_lit(source)} AS source, _row AS source_row,
        title AS raw_title, family AS role_family, title_seniority, level, level_source,
        employment_type, country, residence,
        CASE country {regions} ELSE 'middle_east_africa' END AS region,
        remote_ratio, company_size, company, industry, city,
        low AS pay_low, high AS pay_high, pay_amount, period AS pay_period, currency,
        annual_local, annual_usd, fx_rate, fx_date, fx_basis, usd_reported, pay_year, pay_date,
        first_seen, is_duplicate, is_outlier,
        list_filter([CASE WHEN is_duplicate THEN 'duplicate' END,
                     CASE WHEN is_outlier THEN 'outlier' END,
                     CASE WHEN fx_fallback THEN 'fx_fallback' END,
                     CASE WHEN coalesce(fx_mismatch, false) THEN 'fx_mismatch' END,
                     CASE WHEN family = 'other' THEN 'unmapped_title' END],
                    lambda x: x IS NOT NULL) AS flags
    FROM flagged ORDER BY _row
    """


def ingest(
    path: Path | str,
    *,
    store: Store,
    mapping: Mapping | Path | str | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    allow_same_file: bool = False,
) -> IngestReport:
    """Ingest one file into the store as a new dataset version; return the report.

    Raises :class:`~payatlas.errors.InvalidInput` subclasses for unreadable files or mappings;
    on any error (or interrupt) the store is left exactly as it was.
    """
    step = progress or (lambda _msg: None)
    started = time.perf_counter()
    path = Path(path)
    con = store.con
    step("reading")
    read = read_to_table(con, path, "_pa_raw")
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    found = mapping or detect_adapter(read.columns)
    if found is None:
        raise InvalidMapping(
            "unrecognised column layout; pass a mapping file (see docs/mapping.md). "
            f"Columns found: {', '.join(read.columns)}",
            file=str(path),
        )
    found.check_against(read.columns, file=str(path))
    src = source or found.name
    sha = file_sha256(path)
    if not allow_same_file:
        dup = con.execute(
            "SELECT version FROM dataset_versions WHERE file_sha256 = ? AND source = ?", [sha, src]
        ).fetchone()
        if dup:
            raise StoreError(f"{path}: already ingested as dataset version {dup[0]}")
    step("normalising")
    con.execute(_canon_sql(found, "_pa_raw"))
    lk = lookups.build_all(con, CANON)
    con.execute(_norm_sql(found, lk))
    step("converting currencies")
    _build_fx(con, found)
    con.execute(_checked_sql(found))
    step("writing")
    with store.transaction():
        row = con.execute("SELECT coalesce(max(version), 0) + 1 FROM dataset_versions").fetchone()
        version = int(row[0]) if row else 1
        con.execute(f"INSERT INTO records {_accepted_sql(version, src)}")
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
    report.rejects_file = _write_rejects_file(store, version)
    _drop_temp(con)
    step("done")
    return report


def _insert_rejects(con: object, version: int, read: ReadResult) -> None:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    con.execute(f"""
        INSERT INTO rejects SELECT {version}, c._row, c.reject_field, c.reject_reason,
            to_json(r)::VARCHAR
        FROM _pa_checked c JOIN (SELECT * EXCLUDE (_row), _row AS _k FROM _pa_raw) r
            ON c._row = r._k
        WHERE c.reject_reason IS NOT NULL ORDER BY c._row""")
    if read.bad_rows:
        con.executemany(
            "INSERT INTO rejects VALUES (?, ?, NULL, ?, ?)",
            [[version, b.row, f"unparseable line: {b.reason}", b.raw] for b in read.bad_rows],
        )


def _report(
    con: object,
    version: int,
    source: str,
    path: Path,
    read: ReadResult,
    mapping: Mapping,
    sha: str,
    started: float,
) -> IngestReport:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    where = f"dataset_version = {version}"
    acc = con.execute(
        f"SELECT count(*), count(*) FILTER (len(flags) > 0) FROM records WHERE {where}"
    ).fetchone()
    by_family = dict(
        con.execute(
            f"SELECT role_family, count(*) FROM records WHERE {where} GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    flags = dict(
        con.execute(
            f"SELECT f, count(*) FROM (SELECT unnest(flags) f FROM records WHERE {where}) "
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


def _write_rejects_file(store: Store, version: int) -> str | None:
    """Write this version's rejects beside the store (atomically) and return the path."""
    if store.rejects_dir is None:
        return None
    con = store.con
    store.rejects_dir.mkdir(parents=True, exist_ok=True)
    final = store.rejects_dir / f"v{version}.csv"
    tmp = final.with_suffix(".csv.tmp")
    target = str(tmp).replace("'", "''")
    con.execute(
        f"COPY (SELECT source_row AS row, field, reason, raw FROM rejects "
        f"WHERE dataset_version = {version} ORDER BY source_row) TO '{target}' (HEADER)"
    )
    os.replace(tmp, final)
    return str(final)


def _drop_temp(con: object) -> None:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    names = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_pa\\_%' "
        "ESCAPE '\\'"
    ).fetchall()
    for (name,) in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")
