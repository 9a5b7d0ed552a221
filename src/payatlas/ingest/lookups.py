"""Per-distinct-value normalisation: run a Python normaliser once per distinct value of a column
and join the result back in SQL. This is what keeps ingest vectorised on millions of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from payatlas.errors import InvalidInput
from payatlas.ingest.money import parse_money, parse_period
from payatlas.normalize import fields
from payatlas.normalize.countries import to_alpha2
from payatlas.normalize.titles import classify_title, normalize_level

Normaliser = Callable[[Any], Sequence[Any]]


def build_lookup(
    con: duckdb.DuckDBPyConnection,
    name: str,
    values_sql: str,
    fn: Normaliser,
    schema: list[tuple[str, pa.DataType]],
) -> str:
    """Create temp table ``_pa_lk_<name>(key, <schema...>, error)`` from the distinct keys.

    ``values_sql`` selects one column ``v``; ``fn`` maps a key to a tuple matching ``schema`` or
    raises :class:`InvalidInput`, whose reason lands in ``error``.
    """
    keys = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT v FROM ({values_sql}) WHERE v IS NOT NULL"
        ).fetchall()
    ]
    columns: list[list[Any]] = [[] for _ in schema]
    errors: list[str | None] = []
    for key in keys:
        try:
            out = fn(key)
            err = None
        except InvalidInput as exc:
            out, err = (None,) * len(schema), exc.reason
        for col, value in zip(columns, out, strict=True):
            col.append(value)
        errors.append(err)
    key_type = pa.string() if not keys or isinstance(keys[0], str) else None
    arrays = [pa.array(keys, type=key_type)]
    arrays += [pa.array(col, type=typ) for col, (_, typ) in zip(columns, schema, strict=True)]
    arrays.append(pa.array(errors, type=pa.string()))
    table = pa.Table.from_arrays(arrays, names=["key", *[n for n, _ in schema], "error"])
    target = f"_pa_lk_{name}"
    con.register(f"{target}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {target}_arrow")
    con.unregister(f"{target}_arrow")
    return target


def _title(v: str) -> tuple[str, str | None, str | None]:
    info = classify_title(v)
    return info.family, info.seniority, info.level


def _money(v: str) -> tuple[float, float, str | None, str | None]:
    """``v`` is "<pay text>\x1f<currency hint>": the hint resolves loose symbols like "$"."""
    text, _, hint = v.partition("\x1f")
    valid = len(hint) == 3 and hint.isalpha()
    m = parse_money(text, default_currency=hint if valid else None)
    return m.low, m.high, m.currency, m.period


def _level(v: str) -> tuple[str | None]:
    return (normalize_level(v),)


def _one(fn: Callable[[str], Any]) -> Normaliser:
    return lambda v: (fn(v),)


def build_all(con: duckdb.DuckDBPyConnection, canon: str) -> dict[str, str]:
    """Build every lookup table the pipeline joins; returns field -> lookup table name."""
    s, f, d, i = pa.string(), pa.float64(), pa.date32(), pa.int32()
    specs: list[tuple[str, str, Normaliser, list[tuple[str, pa.DataType]]]] = [
        (
            "title",
            f"SELECT title v FROM {canon}",
            _title,
            [("family", s), ("seniority", s), ("title_level", s)],
        ),
        (
            "money",
            f"SELECT pay || chr(31) || cur_hint v FROM {canon} UNION ALL "
            f"SELECT pay_low || chr(31) || cur_hint FROM {canon} UNION ALL "
            f"SELECT pay_high || chr(31) || cur_hint FROM {canon}",
            _money,
            [("low", f), ("high", f), ("currency", s), ("period", s)],
        ),
        ("level", f"SELECT level v FROM {canon}", _level, [("value", s)]),
        (
            "employment_type",
            f"SELECT employment_type v FROM {canon}",
            _one(fields.employment_type),
            [("value", s)],
        ),
        (
            "country",
            f"SELECT country v FROM {canon} UNION ALL SELECT residence FROM {canon}",
            _one(to_alpha2),
            [("value", s)],
        ),
        ("remote", f"SELECT remote v FROM {canon}", _one(fields.remote_share), [("value", i)]),
        (
            "company_size",
            f"SELECT company_size v FROM {canon}",
            _one(fields.company_size),
            [("value", s)],
        ),
        ("currency", f"SELECT currency v FROM {canon}", _one(fields.currency_code), [("value", s)]),
        ("period", f"SELECT period v FROM {canon}", _one(parse_period), [("value", s)]),
        (
            "date",
            f"SELECT date v FROM {canon} UNION ALL SELECT first_seen FROM {canon}",
            _one(fields.parse_date),
            [("value", d)],
        ),
        ("year", f"SELECT year v FROM {canon}", _one(fields.parse_year), [("value", i)]),
        ("usd", f"SELECT usd v FROM {canon}", _one(fields.parse_number), [("value", f)]),
    ]
    return {name: build_lookup(con, name, sql, fn, schema) for name, sql, fn, schema in specs}


def fx_schema() -> list[tuple[str, pa.DataType]]:
    """Columns of the FX lookup."""
    return [
        ("rate", pa.float64()),
        ("fx_date", pa.date32()),
        ("basis", pa.string()),
        ("fallback", pa.bool_()),
    ]


def fx_key(currency: str, day: dt.date | None, year: int) -> tuple[Any, ...]:
    """Rate for one (currency, pay date, pay year) key; raises InvalidInput if none."""
    from payatlas.normalize import fx

    if not fx.has_history(currency):
        return (None, None, None, None)
    rate = fx.usd_rate(currency, day=day, year=year if day is None else None)
    return (rate.usd_per_unit, rate.date, rate.basis, rate.fallback)
