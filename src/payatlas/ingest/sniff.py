"""What a UTF-8 text file is: its format and delimiter, and (for CSV/TSV) its header.

The CSV parse itself is DuckDB's, given the dialect and the column names found here, so DuckDB
never sniffs: its sniffer reads the sample several times over (a 1 MB cell took seconds) and
fails a whole file on one unclosed quote or a change of line ending, naming no line.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TextIO

from payatlas.errors import UnreadableFile

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")  # what sniff_format can report
HEAD_BYTES = 65536
MAX_FIELD = 1 << 30  # Python's csv module refuses fields over 128 KiB unless told otherwise


def head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the file (decompressed for ``.gz``)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            return bytes(fh.read(size))
    except (OSError, EOFError) as exc:
        raise UnreadableFile(f"cannot read file: {exc}", file=str(path)) from exc


def is_parquet(path: Path, first: bytes) -> bool:
    """Parquet by its magic bytes or its name."""
    return first[:4] == b"PAR1" or path.name.lower().endswith(".parquet")


def sniff_format(path: Path, *, name: str | None = None) -> tuple[str, str | None]:
    """Return (format, delimiter) from the file's name (``name``: the original file when ``path``
    is a UTF-8 copy of it) and its first bytes, which are UTF-8 here (the reader transcodes
    other encodings first)."""
    if not path.is_file():
        raise UnreadableFile("no such file", file=str(path))
    label = name or str(path)
    lower = Path(label).name.lower().removesuffix(".gz")
    first = head(path)
    if is_parquet(path, first) or lower.endswith(".parquet"):
        return "parquet", None
    text = first.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise UnreadableFile("file is empty", file=label)
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl", None
    if stripped[0] == "[":
        return "json", None
    if stripped[0] == "{":
        first_line = stripped.split("\n", 1)[0].strip()
        if first_line.endswith("}"):
            return "jsonl", None
        raise UnreadableFile(
            "the JSON file is one object, not records: give an array of objects "
            "([{...}, {...}]) or one object per line (JSON lines)",
            file=label,
        )
    if lower.endswith(".json"):
        raise UnreadableFile(
            f"the JSON file holds {stripped.split(None, 1)[0][:20]!r}, not records: give an "
            "array of objects "
            "([{...}, {...}]) or one object per line (JSON lines)",
            file=label,
        )
    if lower.endswith((".tsv", ".tab")):
        return "tsv", "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    return ("tsv" if delim == "\t" else "csv"), _steady_delimiter(sample, delim)


def _steady_delimiter(sample: str, delim: str) -> str:
    """The sniffed delimiter, unless another candidate splits every sampled line alike into
    more fields (a ';' file whose cells hold commas, such as a disclosure extract with
    "MEDTRONIC, INC." and trailing ",,," padding)."""
    lines = [ln for ln in sample.splitlines()[:-1] if ln.strip()] or sample.splitlines()
    if len(lines) < 2:
        return delim

    def steady(d: str) -> int:
        counts = {ln.count(d) for ln in lines}
        return counts.pop() if len(counts) == 1 else 0

    count, best = max((steady(d), d) for d in ",;\t|")
    return best if count > steady(delim) else delim


@contextmanager
def _text(path: Path) -> Iterator[TextIO]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as fh:
        yield fh


def _reader(fh: TextIO, delim: str) -> Iterator[list[str]]:
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL
    old = csv.field_size_limit(MAX_FIELD)
    try:
        yield from csv.reader(fh, delimiter=delim, quoting=quoting)
    finally:
        csv.field_size_limit(old)


def csv_header(path: Path, delim: str, *, file: str) -> list[str]:
    """The column names of a CSV/TSV file: its first non-blank record, each name trimmed; an
    empty name becomes ``column<N>`` (N its 1-based position) and a repeated one (in any case:
    SQL names are case-blind) gets ``_2``, ``_3``, ... ."""
    with _text(path) as fh:
        try:
            record = next((r for r in _reader(fh, delim) if r), None)
        except csv.Error as exc:
            raise UnreadableFile(f"line 1 (the header): {exc}", file=file) from None
    if record is None:
        raise UnreadableFile("file is empty", file=file)
    names: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(record, 1):
        base = raw.strip() or f"column{i}"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        names.append(name)
    return names


def csv_rows_of_lines(path: Path, delim: str, lines: set[int]) -> dict[int, int]:
    """Data-row numbers (1-based; header and blank lines not counted) of the CSV parser's
    reported ``lines``, which count records and blank lines (1 = the header). Read only when a
    file has unparseable lines."""
    out: dict[int, int] = {}
    with _text(path) as fh:
        row = -1  # the header is row 0
        try:
            for line, record in enumerate(_reader(fh, delim), 1):
                if record:
                    row += 1
                if line in lines:
                    out[line] = row
                    if len(out) == len(lines):
                        break
        except csv.Error:
            pass  # past a line Python's parser refuses: the rest use the parser's own numbers
    return {line: out.get(line, line - 1) for line in lines}
