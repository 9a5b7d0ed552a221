"""Read any reasonable file into a DuckDB staging table of text columns, and say what was found.

Formats: CSV, TSV (and other delimiters), JSON array, JSON lines, Parquet; ``.gz`` allowed for
the text formats, in any encoding :mod:`payatlas.ingest.encoding` can tell (a file that is not
UTF-8 is read through a UTF-8 copy). Malformed CSV lines are not dropped: they come back as
rejected rows with their row number and the parser's reason. A CSV file is parsed once, with the
dialect and header found here (DuckDB's own sniffer re-reads and is slow on huge cells).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from payatlas.errors import UnreadableFile
from payatlas.ingest import encoding as enc
from payatlas.ingest import sniff
from payatlas.ingest.sniff import FORMATS, sniff_format

__all__ = ["FORMATS", "BadRow", "ReadResult", "read_to_table", "sniff_format"]


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row the reader itself could not parse."""

    row: int
    reason: str
    raw: str
    kind: str = ""  # the parser's error type (e.g. INVALID ENCODING)


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
    encoding: str = enc.UTF8


ROW, H1, H2 = "__pa_row", "__pa_h1", "__pa_h2"  # internal columns of the staging table
RESERVED_PREFIX = "__pa_"
#: names DuckDB gives a meaning in every table (``rowid`` is the row's position): a file column
#: so named is staged under another name and shown under its own
PSEUDO_COLUMNS = frozenset({"rowid"})
_NUMERIC = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")
MAX_LINE_BYTES = 2_000_000  # DuckDB's CSV line limit: a longer line is one rejected row


def _reader_sql(fmt: str, src: str, delim: str | None, header: list[str] | None) -> str:
    """The DuckDB table function reading the file."""
    if fmt in ("csv", "tsv"):
        d = (delim or ",").replace("'", "''")
        # TSV has no quoting: a cell may start with a quote character
        quoting = "quote='', escape=''" if d == "\t" else "quote='\"', escape='\"'"
        columns = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in header or [])
        return (
            f"read_csv('{src}', delim='{d}', header=true, {quoting}, auto_detect=false, "
            f"columns={{{columns}}}, max_line_size={MAX_LINE_BYTES}, "
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


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _staged(name: str) -> str:
    """The staging table's name for a file column (PSEUDO_COLUMNS are renamed)."""
    return f"{RESERVED_PREFIX}col_{name}" if name.lower() in PSEUDO_COLUMNS else name


def read_to_table(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    table: str,
    *,
    encoding: str | None = None,
    lazy: bool = False,
) -> ReadResult:
    """Load ``path`` into the temp table ``table``: the file's columns as VARCHAR, ``__pa_row``
    (the 1-based data row number) and ``__pa_h1, __pa_h2`` (a 128-bit key of the row's content:
    two 64-bit hashes over the columns in opposite orders, computed while reading).

    ``encoding`` names the file's text encoding; None detects it
    (:func:`payatlas.ingest.encoding.detect`). ``lazy`` stages a Parquet file as a view over the
    file itself (the same text columns and ``__pa_row``, no content key): nothing is copied, each
    statement reads only the columns it needs (a 10M-row file is not materialised as strings);
    for callers that read ``path`` before it can change and need no content key."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile("no such file", file=str(path))
    plain = not any(ch in str(path) for ch in "*?[]{}")  # a glob-like name needs a link
    if lazy and plain and sniff.is_parquet(path, sniff.head(path)):
        viewed = _parquet_view(con, path, table)
        if viewed is not None:
            return viewed
    with tempfile.TemporaryDirectory(prefix="payatlas-read-") as tmp:
        return _read_any(con, path, Path(tmp), table, encoding)


def _parquet_view(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> ReadResult | None:
    """Stage a Parquet file as the temp view ``table`` (text columns and ``__pa_row``); None
    when a column is named as one of DuckDB's pseudo columns (the copying reader renames it)."""
    src = str(path).replace("'", "''")
    reader = f"read_parquet('{src}', file_row_number=true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{src}')").fetchall()
        columns = [str(r[0]) for r in described]
        if not columns:
            raise UnreadableFile("no columns found", file=str(path))
        if any(c.lower() in PSEUDO_COLUMNS for c in columns):
            return None
        reserved = [c for c in columns if c.startswith(RESERVED_PREFIX) or c == "file_row_number"]
        if reserved:
            raise UnreadableFile(
                f"column names starting {RESERVED_PREFIX!r} (and file_row_number) are reserved: "
                f"{', '.join(reserved)}",
                file=str(path),
            )
        text = ", ".join(f"{_as_text(n, t)} AS {_quote(n)}" for n, t, *_ in described)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS "
            f"SELECT {text}, file_row_number + 1 AS {ROW} FROM {reader}"
        )
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    except duckdb.Error as exc:
        raise UnreadableFile(f"cannot read as parquet: {_short(str(exc))}", file=str(path)) from exc
    return ReadResult("parquet", columns, int(count[0]) if count else 0, [], None, "binary")


