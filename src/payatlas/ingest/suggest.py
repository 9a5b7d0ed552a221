"""``payatlas mapping suggest FILE``: a mapping inferred from a file's headers and values.

Like sqlite-utils' sniffing, it says what it found: every line of the TOML it prints carries a
comment on what was guessed and why (the header words, the share of values that read as the
field), and what it could not decide is left as a commented line for the user to fill in. The
result is always a valid mapping (:func:`payatlas.ingest.mapping.mapping_from_dict` reads it), so
``payatlas ingest FILE --mapping suggested.toml`` runs as printed; review it first.

The file is read with the ingest's own reader into a private in-memory DuckDB; only distinct
values are looked at (the most frequent :data:`SAMPLE` of each column).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from payatlas.ingest.mapping import Mapping, mapping_from_dict
from payatlas.ingest.readers import read_to_table
from payatlas.ingest.suggest_columns import (
    ACCEPT,
    HEADERS,
    SAMPLE,
    Values,
    column_values,
    header_candidates,
    read_share,
)
from payatlas.ingest.suggest_fields import (
    suggest_contradictions,
    suggest_currency,
    suggest_dates,
    suggest_optional,
    suggest_pay,
    suggest_places,
    suggest_title,
)
from payatlas.ingest.suggest_render import Builder

__all__ = ["ACCEPT", "HEADERS", "SAMPLE", "Suggestion", "suggest_mapping"]


@dataclass(slots=True)
class Suggestion:
    """A suggested mapping: the TOML text (with comments), the parsed mapping, and the notes."""

    file: str
    rows: int
    columns: list[str]
    text: str
    mapping: Mapping
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"file": self.file, "rows": self.rows, "columns": self.columns,
                "mapping": self.text, "notes": self.notes}  # fmt: skip


def suggest_mapping(path: Path | str, *, name: str | None = None) -> Suggestion:
    """Read ``path`` and suggest a mapping for it (see the module docstring)."""
    path = Path(path)
    con = duckdb.connect(":memory:")
    try:
        read = read_to_table(con, path, "_pa_raw")
        values = {c: column_values(con, "_pa_raw", c) for c in read.columns}
        return _suggest(con, path, read.columns, read.rows + len(read.bad_rows), values, name)
    finally:
        con.close()


def _suggest(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    columns: list[str],
    rows: int,
    values: dict[str, Values],
    name: str | None,
) -> Suggestion:
    b = Builder()
    b.source["name"] = name or re.sub(r"[^a-z0-9]+", "-", path.name.lower().split(".")[0]) or "file"
    used: set[str] = set()
    cols = [c for c in columns if values[c]]  # empty columns are never mapped

    def pick(field_name: str, ok: Callable[[str], object] | None = None,
             need: float = ACCEPT) -> tuple[str, float] | None:  # fmt: skip
        for _score, col in header_candidates(cols, field_name):
            if col in used:
                continue
            share = read_share(values[col], ok) if ok else 1.0
            if share >= need:
                used.add(col)
                return col, share
        return None

    suggest_title(b, pick, values)
    suggest_pay(b, pick, values, cols, used)
    suggest_currency(b, pick, values)
    suggest_places(b, pick, values)
    suggest_dates(b, pick, values)
    suggest_optional(b, pick, values)
    suggest_contradictions(b, con)
    unmapped = [c for c in columns if c not in used]
    if unmapped:
        b.notes.append("not mapped: " + ", ".join(unmapped[:20])
                       + (" ..." if len(unmapped) > 20 else ""))  # fmt: skip
    text = b.toml(path.name, rows)
    mapping = mapping_from_dict(tomllib.loads(text), file="<suggested>")
    return Suggestion(str(path), rows, columns, text, mapping, b.notes)
