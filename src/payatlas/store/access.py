"""One store, many processes.

DuckDB lets one process open a database file read-write *or* any number of processes open it
read-only. PayAtlas builds on that with two cross-process file locks beside the store file
(``filelock``: ``flock`` on POSIX, ``LockFileEx`` on Windows; released by the OS when a process
dies, so a crash never leaves the store locked):

* the **write lock** (``payatlas.duckdb.write.lock``) serialises every write from any surface --
  ingest, init, train, promote -- one at a time. Whoever holds it records what it is doing and
  its pid beside the lock, so a process that has to wait says what for (``waiting for ingest
  survey.csv (pid 4242) to finish``);
* the **read-write lock** (``payatlas.duckdb.rw.lock``) is held, under the write lock, only while
  a process has (or is about to open) the file read-write. Readers wait while it is held; a
  running server (:class:`~payatlas.store.shared.SharedStore`) closes its read-only connection
  when another process takes it and reopens when it is released.

Readers (:func:`open_reader`) open the file read-only and retry briefly while a writer holds it;
writers (:func:`open_writer`) take both locks and retry until the readers still open have
finished. Writes that only read the store (train, promote) take the write lock and a reader.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from payatlas.errors import StoreBusy
from payatlas.settings import Settings
from payatlas.store.duckdb_store import Store
from payatlas.store.rejects import needs_recovery

#: how long a command waits for another process's write before giving up (seconds)
WAIT_SECONDS = 600.0
POLL_SECONDS = 0.05

Note = Callable[[str], None]
_held = threading.local()  # how deep this thread is inside write_lock


def stderr_note(message: str) -> None:
    """The default way to say why a process waits: one line on stderr."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def lock_path(settings: Settings, kind: str) -> Path:
    """The lock file ``kind`` (``write`` or ``rw``) of the settings' store."""
    return settings.store_path.with_name(f"{settings.store_path.name}.{kind}.lock")


def _holder_path(settings: Settings) -> Path:
    return settings.store_path.with_name(f"{settings.store_path.name}.write.json")


def holder(settings: Settings) -> str:
    """What holds the write lock, as recorded by its holder (e.g. ``ingest x.csv (pid 42)``)."""
    try:
        info = json.loads(_holder_path(settings).read_text())
        return f"{info['what']} (pid {info['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another PayAtlas process"


def _acquire(lock: FileLock, *, timeout: float, waiting: Callable[[], str], note: Note) -> None:
    """Take ``lock``; when it is held, say what for once, then wait up to ``timeout``."""
    try:
        lock.acquire(blocking=False)
        return
    except Timeout:
        pass
    what = waiting()
    note(f"waiting for {what} to finish ...")
    try:
        lock.acquire(timeout=timeout, poll_interval=POLL_SECONDS)
    except Timeout as exc:
        raise StoreBusy(
            f"the store is busy: {what} did not finish within {timeout:.0f} s; try again later"
        ) from exc


@contextmanager
def write_lock(
    settings: Settings, what: str, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold the store's write lock while doing ``what`` (e.g. ``"ingest survey.csv"``).

    Re-entrant within a thread (a write that creates or migrates the store on the way); other
    threads of the process wait like other processes do."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth = depth
        return
    settings.store_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(settings, "write"), thread_local=False)
    _acquire(lock, timeout=timeout, waiting=lambda: holder(settings), note=note)
    info = _holder_path(settings)
    _held.depth = 1
    try:
        tmp = info.with_name(f"{info.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "what": what, "since": time.time()}))
        os.replace(tmp, info)
        yield
    finally:
        _held.depth = 0
        with suppress(OSError):
            info.unlink()
        lock.release()


def wait_while_writing(
    settings: Settings, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> None:
    """Return once no process holds the store read-write (take and release its lock)."""
    lock = FileLock(lock_path(settings, "rw"), thread_local=False)
    _acquire(lock, timeout=timeout, waiting=lambda: holder(settings), note=note)
    lock.release()


def connect_reader(
    settings: Settings, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Store:
    """A read-only connection to the settings' store, once no process is writing it. A store
    that does not exist yet, needs migrations or holds a killed ingest's leftovers
    (:func:`~payatlas.store.rejects.needs_recovery`) is created, migrated or repaired first
    (briefly, under the write lock)."""
    deadline = time.monotonic() + timeout
    said = repaired = False
    while True:
        left = max(deadline - time.monotonic(), 0.0)
        if not settings.store_path.is_file():
            with open_writer(settings, "create the store", note=note, timeout=left):
                pass
        wait_while_writing(settings, note=note, timeout=left)
        try:
            store = Store(settings.store_path, read_only=True, threads=settings.threads)
        except StoreBusy:  # a writer took the file between our check and our open
            if time.monotonic() > deadline:
                raise
            if not said:
                note(f"waiting for {holder(settings)} to finish ...")
                said = True
            time.sleep(POLL_SECONDS)
            continue
        if store.needs_migration():
            what = "migrate the store"
        elif not repaired and needs_recovery(store):  # a killed ingest's leftovers
            what, repaired = "repair the store", True  # one try: a reader never loops on it
        else:
            return store
        store.close()
        with open_writer(settings, what, note=note, timeout=left):
            pass


@contextmanager
def open_reader(
    settings: Settings, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Iterator[Store]:
    """:func:`connect_reader`, closed on exit."""
    store = connect_reader(settings, note=note, timeout=timeout)
    try:
        yield store
    finally:
        store.close()


def connect_writer_locked(
    settings: Settings, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Store:
    """A read-write connection (migrated), for a caller that holds the write lock and the
    read-write lock: retries while readers still have the file open read-only."""
    deadline = time.monotonic() + timeout
    said = False
    while True:
        try:
            return Store(settings.store_path, threads=settings.threads)
        except StoreBusy as exc:
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"the store is busy: readers kept it open for {timeout:.0f} s; try again"
                ) from exc
            if not said:
                note("waiting for the store's readers to let go ...")
                said = True
            time.sleep(POLL_SECONDS)


@contextmanager
def read_write_lock(
    settings: Settings, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold the read-write lock (call it holding the write lock): readers wait, a server lets
    go of its read-only connection."""
    lock = FileLock(lock_path(settings, "rw"), thread_local=False)
    _acquire(lock, timeout=timeout, waiting=lambda: "a reader checking the store", note=note)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def open_writer(
    settings: Settings, what: str, *, note: Note = stderr_note, timeout: float = WAIT_SECONDS
) -> Iterator[Store]:
    """Hold the write lock for ``what`` and yield a read-write connection to the store."""
    with (
        write_lock(settings, what, note=note, timeout=timeout),
        read_write_lock(settings, note=note, timeout=timeout),
    ):
        store = connect_writer_locked(settings, note=note, timeout=timeout)
        try:
            yield store
        finally:
            store.close()
