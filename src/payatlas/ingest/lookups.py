"""Per-distinct-value normalisation: run a Python normaliser once per distinct RAW value of a
column and join the result back in SQL. This keeps ingest vectorised on millions of rows: the
rows themselves are never touched by Python, not even to trim them.

Every lookup table is ``(key, <outputs...>, error)``. A blank key (empty or white space) gives
all-NULL outputs and no error: the field is missing, and the mapping's default (if any) applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from payatlas.errors import InvalidInput, StoreError, UnknownCountry
from payatlas.ingest.cleaning import cleaned_sql
from payatlas.ingest.mapping import Mapping
from payatlas.ingest.money import decimal_mark, parse_money, parse_period
from payatlas.normalize import fields
from payatlas.normalize.countries import region_of, to_alpha2
from payatlas.normalize.places import read_location, state_code, us_context
from payatlas.normalize.titles import classify_title, normalize_level

Normaliser = Callable[[str], Sequence[Any]]
S, F, D, INT = pa.string(), pa.float64(), pa.date32(), pa.int32()
SEP = "\x1f"  # joins a pay text and its row's currency column into one money key


def _title(v: str) -> tuple[str, str, str | None, str | None]:
    info = classify_title(v)
    return v, info.family, info.seniority, info.level


def _country(v: str) -> tuple[str, str]:
    try:
        code = to_alpha2(v)
    except UnknownCountry:
        if not state_code(v):  # a country column saying "Florida" means the US
            raise
        code = "US"
    return code, region_of(code)


def _location(mapping: Mapping, keys: list[str]) -> Normaliser:
    default = mapping.defaults.get("country")
    us = us_context(keys, default=default)  # "Georgia" in a US file is the state

    def read(v: str) -> tuple[str | None, str | None, str | None, bool, list[str]]:
        p = read_location(v, us=us)
        return (p.country, region_of(p.country) if p.country else None, p.city, p.remote,
                list(p.flags))  # fmt: skip

    return read


def _money_for(default_currency: str | None, keys: list[str]) -> Normaliser:
    dot = decimal_mark([k.partition(SEP)[0] for k in keys])  # the column's decimal mark

    def money(v: str) -> tuple[float, float, str | None, str | None]:
        """``v`` is "<pay text>SEP<currency column>SEP<period of its column>": the currency
        column (else the mapping's default) says what a loose symbol such as "$" or "Rs" means
        on this row; the period is that of the column the pay came from, when several feed it."""
        text, _, rest = v.partition(SEP)
        hint, _, period = rest.partition(SEP)
        hint = hint.strip().upper() or (default_currency or "")
        valid = len(hint) == 3 and hint.isalpha()
        plain = text.strip()
        if plain.isascii() and plain.isdigit():  # the common case: a bare whole amount
            return float(plain), float(plain), hint if valid else None, period or None
        m = parse_money(text, default_currency=hint if valid else None,
                        default_period=period or None, decimal=dot)  # fmt: skip
        return m.low, m.high, m.currency, m.period

    return money


def _one(fn: Callable[[str], Any]) -> Normaliser:
    return lambda v: (fn(v),)


#: what builds a lookup's normaliser: the mapping and the column's distinct keys (dates and
#: remote shares decide their reading once per column, never per value)
Factory = Callable[[Mapping, list[str]], Normaliser]


def _dates(field: str) -> Factory:
    def make(mapping: Mapping, keys: list[str]) -> Normaliser:
        order = mapping.date_order or fields.slash_date_order(keys)
        clean = mapping.clean.get(field)
        fmt = clean.date_format if clean else None
        return lambda v: (fields.parse_date(v, field, order, fmt),)

    return make


def _remote(mapping: Mapping, keys: list[str]) -> Normaliser:
    fraction = fields.remote_scale(keys)  # 0-1 fractions or 0-100 percentages
    return lambda v: (fields.remote_share(v, fraction),)


def _fixed(fn: Normaliser) -> Factory:
    return lambda mapping, keys: fn


#: lookup name -> (normaliser factory, output schema, canonical fields whose raw values it covers)
SPECS: dict[str, tuple[Factory, list[tuple[str, pa.DataType]], tuple[str, ...]]] = {
    "title": (_fixed(_title),
              [("clean", S), ("family", S), ("seniority", S), ("title_level", S)], ("title",)),
    "money": (lambda m, keys: _money_for(m.defaults.get("currency"), keys),
              [("low", F), ("high", F), ("currency", S), ("period", S)],
              ("pay", "pay_low", "pay_high")),
    "level": (_fixed(_one(normalize_level)), [("value", S)], ("level",)),
    "employment_type": (_fixed(_one(fields.employment_type)), [("value", S)],
                        ("employment_type",)),
    "country": (_fixed(_country), [("value", S), ("region", S)], ("country", "residence")),
    "location": (_location, [("country", S), ("region", S), ("city", S), ("remote", pa.bool_()),
                             ("flags", pa.list_(S))], ("location",)),
    "remote": (_remote, [("value", INT)], ("remote",)),
    "company_size": (_fixed(_one(fields.company_size)), [("value", S)], ("company_size",)),
    "currency": (_fixed(_one(fields.currency_code)), [("value", S)], ("currency",)),
    "period": (_fixed(_one(parse_period)), [("value", S)], ("period",)),
    "date": (_dates("date"), [("value", D)], ("date",)),
    "first_seen": (_dates("first_seen"), [("value", D)], ("first_seen",)),
    "year": (_fixed(_one(fields.parse_year)), [("value", INT)], ("year",)),
    "usd": (_fixed(_one(fields.parse_number)), [("value", F)], ("usd",)),
}  # fmt: skip


def money_key(pay_expr: str, currency_expr: str, period_expr: str | None = None) -> str:
    """SQL for the money lookup key of a row (pay, currency column, period of the pay column)."""
    tail = f" || chr(31) || coalesce({period_expr}, '')" if period_expr else ""
    return f"{pay_expr} || chr(31) || coalesce({currency_expr}, ''){tail}"


def field_sql(mapping: Mapping, field: str, raw: str) -> str | None:
    """SQL for a field's value over the raw table: its column as is, or (cleaned or several
    columns) the first non-empty cleaned column; None when the field is unmapped."""
    cols = [f'{raw}."{c.replace(chr(34), chr(34) * 2)}"' for c in mapping.cols(field)]
    if not cols:
        return None
    clean = mapping.clean.get(field)
    if clean is None and len(cols) == 1:
        return cols[0]
    parts = [cleaned_sql(c, clean) for c in cols]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


#: a date cell's time of day, dropped before the lookup: an Excel serial's fraction
#: ("45040.41"), a slash timestamp's clock ("4/11/2023 11:02:00"), so each day is read once
_SERIAL_FRACTION = r"^\s*(\d{5})\.\d+\s*$"
_SLASH_CLOCK = r"^\s*(\d{1,2}/\d{1,2}/\d{4})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?\s*$"


def day_key_sql(expr: str) -> str:
    """SQL: a date cell without its time of day (one lookup key per day, not per instant)."""
    inner = f"regexp_replace({expr}, '{_SERIAL_FRACTION}', '\\1')"
    return f"regexp_replace({inner}, '{_SLASH_CLOCK}', '\\1')"


def period_hint_sql(mapping: Mapping, field: str, raw: str) -> str | None:
    """SQL: the pay period of the column a coalesced pay value came from (None: none given)."""
    clean = mapping.clean.get(field)
    if clean is None or not clean.period_by_column:
        return None
    whens = []
    for c in mapping.cols(field):
        if c in clean.period_by_column:
            q = f'{raw}."{c.replace(chr(34), chr(34) * 2)}"'
            whens.append(f"WHEN {cleaned_sql(q, clean)} IS NOT NULL "
                         f"THEN '{clean.period_by_column[c]}'")  # fmt: skip
        else:
            q = f'{raw}."{c.replace(chr(34), chr(34) * 2)}"'
            whens.append(f"WHEN {cleaned_sql(q, clean)} IS NOT NULL THEN NULL")
    return f"(CASE {' '.join(whens)} END)"


def require_unique(keys: Sequence[Any], table: str) -> None:
    """Refuse a lookup table whose join key repeats: every join of an ingest is on a key unique
    in the table joined, so no row can be multiplied by it (an internal error, never input's)."""
    if len(set(keys)) != len(keys):
        raise StoreError(f"internal error: lookup {table} has repeated keys; nothing was written")


def build_lookup(
    con: duckdb.DuckDBPyConnection,
    name: str,
    keys: list[str],
    fn: Normaliser,
    schema: list[tuple[str, pa.DataType]],
) -> str:
    """Create temp table ``_pa_lk_<name>(key, <schema...>, error)`` for the distinct ``keys``."""
    columns: list[list[Any]] = [[] for _ in schema]
    errors: list[str | None] = []
    for key in keys:
        text = key.partition(SEP)[0] if name == "money" else key
        out: Sequence[Any]
        err = None
        if not text.strip():
            out = (None,) * len(schema)
        else:
            try:
                out = fn(key.strip() if name != "money" else key)
            except InvalidInput as exc:
                out, err = (None,) * len(schema), exc.reason
        for col, value in zip(columns, out, strict=True):
            col.append(value)
        errors.append(err)
    require_unique(keys, f"_pa_lk_{name}")
    arrays = [pa.array(keys, type=S)]
    arrays += [pa.array(col, type=typ) for col, (_, typ) in zip(columns, schema, strict=True)]
    arrays.append(pa.array(errors, type=S))
    table = pa.Table.from_arrays(arrays, names=["key", *[n for n, _ in schema], "error"])
    target = f"_pa_lk_{name}"
    con.register(target, table)  # joined straight from Arrow; unregistered when ingest ends
    return target


def key_exprs(mapping: Mapping, raw: str) -> dict[str, str | None]:
    """Canonical field -> SQL expression over the raw table (None when the field is unmapped)."""

    out = {field: field_sql(mapping, field, raw) for name in SPECS for field in SPECS[name][2]}
    for field in ("date", "first_seen"):
        clean = mapping.clean.get(field)
        if out[field] and not (clean and clean.date_format and clean.date_format != "excel"):
            out[field] = day_key_sql(str(out[field]))
    cur = out["currency"] or "NULL"
    for field in ("pay", "pay_low", "pay_high"):
        expr = out[field]
        hint = period_hint_sql(mapping, field, raw)
        out[field] = money_key(expr, cur, hint) if expr else None
    return out


def build_all(con: duckdb.DuckDBPyConnection, raw: str, mapping: Mapping) -> dict[str, str]:
    """Build every lookup table; returns lookup name -> table name. One scan of the raw table
    collects the distinct values of every mapped field; each is normalised once."""
    exprs = key_exprs(mapping, raw)
    mapped = [e for e in exprs.values() if e]
    found: dict[str, list[str]] = {}
    if mapped:
        row = con.execute(
            "SELECT "
            + ", ".join(f"list(DISTINCT {e}) FILTER ({e} IS NOT NULL)" for e in mapped)
            + f" FROM {raw}"
        ).fetchall()[0]
        found = {e: list(v or []) for e, v in zip(mapped, row, strict=True)}
    tables = {}
    for name, (factory, schema, sources) in SPECS.items():
        keys = sorted({k for f in sources if exprs[f] for k in found[str(exprs[f])]})
        tables[name] = build_lookup(con, name, keys, factory(mapping, keys), schema)
    return tables
