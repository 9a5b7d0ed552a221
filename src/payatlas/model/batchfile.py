"""Batch estimates for a file in any layout the ingest reads (pay columns ignored)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from payatlas.errors import InvalidMapping
from payatlas.ingest import readers
from payatlas.ingest.mapping import Mapping, detect_adapter, load_mapping
from payatlas.ingest.readers import read_to_table
from payatlas.model.batch import PROFILE_FIELDS, estimate_batch
from payatlas.normalize.csvsafe import neutralise_frame
from payatlas.settings import Settings, get_settings

#: canonical ingest field -> profile field
FIELD_OF = {
    "title": "role",
    "country": "country",
    "level": "level",
    "residence": "residence",
    "remote": "remote",
    "company_size": "company_size",
    "employment_type": "employment_type",
    "year": "year",
}


@dataclass(slots=True)
class BatchFileResult:
    """The estimated rows and what was found in the file."""

    frame: pd.DataFrame
    format: str
    adapter: str
    rows: int
    unresolved: dict[int, str] = field(default_factory=dict)

    def write_csv(self, path: Path | str) -> None:
        """The rows as CSV; text cells that a spreadsheet would run as formulas (``=``, ``+``,
        ``-``, ``@``, tab, CR) get a leading ``'``, numbers stay numbers."""
        write_csv(neutralise_frame(self.frame), path)

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (no rows)."""
        return {
            "format": self.format,
            "adapter": self.adapter,
            "rows": self.rows,
            "unresolved": len(self.unresolved),
            "unresolved_examples": {str(k + 1): v for k, v in list(self.unresolved.items())[:5]},
        }


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """``frame.to_csv(path, index=False)``, byte for byte, written by DuckDB's CSV writer (a
    fraction of the time on a 100k-row batch) when every column is a number or text. DuckDB
    quotes an empty string and a cell with a carriage return, which pandas leaves bare: empty
    strings are written as nulls (the same empty field), and a frame with a carriage return in
    a cell, or a column of another kind (booleans, mixed objects), is written by pandas."""
    if os.linesep != "\n":  # pandas ends lines with the platform's separator, DuckDB with \n
        frame.to_csv(path, index=False)
        return
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_bool_dtype(values):
            frame.to_csv(path, index=False)
            return
        if pd.api.types.is_numeric_dtype(values):
            continue
        if not pd.api.types.is_string_dtype(values) or not all(
            isinstance(v, str) for v in values.dropna().unique()
        ):
            frame.to_csv(path, index=False)
            return
        text = values.astype("string")
        if text.str.contains("\r", regex=False).any():
            frame.to_csv(path, index=False)
            return
        if (text == "").any():
            out[col] = values.mask(text == "")
    con = duckdb.connect(":memory:")
    try:
        con.register("_pa_out", out)
        target = str(path).replace("'", "''")
        con.execute(f"COPY _pa_out TO '{target}' (HEADER, DELIMITER ',')")
    finally:
        con.close()


def _profile_columns(columns: list[str], mapping: Mapping | None) -> tuple[dict[str, str], str]:
    """profile field -> source column, and the adapter name."""
    if mapping is not None:
        found = {FIELD_OF[k]: v for k, v in mapping.columns.items() if k in FIELD_OF}
        missing = [v for v in found.values() if v not in columns]
        if missing:
            raise InvalidMapping(f"mapping names columns the file lacks: {', '.join(missing)}")
        return found, mapping.name
    direct = {c: c for c in (*PROFILE_FIELDS, "metro") if c in columns}
    if {"role", "country"} <= direct.keys():
        return direct, "profile columns"
    raise InvalidMapping(
        "cannot tell which columns hold the profile: use the aijobs layout, columns named like "
        "the profile fields (role, country, level, ...), or --mapping FILE"
    )


def estimate_file(
    path: Path | str,
    *,
    mapping: Path | str | None = None,
    settings: Settings | None = None,
) -> BatchFileResult:
    """Read ``path`` with the ingest readers and estimate every row. The result frame is the
    file's columns (as text) plus the batch output columns, one row per parsed input row."""
    settings = settings or get_settings()
    con = duckdb.connect(":memory:")
    try:
        read = read_to_table(con, path, "_pa_est")
        select = ", ".join('"' + c.replace('"', '""') + '"' for c in read.columns)
        order = getattr(readers, "ROW", "_row")  # the staging table's row-number column
        raw = con.execute(f'SELECT {select} FROM _pa_est ORDER BY "{order}"').fetchdf()
    finally:
        con.close()
    chosen = load_mapping(mapping) if mapping is not None else detect_adapter(read.columns)
    cols, adapter = _profile_columns(read.columns, chosen)
    if "metro" in read.columns:  # a US metro column: the metro step (payatlas.model.batch)
        cols.setdefault("metro", "metro")
    profiles = pd.DataFrame({f: raw[c] for f, c in cols.items()})
    for key, value in chosen.defaults.items() if chosen else []:
        target = FIELD_OF.get(key)
        if target and target != "role":
            if target in profiles:
                profiles[target] = profiles[target].fillna(value)
            else:
                profiles[target] = value
    if "country" not in profiles:
        raise InvalidMapping("no country column or default", field="country")
    estimated = estimate_batch(profiles, settings=settings)
    out = raw.copy()
    for col in estimated.columns[len(profiles.columns) :]:
        out[col] = estimated[col].reset_index(drop=True).array
    return BatchFileResult(
        frame=out,
        format=read.format,
        adapter=adapter,
        rows=len(out),
        unresolved=dict(estimated.attrs.get("errors", {})),
    )
