"""Per-column cleaning a mapping asks for, as SQL over the raw text (vectorised in DuckDB).

A ``[clean.<field>]`` table of a mapping (docs/mapping.md, "Cleaning") may hold, applied in this
order to each source column of the field:

* ``list``: ``"first"`` or ``"join"`` -- the cell is a list string (``"['sql', 'python']"``,
  ``'["a", "b"]'``): keep its first item, or its items joined by ``", "``;
* ``strip_prefix`` / ``strip_suffix``: strings removed from the start / end (any case);
* ``extract``: a regular expression; the first group (or the whole match) is kept, a cell it
  does not match is left as it is (so the field's reader says what is wrong with it);
* ``map``: ``{"1001 to 5000 employees" = "L"}`` -- whole-value replacements (any case); a value
  mapped to ``""`` is *unknown*;
* ``unknown``: values that mean "not known" (``["Unknown", "-1"]``): the field is empty and the
  row is flagged ``<field>_unknown`` (for a required field such as pay the row is then missing it);
* ``format``: dates only: ``"excel"`` (serial day numbers) or a ``strftime`` pattern;
* ``period_by_column``: a field fed by several columns (``pay = ["yearly", "hourly"]``): the pay
  period of each (``{yearly = "year", hourly = "hour"}``).

Several source columns (``pay = ["Yearly", "Hourly"]``) are coalesced: the first non-empty one,
after cleaning, is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import duckdb

from payatlas.errors import InvalidMapping

KEYS = frozenset(
    {
        "list",
        "strip_prefix",
        "strip_suffix",
        "extract",
        "map",
        "unknown",
        "format",
        "period_by_column",
    }
)
LIST_MODES = ("first", "join")
_SQL_CHECK = duckdb.connect(":memory:")  # validates regular expressions with DuckDB's engine


@dataclass(frozen=True, slots=True)
class Clean:
    """What to do to one field's raw text before it is read."""

    list_mode: str | None = None
    strip_prefix: tuple[str, ...] = ()
    strip_suffix: tuple[str, ...] = ()
    extract: str | None = None
    value_map: dict[str, str] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    date_format: str | None = None
    period_by_column: dict[str, str] = field(default_factory=dict)

    def spec(self) -> dict[str, Any]:
        """JSON-ready form (part of the mapping's fingerprint)."""
        return {
            "list": self.list_mode,
            "strip_prefix": list(self.strip_prefix),
            "strip_suffix": list(self.strip_suffix),
            "extract": self.extract,
            "map": dict(sorted(self.value_map.items())),
            "unknown": list(self.unknown),
            "format": self.date_format,
            "period_by_column": dict(sorted(self.period_by_column.items())),
        }

    @property
    def unknown_keys(self) -> frozenset[str]:
        """Lower-case values that mean unknown (listed, or mapped to "")."""
        mapped = {k for k, v in self.value_map.items() if not v.strip()}
        return frozenset({u.strip().lower() for u in self.unknown} | mapped)


