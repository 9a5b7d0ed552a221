"""Read any reasonable file into a DuckDB staging table of text columns, and say what was found.

Formats: CSV, TSV (and other delimiters), JSON array, JSON lines, Parquet; ``.gz`` allowed for
the text formats. Malformed CSV lines are not dropped: they come back as rejected rows with
their row number and the parser's reason.
"""

from __future__ import annotations

import csv
import gzip
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from payatlas.errors import UnreadableFile

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")  # what sniff_format can report


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row the reader itself could not parse."""

    row: int
    reason: str
    raw: str


@dataclass(slots=True)
class ReadResult:
    """What a reader found: the format, the columns, the row count, and rows it could not parse.

    The staging table has the file's columns as VARCHAR plus ``__pa_row`` (1-based data row
    number) and ``__pa_h1, __pa_h2`` (the row's content key).
    """

    format: str
    columns: list[str]
    rows: int
    bad_rows: list[BadRow] = field(default_factory=list)
    delimiter: str | None = None


def _head(path: Path, size: int = 65536) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            return bytes(fh.read(size))
    except (OSError, EOFError) as exc:
        raise UnreadableFile(f"cannot read file: {exc}", file=str(path)) from exc


def sniff_format(path: Path) -> tuple[str, str | None]:
    """Return (format, delimiter) from the name and the first bytes."""
    if not path.is_file():
        raise UnreadableFile("no such file", file=str(path))
    name = path.name.lower().removesuffix(".gz")
    head = _head(path)
    if head[:4] == b"PAR1" or name.endswith(".parquet"):
        return "parquet", None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise UnreadableFile("file is empty", file=str(path))
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl", None
    if stripped[0] == "[":
        return "json", None
    if stripped[0] == "{":
        first = stripped.split("\n", 1)[0].strip()
        return ("jsonl", None) if first.endswith("}") else ("json", None)
    if name.endswith(".tsv") or name.endswith(".tab"):
        return "tsv", "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    return ("tsv" if delim == "\t" else "csv"), delim


ROW, H1, H2 = "__pa_row", "__pa_h1", "__pa_h2"  # internal columns of the staging table
RESERVED_PREFIX = "__pa_"
_NUMERIC = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def _reader_sql(fmt: str, src: str, delim: str | None) -> str:
    """The DuckDB table function reading the file."""
    if fmt in ("csv", "tsv"):
        d = (delim or ",").replace("'", "''")
        # TSV has no quoting: a cell may start with a quote character
        quoting = "quote='', escape=''" if d == "\t" else "quote='\"', escape='\"'"
        return (
            f"read_csv('{src}', delim='{d}', header=true, {quoting}, all_varchar=true, "
            "store_rejects=true, rejects_table='_pa_reject_errors', rejects_scan='_pa_scan')"
        )
    if fmt == "parquet":
        return f"read_parquet('{src}')"
    kind = "newline_delimited" if fmt == "jsonl" else "array"
    return f"read_json('{src}', format='{kind}', records=true, union_by_name=true, sample_size=-1)"


def _as_text(name: str, type_name: str) -> str:
    """SQL turning one column into text the normalisers read unambiguously."""
    col = _quote(name)
    if type_name == "JSON":  # mixed types under one key: the value itself, without quotes
        return f"json_extract_string({col}, '$')"
    if type_name.startswith(_NUMERIC):  # 45.125 stays 45.125 (never "thousands")
        return f"CASE WHEN isfinite({col}) THEN printf('%.6f', {col}) ELSE {col}::VARCHAR END"
    return f"CAST({col} AS VARCHAR)"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_to_table(con: duckdb.DuckDBPyConnection, path: Path | str, table: str) -> ReadResult:
    """Load ``path`` into the temp table ``table``: the file's columns as VARCHAR, ``__pa_row``
    (the 1-based data row number) and ``__pa_h1, __pa_h2`` (a 128-bit key of the row's content:
    two 64-bit hashes over the columns in opposite orders, computed while reading)."""
    path = Path(path)
    fmt, delim = sniff_format(path)
    with _literal_path(path) as literal:
        return _read(con, path, literal, table, fmt, delim)


@contextmanager
def _literal_path(path: Path) -> Iterator[Path]:
    """A path DuckDB reads literally: its readers expand glob characters (``a*.csv``), so a
    file whose name has them is read through a plainly named link."""
    if not any(ch in str(path) for ch in "*?[]{}"):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="payatlas-") as tmp:
        link = Path(tmp) / ("input" + "".join(path.suffixes[-2:]))
        link.symlink_to(path.resolve())
        yield link


def _read(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    literal: Path,
    table: str,
    fmt: str,
    delim: str | None,
) -> ReadResult:
    src = str(literal).replace("'", "''")
    reader = _reader_sql(fmt, src, delim)
    for name in ("_pa_reject_errors", "_pa_scan"):  # only this scan's errors count
        con.execute(f"DROP TABLE IF EXISTS {name}")
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        columns = [str(r[0]) for r in described]
        if not columns:
            raise UnreadableFile("no columns found", file=str(path))
        reserved = [c for c in columns if c.startswith(RESERVED_PREFIX)]
        if reserved:
            raise UnreadableFile(
                f"column names starting {RESERVED_PREFIX!r} are reserved: {', '.join(reserved)}",
                file=str(path),
            )
        text = ", ".join(
            f"{_as_text(str(n), str(t))} AS {_quote(str(n))}" for n, t, *_ in described
        )
        cols = ", ".join(_quote(c) for c in columns)
        rev = ", ".join(_quote(c) for c in reversed(columns))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_read AS SELECT *, hash({cols}) AS {H1}, "
            f"hash('payatlas', {rev}) AS {H2} FROM (SELECT {text} FROM {reader})"
        )
        bad: list[BadRow] = []
        if fmt in ("csv", "tsv"):
            errs = con.execute(
                "SELECT line, first(error_message ORDER BY column_idx), first(csv_line) "
                "FROM _pa_reject_errors GROUP BY line ORDER BY line"
            ).fetchall()
            if errs:
                rows = _csv_rows_of_lines(literal, delim or ",", {int(e[0]) for e in errs})
                bad = [
                    BadRow(rows[int(line)], _short(msg), str(raw or "").strip("\r\n"))
                    for line, msg, raw in errs
                ]
    except duckdb.Error as exc:
        raise UnreadableFile(f"cannot read as {fmt}: {_short(str(exc))}", file=str(path)) from exc
    _number_rows(con, table, bad)
    count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return ReadResult(fmt, columns, int(count[0]) if count else 0, bad, delim)


def _csv_rows_of_lines(path: Path, delim: str, lines: set[int]) -> dict[int, int]:
    """Data-row numbers (1-based; header and blank lines not counted) of the CSV parser's
    reported ``lines``, which count records and blank lines (1 = the header). Read only when a
    file has unparseable lines."""
    opener = gzip.open if path.suffix == ".gz" else open
    out: dict[int, int] = {}
    with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as fh:
        quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL
        row = -1  # the header is row 0
        for line, record in enumerate(csv.reader(fh, delimiter=delim, quoting=quoting), 1):
            if record:
                row += 1
            if line in lines:
                out[line] = row
                if len(out) == len(lines):
                    break
    return {line: out.get(line, line - 1) for line in lines}


def _number_rows(con: duckdb.DuckDBPyConnection, table: str, bad: list[BadRow]) -> None:
    """Give each parsed row its 1-based data-row number, skipping the numbers of bad rows."""
    if not bad:  # the row numbers are the read table's insertion order: no copy needed
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT *, rowid + 1 AS {ROW} FROM {table}_read"
        )
        return
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT *, rowid + 1 AS {ROW} FROM {table}_read"
    )
    con.execute(f"DROP TABLE {table}_read")
    # the k-th good row sits after every bad row j whose (row_j - j) < k
    last_j: dict[int, int] = {}
    for j, b in enumerate(sorted({b.row: b for b in bad}.values(), key=lambda b: b.row), 1):
        last_j[b.row - j] = j
    con.execute("CREATE OR REPLACE TEMP TABLE _pa_bad(t BIGINT, j BIGINT)")
    con.executemany("INSERT INTO _pa_bad VALUES (?, ?)", [[t, j] for t, j in last_j.items()])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT r.* EXCLUDE ({ROW}), "
        f"r.{ROW} + coalesce(b.j, 0) AS {ROW} FROM {table} r "
        f"ASOF LEFT JOIN _pa_bad b ON r.{ROW} > b.t ORDER BY r.{ROW}"
    )
    con.execute("DROP TABLE _pa_bad")


def _short(message: str) -> str:
    first = io.StringIO(message).readline().strip()
    return first[:200]
