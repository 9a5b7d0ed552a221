"""Uploaded files: a safe local name for each, saved to a private temp folder."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from fastapi import UploadFile

#: longest saved name in characters (all ASCII after cleaning, so also bytes): far below the
#: 255-byte limit of common file systems, with room for the temp folder's own name
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None, default: str) -> str:
    """A plain file name from a client's: the last path component (``/`` or ``\\``), letters,
    digits, ``.``, ``_`` and ``-`` only (NUL, control characters, glob characters and anything
    else become ``_``), no leading dot, at most :data:`MAX_NAME` characters keeping the
    extensions (``.csv.gz``) that format sniffing reads."""
    raw = re.split(r"[/\\]", name or "")[-1]
    ascii_name = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    clean = _UNSAFE.sub("_", ascii_name).strip("._ ")
    if not clean:
        return default
    if len(clean) > MAX_NAME:
        suffix = "".join(Path(clean).suffixes[-2:])
        suffix = suffix if len(suffix) <= 16 else ""
        clean = clean[: MAX_NAME - len(suffix)].rstrip("._") + suffix
    return clean


def save_upload(upload: UploadFile, folder: Path, default: str) -> Path:
    """Copy an upload into ``folder`` under :func:`safe_filename` of its own name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_filename(upload.filename, default)
    with open(path, "wb") as out:
        shutil.copyfileobj(upload.file, out)
    return path