class _Retry(Exception):
    """The file must be read again through a UTF-8 copy (``encoding``)."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


def _read_any(
    con: duckdb.DuckDBPyConnection, path: Path, tmp: Path, table: str, encoding: str | None
) -> ReadResult:
    file = str(path)
    first = sniff.head(path)
    if sniff.is_parquet(path, first):
        return _read(con, path, _literal(path, tmp), table, "parquet", None, "binary")
    chosen = enc.canonical(encoding, file=file) if encoding else enc.detect(first, file=file)
    copy = chosen != enc.UTF8
    for attempt in (0, 1):
        src = _utf8_copy(path, chosen, tmp) if copy else _literal(path, tmp)
        fmt, delim = sniff_format(src, name=str(path))
        try:
            return _read(con, path, src, table, fmt, delim, chosen, retry=attempt == 0)
        except _Retry as again:  # through a UTF-8 copy with one kind of line end
            chosen, copy = again.encoding, True
    raise AssertionError("unreachable: the second attempt does not retry")


def _literal(path: Path, tmp: Path) -> Path:
    """A path DuckDB reads literally: its readers expand glob characters (``a*.csv``), so a
    file whose name has them is read through a plainly named link."""
    if not any(ch in str(path) for ch in "*?[]{}"):
        return path
    link = tmp / ("input" + "".join(path.suffixes[-2:]))
    if not link.exists():
        link.symlink_to(path.resolve())
    return link


def _utf8_copy(path: Path, encoding: str, tmp: Path) -> Path:
    """The file as UTF-8 (with ``\n`` line ends) in ``tmp``."""
    suffix = "".join(s for s in path.suffixes[-2:] if s != ".gz") or ".txt"
    target = tmp / f"utf8-{encoding}{suffix}"
    if not target.exists():
        enc.transcode(path, encoding, target, file=str(path))
    return target


def _read(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    literal: Path,
    table: str,
    fmt: str,
    delim: str | None,
    encoding: str,
    *,
    retry: bool = False,
) -> ReadResult:
    src = str(literal).replace("'", "''")
    csv_like = fmt in ("csv", "tsv")
    header = sniff.csv_header(literal, delim or ",", file=str(path)) if csv_like else None
    reader = _reader_sql(fmt, src, delim, header)
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
            f"{_as_text(str(n), str(t))} AS {_quote(_staged(str(n)))}" for n, t, *_ in described
        )
        staged = [_quote(_staged(c)) for c in columns]
        cols, rev = ", ".join(staged), ", ".join(reversed(staged))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_read AS SELECT *, hash({cols}) AS {H1}, "
            f"hash('payatlas', {rev}) AS {H2} FROM (SELECT {text} FROM {reader})"
        )
        bad = _bad_rows(con, literal, fmt, delim, file=str(path))
    except duckdb.Error as exc:
        message = str(exc)
        if retry and "invalid state" in message:  # line ends change mid-file: \r\n and \n
            raise _Retry(encoding) from exc
        if retry and fmt in ("json", "jsonl") and "unicode" in message.lower():
            raise _Retry(enc.detect_file(path, file=str(path))) from exc
        raise UnreadableFile(f"cannot read as {fmt}: {_short(message)}", file=str(path)) from exc
    if retry and encoding == enc.UTF8 and any(b.kind == "INVALID ENCODING" for b in bad):
        found = enc.detect_file(path, file=str(path))  # bytes past the sample are not UTF-8
        if found != enc.UTF8:
            raise _Retry(found)
    _number_rows(con, table, bad, columns)
    count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return ReadResult(fmt, columns, int(count[0]) if count else 0, bad, delim, encoding)


def _bad_rows(
    con: duckdb.DuckDBPyConnection, literal: Path, fmt: str, delim: str | None, *, file: str
) -> list[BadRow]:
    """The lines the CSV parser could not split, as rejected rows with their row numbers. An
    unclosed quote is a file error: every later line would be read as part of its cell."""
    if fmt not in ("csv", "tsv"):
        return []
    errs = con.execute(
        "SELECT line, first(error_type ORDER BY column_idx), "
        "first(error_message ORDER BY column_idx), first(csv_line) "
        "FROM _pa_reject_errors GROUP BY line ORDER BY line"
    ).fetchall()
    if not errs:
        return []
    rows = sniff.csv_rows_of_lines(literal, delim or ",", {int(e[0]) for e in errs})
    for line, _kind, msg, _raw in errs:
        if "unterminated quote" in str(msg):
            raise UnreadableFile(
                f"line {line} (row {rows[int(line)]}): a quote opens a cell and is never "
                "closed, so every later line would be part of that cell; close the quote "
                "(or double a quote inside a quoted cell)",
                file=file,
            )
    return [
        BadRow(rows[int(line)], _short(str(msg)), str(raw or "").strip("\r\n")[:10_000], str(kind))
        for line, kind, msg, raw in errs
    ]


def _number_rows(
    con: duckdb.DuckDBPyConnection, table: str, bad: list[BadRow], columns: list[str]
) -> None:
    """Give each parsed row its 1-based data-row number, skipping the numbers of bad rows, and
    give renamed columns (PSEUDO_COLUMNS) their own names back."""
    renamed = [c for c in columns if _staged(c) != c]
    back = "".join(f"{_quote(_staged(c))} AS {_quote(c)}, " for c in renamed)
    drop = f" EXCLUDE ({', '.join(_quote(_staged(c)) for c in renamed)})" if renamed else ""
    select = f"SELECT *{drop}, {back}rowid + 1 AS {ROW} FROM {table}_read"
    if not bad:  # the row numbers are the read table's insertion order: no copy needed
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {select}")
        return
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}")
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
