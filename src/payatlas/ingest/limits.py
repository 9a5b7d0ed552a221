"""Size limits for files from untrusted sources (API uploads): decompressed bytes and rows.

A gzip file is expanded as a stream with a cap, so a small file that would expand past the limit
is refused after reading at most ``max_bytes`` of its content; a Parquet file is checked from its
footer (row count and uncompressed size) before any of it is read. The exact row count of the
text formats is checked by the pipeline right after reading (:func:`check_rows`).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from payatlas.errors import InputTooLarge, UnreadableFile

GZIP_MAGIC = b"\x1f\x8b"
#: suffixes DuckDB's readers would decompress themselves (only gzip is supported for uploads)
OTHER_COMPRESSION = (".zst", ".zstd")
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """The most a file may hold: ``max_bytes`` of (decompressed) content and ``max_rows`` rows."""

    max_bytes: int
    max_rows: int

    def describe_bytes(self) -> str:
        """The byte limit in MiB, e.g. '50 MiB'."""
        return f"{self.max_bytes / (1 << 20):g} MiB"


def check_file(path: Path, limits: IngestLimits) -> None:
    """Refuse a file whose content is larger than the limits, before it is parsed."""
    if path.name.lower().endswith(OTHER_COMPRESSION):
        raise UnreadableFile("compressed files must be gzip (.gz)", file=path.name)
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head[:2] == GZIP_MAGIC or path.suffix.lower() == ".gz":
        _check_gzip(path, limits)
    elif head == b"PAR1" or path.name.lower().endswith(".parquet"):
        _check_parquet(path, limits)


def check_rows(rows: int, path: Path, limits: IngestLimits) -> None:
    """Refuse a file with more data rows than the limit (after reading)."""
    if rows > limits.max_rows:
        raise InputTooLarge(
            f"{rows:,} rows, more than the limit of {limits.max_rows:,} rows per upload "
            "(PAYATLAS_MAX_UPLOAD_ROWS)",
            file=path.name,
        )


def _check_gzip(path: Path, limits: IngestLimits) -> None:
    """Expand the gzip stream (all members) chunk by chunk, stopping past ``max_bytes``."""
    size = 0
    try:
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise InputTooLarge(
                        f"expands to more than {limits.describe_bytes()} "
                        "(PAYATLAS_MAX_UPLOAD_MB applies to the decompressed content)",
                        file=path.name,
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(f"not a readable gzip file: {exc}", file=path.name) from exc


def _check_parquet(path: Path, limits: IngestLimits) -> None:
    """Rows and uncompressed size from the Parquet footer."""
    src = str(path).replace("'", "''")
    con = duckdb.connect(":memory:")
    try:
        rows = con.execute(f"SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata('{src}')")
        n_rows = int(rows.fetchone()[0])  # type: ignore[index]
        size = con.execute(
            f"SELECT coalesce(sum(total_uncompressed_size), 0) FROM parquet_metadata('{src}')"
        ).fetchone()
        n_bytes = int(size[0]) if size else 0
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0][:200]
        raise UnreadableFile(f"not a readable Parquet file: {first}", file=path.name) from exc
    finally:
        con.close()
    check_rows(n_rows, path, limits)
    if n_bytes > limits.max_bytes:
        raise InputTooLarge(
            f"expands to more than {limits.describe_bytes()} of data "
            "(PAYATLAS_MAX_UPLOAD_MB applies to the uncompressed content)",
            file=path.name,
        )
