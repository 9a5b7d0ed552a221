"""CSV cells that a spreadsheet cannot run as formulas (OWASP "CSV injection").

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with
a leading ``'``, so Excel, LibreOffice and Google Sheets show it as text instead of evaluating
``=HYPERLINK(...)`` or ``=cmd|...``. Numbers stay numbers: numeric cells are never touched, and
neither is a text cell that is just a number (``-5``, ``+3.5``, ``-1e3``), which a spreadsheet
reads as that number and cannot execute. The same rule is available as a DuckDB expression for
files written by ``COPY``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_NUMBER = re.compile(PLAIN_NUMBER)


def neutralise(value: Any) -> Any:
    """``value`` safe for a CSV cell: a formula-like string gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`neutralise` applied to its text columns and column names
    (numeric columns are returned as they are)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        # each distinct cell once (a column repeats its values): only the cells that change
        changed = {v: safe for v in values.dropna().unique() if (safe := neutralise(v)) is not v}
        if changed:
            out[col] = values.mask(values.isin(list(changed)), values.map(changed))
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def neutralise_sql(expr: str) -> str:
    """The DuckDB expression for :func:`neutralise` of the text expression ``expr``."""
    escaped = {"\t": r"\t", "\r": r"\r", "-": r"\-"}
    triggers = "".join(escaped.get(t, t) for t in TRIGGERS)
    return (
        f"CASE WHEN regexp_matches({expr}, '^[{triggers}]') "
        f"AND NOT regexp_full_match({expr}, '{PLAIN_NUMBER}') "
        f"THEN '''' || {expr} ELSE {expr} END"
    )
