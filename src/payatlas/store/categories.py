"""Categorical columns of the records table and the value sets they may hold.

Stored as DuckDB ENUMs (one byte per value instead of a string): writing a million records and
scanning them is markedly faster. Readers see plain text through the ``records`` view, so SQL and
pandas code never meets an ENUM. A value outside its set makes an ingest fail loudly, never
store a wrong category; a new value (a new role family, say) needs a new migration.
"""

from __future__ import annotations

import pycountry

from payatlas.normalize.countries import REGIONS
from payatlas.normalize.fields import EMPLOYMENT_TYPES
from payatlas.normalize.titles import LEVELS, ROLE_FAMILIES, SENIORITY_RANKS

_COUNTRIES = tuple(sorted({str(c.alpha_2) for c in pycountry.countries} | {"XK"}))

#: column -> allowed values, as of migration 3
CATEGORIES: dict[str, tuple[str, ...]] = {
    "role_family": tuple(f.slug for f in ROLE_FAMILIES),
    "title_seniority": SENIORITY_RANKS,
    "level": LEVELS,
    "level_source": ("field", "title", "default"),
    "employment_type": EMPLOYMENT_TYPES,
    "country": _COUNTRIES,
    "residence": _COUNTRIES,
    "region": tuple(REGIONS),
    "company_size": ("S", "M", "L"),
    "pay_period": ("hour", "day", "week", "month", "year"),  # ingest.money.PERIOD_MULTIPLIERS
    "currency": tuple(sorted(str(c.alpha_3) for c in pycountry.currencies)),
    "fx_basis": ("identity", "daily", "year_avg", "implied"),
}


#: record columns that may be NULL (every other one is required)
NULLABLE = frozenset(
    {
        "title_seniority",
        "level",
        "level_source",
        "remote_ratio",
        "company_size",
        "company",
        "industry",
        "city",
        "usd_reported",
        "pay_date",
        "first_seen",
    }
)


#: the flags a record may carry (stored as a list of ENUM values)
FLAGS = ("duplicate", "outlier", "fx_fallback", "fx_mismatch", "unmapped_title")


def enum_type(column: str) -> str:
    """The DuckDB type name of a categorical column."""
    return f"pa_{column}"


def _values(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _stored_type(name: str, declared: str) -> str:
    if name in CATEGORIES:
        return enum_type(name)
    return f"{enum_type('flag')}[]" if name == "flags" else declared


def migration_sql(columns: list[tuple[str, str]]) -> str:
    """SQL moving ``records`` (``columns``: name, type) into ENUM-typed ``record_rows`` behind a
    ``records`` view with the same columns and text types."""
    types = "\n".join(
        f"CREATE TYPE {enum_type(c)} AS ENUM ({_values(v)});"
        for c, v in {**CATEGORIES, "flag": FLAGS}.items()
    )
    ddl = ",\n    ".join(
        f"{n} {_stored_type(n, t)}{'' if n in NULLABLE else ' NOT NULL'}" for n, t in columns
    )
    view = ", ".join(
        f"{n}::VARCHAR AS {n}"
        if n in CATEGORIES
        else (f"{n}::VARCHAR[] AS {n}" if n == "flags" else n)
        for n, _ in columns
    )
    return f"""
{types}
CREATE TABLE record_rows (
    {ddl}
);
INSERT INTO record_rows SELECT * FROM records;
DROP TABLE records;
CREATE VIEW records AS SELECT {view} FROM record_rows;
"""