def _strings(value: Any, *, file: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise InvalidMapping("must be a string or a list of strings", file=file, field=key)
    return tuple(items)


def parse_clean(
    name: str, data: Any, *, columns: tuple[str, ...], file: str, periods: frozenset[str]
) -> Clean:
    """Validate one ``[clean.<name>]`` table; every error names its key."""
    where = f"clean.{name}"
    if not isinstance(data, dict):
        raise InvalidMapping(f"[{where}] must be a table", file=file, field=where)
    unknown = set(data) - KEYS
    if unknown:
        raise InvalidMapping(
            f"unknown [{where}] keys: {sorted(unknown)}; known: {', '.join(sorted(KEYS))}",
            file=file,
            field=f"{where}.{sorted(unknown)[0]}",
        )
    mode = data.get("list")
    if mode is not None and mode not in LIST_MODES:
        raise InvalidMapping('list must be "first" or "join"', file=file, field=f"{where}.list")
    pattern = data.get("extract")
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern:
            raise InvalidMapping("extract must be a regular expression", file=file,
                                 field=f"{where}.extract")  # fmt: skip
        try:
            groups = re.compile(pattern).groups
            _SQL_CHECK.execute("SELECT regexp_extract('', ?, ?)", [pattern, min(groups, 1)])
        except (re.error, duckdb.Error) as exc:
            raise InvalidMapping(
                f"extract is not a regular expression DuckDB runs: {str(exc).splitlines()[0]}",
                file=file,
                field=f"{where}.extract",
            ) from None
    value_map = data.get("map", {})
    if not isinstance(value_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
        for k, v in value_map.items()
    ):
        raise InvalidMapping('map must be a table of "value" = "replacement"', file=file,
                             field=f"{where}.map")  # fmt: skip
    fmt = data.get("format")
    if fmt is not None:
        if name not in ("date", "first_seen"):
            raise InvalidMapping("format applies to date and first_seen only", file=file,
                                 field=f"{where}.format")  # fmt: skip
        if not isinstance(fmt, str) or not (fmt == "excel" or "%" in fmt):
            raise InvalidMapping('format must be "excel" or a strftime pattern like '
                                 '"%m/%d/%Y %H:%M:%S"', file=file,
                                 field=f"{where}.format")  # fmt: skip
    by_column = data.get("period_by_column", {})
    if not isinstance(by_column, dict):
        raise InvalidMapping("period_by_column must be a table of column = period", file=file,
                             field=f"{where}.period_by_column")  # fmt: skip
    for col, period in by_column.items():
        if col not in columns:
            raise InvalidMapping(f"period_by_column names {col!r}, not a column of {name}",
                                 file=file, field=f"{where}.period_by_column")  # fmt: skip
        if period not in periods:
            raise InvalidMapping(f"period_by_column: {period!r} is not one of "
                                 f"{', '.join(sorted(periods))}", file=file,
                                 field=f"{where}.period_by_column")  # fmt: skip
    return Clean(
        list_mode=mode,
        strip_prefix=_strings(data.get("strip_prefix", []), file=file, key=f"{where}.strip_prefix"),
        strip_suffix=_strings(data.get("strip_suffix", []), file=file, key=f"{where}.strip_suffix"),
        extract=pattern,
        value_map={str(k).strip().lower(): str(v).strip() for k, v in value_map.items()},
        unknown=_strings(data.get("unknown", []), file=file, key=f"{where}.unknown"),
        date_format=fmt,
        period_by_column={str(k): str(v) for k, v in by_column.items()},
    )


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def cleaned_sql(col: str, clean: Clean | None, *, whole: bool = True) -> str:
    """SQL for one raw column after cleaning: text, or NULL when empty (or unknown).
    ``whole=False`` stops before the value map and the unknown list."""
    x = f"trim({col})"
    if clean is None:
        return f"nullif({x}, '')"
    if clean.list_mode == "first":
        x = (f"trim(regexp_extract({x}, '^\\[?\\s*[''\"]?([^''\",\\]]*)', 1))")  # fmt: skip
    elif clean.list_mode == "join":
        items = f"string_split(regexp_replace({x}, '^\\[|\\]$', '', 'g'), ',')"
        unquoted = f"list_transform({items}, lambda s: trim(trim(s), '''\"'))"
        x = f"array_to_string(list_filter({unquoted}, lambda s: s <> ''), ', ')"
    for p in clean.strip_prefix:
        x = (f"trim(CASE WHEN starts_with(lower({x}), {_lit(p.lower())}) "
             f"THEN {x}[{len(p) + 1}:] ELSE {x} END)")  # fmt: skip
    for s in clean.strip_suffix:
        x = (f"trim(CASE WHEN ends_with(lower({x}), {_lit(s.lower())}) "
             f"THEN {x}[:length({x}) - {len(s)}] ELSE {x} END)")  # fmt: skip
    if clean.extract:
        group = min(re.compile(clean.extract).groups, 1)
        pat = _lit(clean.extract)
        x = (f"trim(CASE WHEN regexp_matches({x}, {pat}) "
             f"THEN regexp_extract({x}, {pat}, {group}) ELSE {x} END)")  # fmt: skip
    if not whole:
        return f"nullif({x}, '')"
    if clean.value_map:
        whens = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in clean.value_map.items())
        x = f"(CASE lower({x}) {whens} ELSE {x} END)"
    if clean.unknown_keys:
        listed = ", ".join(_lit(u) for u in sorted(clean.unknown_keys))
        x = f"(CASE WHEN lower({x}) IN ({listed}) THEN NULL ELSE {x} END)"
    return f"nullif({x}, '')"


def unknown_sql(cols: list[str], clean: Clean | None) -> str | None:
    """SQL true when one of the field's columns holds a value the mapping calls unknown
    (listed, or mapped to ""); None when it lists none."""
    if clean is None or not clean.unknown_keys:
        return None
    listed = ", ".join(_lit(u) for u in sorted(clean.unknown_keys))
    tests = [f"coalesce(lower({cleaned_sql(c, clean, whole=False)}) IN ({listed}), false)"
             for c in cols]  # fmt: skip
    return "(" + " OR ".join(tests) + ")"
