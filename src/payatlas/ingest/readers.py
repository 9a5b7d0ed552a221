"""Read any reasonable file into a DuckDB staging table of text columns, and say what was found.

Formats: CSV, TSV (and other delimiters), JSON array, JSON lines, Parquet; ``.gz`` allowed for
the text formats. Malformed CSV lines are not dropped: they come back as rejected rows with
their row number and the parser's reason.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from payatlas.errors import UnreadableFile

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row the reader itself could not parse."""

    row: int
    reason: str
    raw: str


@dataclass(slots=True)
class ReadResult:
    """What a reader found: the format, the columns, the row count, and rows it could not parse.

    The staging table has the file's columns as VARCHAR plus ``_row`` (1-based data row number).
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


def _source_sql(fmt: str, src: str, delim: str | None) -> str:
    """A SELECT of the file's columns, all as text."""
    if fmt in ("csv", "tsv"):
        d = (delim or ",").replace("'", "''")
        return (
            f"SELECT * FROM read_csv('{src}', delim='{d}', header=true, quote='\"', "
            "escape='\"', all_varchar=true, store_rejects=true, "
            "rejects_table='_pa_reject_errors', rejects_scan='_pa_scan')"
        )
    if fmt == "parquet":
        return f"SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet('{src}')"
    kind = "newline_delimited" if fmt == "jsonl" else "array"
    return (
        f"SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_json('{src}', format='{kind}', "
        "records=true, union_by_name=true, sample_size=-1)"
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_to_table(con: duckdb.DuckDBPyConnection, path: Path | str, table: str) -> ReadResult:
    """Load ``path`` into the temp table ``table``: the file's columns as VARCHAR, ``_row`` (the
    1-based data row number) and ``_h1, _h2`` (a 128-bit key of the row's content: two 64-bit
    hashes over the columns in opposite orders, computed while reading)."""
    path = Path(path)
    fmt, delim = sniff_format(path)
    src = str(path).replace("'", "''")
    select = _source_sql(fmt, src, delim)
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE {select}").fetchall()]
        if not columns:
            raise UnreadableFile("no columns found", file=str(path))
        cols = ", ".join(_quote(c) for c in columns)
        rev = ", ".join(_quote(c) for c in reversed(columns))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_read AS SELECT *, hash({cols}) AS _h1, "
            f"hash('payatlas', {rev}) AS _h2 FROM ({select})"
        )
        bad: list[BadRow] = []
        if fmt in ("csv", "tsv"):
            errs = con.execute(
                "SELECT DISTINCT line, error_message, csv_line FROM _pa_reject_errors ORDER BY line"
            ).fetchall()
            bad = [BadRow(int(line) - 1, _short(msg), str(raw or "")) for line, msg, raw in errs]
    except duckdb.Error as exc:
        raise UnreadableFile(f"cannot read as {fmt}: {_short(str(exc))}", file=str(path)) from exc
    _number_rows(con, table, bad)
    count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return ReadResult(fmt, columns, int(count[0]) if count else 0, bad, delim)


def _number_rows(con: duckdb.DuckDBPyConnection, table: str, bad: list[BadRow]) -> None:
    """Give each parsed row its 1-based data-row number, skipping the numbers of bad rows."""
    if not bad:  # the row numbers are the read table's insertion order: no copy needed
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT *, rowid + 1 AS _row FROM {table}_read"
        )
        return
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT *, rowid + 1 AS _row FROM {table}_read"
    )
    con.execute(f"DROP TABLE {table}_read")
    # the k-th good row sits after every bad row j whose (row_j - j) < k
    last_j: dict[int, int] = {}
    for j, b in enumerate(sorted(bad, key=lambda b: b.row), 1):
        last_j[b.row - j] = j
    con.execute("CREATE OR REPLACE TEMP TABLE _pa_bad(t BIGINT, j BIGINT)")
    con.executemany("INSERT INTO _pa_bad VALUES (?, ?)", [[t, j] for t, j in last_j.items()])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT r.* EXCLUDE (_row), "
        f"r._row + coalesce(b.j, 0) AS _row FROM {table} r "
        "ASOF LEFT JOIN _pa_bad b ON r._row > b.t ORDER BY r._row"
    )
    con.execute("DROP TABLE _pa_bad")


def _short(message: str) -> str:
    first = io.StringIO(message).readline().strip()
    return first[:200]
