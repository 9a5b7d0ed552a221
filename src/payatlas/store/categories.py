"""Categorical columns of the records table and the value sets they may hold.

The sets are reference data, not schema: the columns are text (migration 5), and each read-write
connection declares the current sets as *temporary* ENUM types (:func:`declare_check_types`).
The ingest casts every categorical value to its type before it writes, so a value outside its
set makes the ingest fail loudly, never store a wrong category -- and a set that grows (a new
role family, a pycountry upgrade) needs no migration and leaves every applied one as it was.
"""

from __future__ import annotations

from typing import Any

import pycountry

from payatlas.normalize.countries import REGIONS
from payatlas.normalize.fields import EMPLOYMENT_TYPES, WITHDRAWN_CURRENCIES
from payatlas.normalize.titles import FAMILY_BY_SLUG, LEVELS, SENIORITY_RANKS

_COUNTRIES = tuple(sorted({str(c.alpha_2) for c in pycountry.countries} | {"XK"}))

#: column -> allowed values (the current lists)
CATEGORIES: dict[str, tuple[str, ...]] = {
    "role_family": tuple(FAMILY_BY_SLUG),
    "title_seniority": SENIORITY_RANKS,
    "level": LEVELS,
    "level_source": ("field", "title", "default"),
    "employment_type": EMPLOYMENT_TYPES,
    "country": _COUNTRIES,
    "residence": _COUNTRIES,
    "region": tuple(REGIONS),
    "company_size": ("S", "M", "L"),
    # ingest.money.PERIOD_MULTIPLIERS
    "pay_period": ("hour", "day", "week", "biweek", "month", "year"),
    "currency": tuple(
        sorted({str(c.alpha_3) for c in pycountry.currencies} | WITHDRAWN_CURRENCIES)
    ),
    "fx_basis": ("identity", "daily", "year_avg", "implied", "peg"),
}


#: the flags a record may carry (stored as a list of ENUM values); the first seven are set by bit
#: patterns in the ingest, the others listed per row
BIT_FLAGS = (
    "duplicate", "outlier", "fx_fallback", "fx_mismatch", "unmapped_title", "nearest_family",
    "out_of_scope",
)  # fmt: skip
#: flags of the mapping's cleaning and the place check (docs/data.md, "Cleaning rules"), and the
#: duplicate of an earlier file's record (set after the insert)
INGEST_FLAGS = (
    "level_unread", "employment_type_unread", "remote_unread", "company_size_unread",
    "residence_unread", "level_unknown", "employment_type_unknown", "remote_unknown",
    "company_size_unknown", "residence_unknown", "country_unknown", "location_unknown",
    "date_unknown", "first_seen_unknown", "industry_unknown", "company_unknown", "city_unknown",
    "year_unknown", "currency_unknown", "period_unknown", "usd_unknown", "title_unknown",
    "pay_unknown", "pay_low_unknown", "pay_high_unknown",
    "country_from_location", "location_unread", "pay_out_of_range", "no_fx",
    "duplicate_across_files",
)  # fmt: skip
FLAGS = BIT_FLAGS + INGEST_FLAGS


def enum_type(column: str) -> str:
    """The DuckDB type name of a categorical column."""
    return f"pa_{column}"


def _values(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def declare_check_types(con: Any) -> None:
    """Declare the current value sets as temporary ENUM types on a DuckDB connection (the ones
    the ingest casts to: ``pa_<column>`` and ``pa_flag``)."""
    for column, values in {**CATEGORIES, "flag": FLAGS}.items():
        con.execute(f"CREATE OR REPLACE TEMP TYPE {enum_type(column)} AS ENUM ({_values(values)})")
