"""Crash-safe file primitives: nothing half-written is ever where a reader looks.

Every file and folder PayAtlas publishes (model folders, ``registry.json``, a model's
``meta.json``, rejects files) is first written complete under a staging name, flushed to disk
(``fsync``), then moved into place with one atomic ``rename``. A process killed at any moment
(``kill -9``) leaves either the old entry or the new one, plus at most some staging debris that
no reader lists and that :func:`clean_stale` removes on the next start.

Staging names carry the writer's process id (``.p1234.``): debris is removed only when that
process is gone, so a cleanup never touches another live writer's work.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path

#: the staging folder beside the published trees, e.g. ``PAYATLAS_HOME/tmp``
TMP = "tmp"
_PID = re.compile(r"\.p(\d+)\.")


def tmp_dir(root: Path) -> Path:
    """The staging folder under ``root`` (created on demand)."""
    path = root / TMP
    path.mkdir(parents=True, exist_ok=True)
    return path


def staging_name(kind: str, suffix: str = ".tmp") -> str:
    """A unique staging name for this process, e.g. ``model.p1234.9f3a01c2.tmp``."""
    return f"{kind}.p{os.getpid()}.{secrets.token_hex(4)}{suffix}"


def fsync_file(path: Path) -> None:
    """Flush one file's bytes to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (names created or renamed in it) to disk."""
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: Path, text: str, *, staging: Path | None = None) -> None:
    """Replace ``path`` with ``text`` atomically: write a staging file (in ``staging``, default
    ``path``'s own folder under a hidden name), fsync it, ``os.replace`` it onto ``path``, fsync
    the folder. Readers see the old content or the new, never a part."""
    _atomic_write(path, text, staging=staging)


def atomic_write_bytes(path: Path, data: bytes, *, staging: Path | None = None) -> None:
    """Like :func:`atomic_write_text` for bytes (e.g. a compiled model's arrays)."""
    _atomic_write(path, data, staging=staging)


def _atomic_write(path: Path, data: str | bytes, *, staging: Path | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = staging or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / staging_name(f".{path.name}")
    try:
        if isinstance(data, bytes):
            with open(tmp, "wb") as fb:
                fb.write(data)
                fb.flush()
                os.fsync(fb.fileno())
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def publish_file(tmp: Path, path: Path) -> None:
    """Move a complete staging file onto ``path`` (fsync first, then atomic replace)."""
    fsync_file(tmp)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def publish_dir(staging: Path, target: Path) -> bool:
    """Move a complete staging folder to ``target`` in one rename (its files fsynced first).

    Returns False, and removes the staging folder, when ``target`` already exists (the same
    content published before, e.g. a model trained twice with one seed on one dataset)."""
    for path in staging.iterdir():
        fsync_file(path)
    fsync_dir(staging)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists():
            raise FileExistsError(target)
        os.rename(staging, target)
    except OSError:
        if not target.exists():
            raise
        shutil.rmtree(staging, ignore_errors=True)
        return False
    fsync_dir(target.parent)
    return True


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists (this process always counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def is_stale(name: str) -> bool:
    """True for a staging name whose writer process is gone."""
    found = _PID.search(name)
    return found is not None and not pid_alive(int(found.group(1)))


def remove(path: Path) -> None:
    """Remove a file or folder tree, ignoring one that is already gone."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            path.unlink()


def clean_stale(root: Path, *, also: tuple[Path, ...] = ()) -> list[Path]:
    """Remove the staging debris of dead writers: entries of ``root/tmp`` and hidden staging
    files (``.NAME.pPID.*``) directly in the folders ``also``. Returns what was removed."""
    removed: list[Path] = []
    folders = [root / TMP, *also]
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:  # missing, not a folder, unreadable: nothing to clean there
            continue
        for entry in entries:
            staged = folder == root / TMP or entry.name.startswith(".")
            if staged and is_stale(entry.name):
                remove(entry)
                removed.append(entry)
    return removed
