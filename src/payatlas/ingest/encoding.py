"""Text encodings: tell which one a file is in, and give DuckDB a UTF-8 copy when it is not UTF-8.

DuckDB reads UTF-8 only. A file with a byte-order mark is UTF-8, UTF-16 or UTF-32 as the mark
says; a file without one that decodes as UTF-8 is UTF-8; UTF-16 without a mark is recognised by
its zero bytes; mostly-UTF-8 text with a few broken bytes stays UTF-8 (those rows are rejected);
anything else is a single-byte code page: Windows-1252 (Western European, a
superset of Latin-1's printable characters) when its decoding reads as text, else the code page
charset-normalizer finds, else the file is refused with a clear message. The mapping's
``[source] encoding`` overrides the guess.
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path
from typing import IO, cast

from payatlas.errors import UnreadableFile

UTF8 = "utf-8"
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, UTF8),  # DuckDB skips a UTF-8 mark itself
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: single-byte code pages charset-normalizer may pick when Windows-1252 does not read as text
_CODE_PAGES = ["cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "koi8_r"]
MESS_LIMIT = 0.2  # charset-normalizer's "mess" ratio above which a decoding is not text
CHUNK = 1 << 20


def _open(path: Path) -> IO[bytes]:
    """The file's bytes (decompressed for ``.gz``); the caller closes it."""
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def is_utf8(data: bytes) -> bool:
    """True when ``data`` is UTF-8 (a multi-byte character cut off at the end allowed)."""
    try:
        data.decode(UTF8)
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def canonical(name: str, *, file: str) -> str:
    """The codec name Python knows ``name`` by (an unknown name is a clear error)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UnreadableFile(f"unknown text encoding {name!r}", file=file) from None


def detect(sample: bytes, *, file: str) -> str:
    """The encoding of a file whose first bytes are ``sample`` (see the module docstring)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" not in sample and (is_utf8(sample) or _mostly_utf8(sample)):
        return UTF8
    if b"\x00" in sample:
        return _wide_without_bom(sample, file=file)
    return _code_page(sample, file=file)


def _wide_without_bom(sample: bytes, *, file: str) -> str:
    """UTF-16/32 without a byte-order mark: text whose ASCII characters carry zero bytes."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if half and odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if half and even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    raise UnreadableFile(
        "the file holds zero bytes: it is binary, or UTF-16/UTF-32 text without a byte-order "
        "mark; save it as UTF-8 (or set [source] encoding in the mapping)",
        file=file,
    )


def _code_page(sample: bytes, *, file: str) -> str:
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    western = "cp1252"
    try:
        text = sample.decode(western)
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: Latin-1 has them
        western, text = "latin-1", sample.decode("latin-1")
    if mess_ratio(text, 1.0) < MESS_LIMIT:
        return western
    best = from_bytes(sample, cp_isolation=_CODE_PAGES).best()
    if best is not None and mess_ratio(str(best), 1.0) < MESS_LIMIT:
        return canonical(best.encoding, file=file)
    raise UnreadableFile(
        "cannot tell the file's text encoding: it is not UTF-8, UTF-16 or UTF-32, and no "
        "single-byte code page reads as text; save it as UTF-8 (or set [source] encoding "
        "in the mapping)",
        file=file,
    )


def detect_file(path: Path, *, file: str) -> str:
    """The encoding of a whole file that started like UTF-8 but has other bytes further on:
    judged on the megabyte holding the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    with _open(path) as fh:
        while chunk := fh.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return detect(chunk, file=file)
    return UTF8


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few broken bytes (their rows are rejected) rather than a code page: more
    of its non-ASCII characters decode as UTF-8 than fail to."""
    text = sample.decode(UTF8, errors="replace")
    broken = text.count("\ufffd")
    return sum(ord(ch) > 127 for ch in text) - broken > broken


def transcode(source: Path, encoding: str, target: Path, *, file: str) -> None:
    """Write ``source`` (gzip allowed), read as ``encoding``, to ``target`` as UTF-8; universal
    newlines become ``\\n``. A byte the encoding cannot read is an error naming its line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with _open(source) as src, open(target, "w", encoding=UTF8, newline="") as out:
        pending = ""
        while True:
            chunk = src.read(CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                good = chunk[: max(exc.start, 0)].decode(encoding, errors="ignore")
                raise UnreadableFile(
                    f"line {line + (pending + good).count(chr(10))}: bytes that are not "
                    f"{encoding} text ({exc.reason}); save the file as UTF-8 (or set "
                    "[source] encoding in the mapping)",
                    file=file,
                ) from None
            text = pending + text
            # hold back a final "\r": it may be the first half of "\r\n"
            pending, text = (text[-1:], text[:-1]) if chunk and text.endswith("\r") else ("", text)
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            line += text.count("\n")
            out.write(text)
            if not chunk:
                out.write(pending.replace("\r", "\n"))
                break
