"""The server's store: one read-only connection shared by the request threads, let go whenever
any process needs to write (see :mod:`payatlas.store.access` for the protocol).

Requests hold a *read lease* (:meth:`SharedStore.reading`) while they use the connection. A
write from this process (:meth:`SharedStore.writing`) takes the write lock, waits for the leases
to end, closes the read-only connection, writes on a read-write one and reopens read-only. A
watcher thread notices when *another* process takes the read-write lock (a CLI ingest), lets go
of the connection the same way and reopens it when that write is done; requests meanwhile wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from payatlas.settings import Settings
from payatlas.store.access import (
    POLL_SECONDS,
    Note,
    connect_reader,
    connect_writer_locked,
    lock_path,
    read_write_lock,
    stderr_note,
    write_lock,
)
from payatlas.store.duckdb_store import Store

log = logging.getLogger(__name__)


class SharedStore:
    """A read-only store connection for a threaded server, released for writers."""

    def __init__(self, settings: Settings, *, note: Note = stderr_note) -> None:
        self.settings = settings
        self._note = note
        self._cond = threading.Condition()
        self._readers = 0
        self._exclusive = False
        self._writing = 0  # writes by this process in progress (the watcher leaves them be)
        self._store: Store | None = None
        self._version: int | None = None
        self._open()
        self._stop = threading.Event()
        self._watcher = threading.Thread(
            target=self._watch, name="payatlas-store-watcher", daemon=True
        )
        self._watcher.start()

    # -- leases -----------------------------------------------------------------------
    def try_lease(self) -> Store | None:
        """A read lease if one is free right now (no write running), else None; never waits.
        End it with :meth:`release`."""
        with self._cond:
            if self._exclusive or self._store is None:
                return None
            self._readers += 1
            return self._store

    def lease(self) -> Store:
        """A read lease, waiting while a write runs. End it with :meth:`release`."""
        with self._cond:
            while self._exclusive or self._store is None:
                self._cond.wait()
            self._readers += 1
            return self._store

    def release(self) -> None:
        """End a read lease."""
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The read-only store, held open until the block ends (waits while a write runs)."""
        store = self.lease()
        try:
            yield store
        finally:
            self.release()

    @contextmanager
    def _alone(self) -> Iterator[None]:
        """No read lease while inside (new ones wait; current ones are waited for)."""
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._exclusive = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _open(self) -> None:
        self._store = connect_reader(self.settings, note=self._note)
        # the data cannot change while this connection is open: a write needs it closed
        self._version = self._store.latest_version()

    def _reopen(self) -> None:
        self._close()
        self._open()

    def latest_version(self) -> int | None:
        """The store's newest dataset version (read when the connection was opened)."""
        return self._version

    # -- writes -----------------------------------------------------------------------
    @contextmanager
    def writing(self, what: str) -> Iterator[Store]:
        """Write from this process: the write lock for ``what``, then a read-write connection
        (read leases wait until it is closed and the read-only one reopened)."""
        with write_lock(self.settings, what, note=self._note):
            # holding the write lock, no other process can take the read-write lock
            with self._cond:
                self._writing += 1
            try:
                with self._alone():
                    self._close()
                    try:
                        with read_write_lock(self.settings, note=self._note):
                            store = connect_writer_locked(self.settings, note=self._note)
                            try:
                                yield store
                            finally:
                                store.close()
                    finally:
                        self._open()
            finally:
                with self._cond:
                    self._writing -= 1

    @contextmanager
    def serialised(self, what: str) -> Iterator[Store]:
        """A write that only reads the store (train, promote): the write lock, then a lease."""
        with write_lock(self.settings, what, note=self._note), self.reading() as store:
            yield store

    # -- the watcher ------------------------------------------------------------------
    def _watch(self) -> None:
        probe = FileLock(lock_path(self.settings, "rw"), thread_local=False)
        while not self._stop.wait(POLL_SECONDS):
            try:
                self._let_go_for_others(probe)
            except Exception:  # keep watching; the next request reopens or reports
                log.exception("store watcher")

    def _someone_else_writes(self, probe: FileLock) -> bool:
        if self._writing:
            return False
        try:
            probe.acquire(blocking=False)
        except Timeout:
            return True
        probe.release()
        return False

    def _let_go_for_others(self, probe: FileLock) -> None:
        if not self._someone_else_writes(probe):
            return
        with self._alone():
            if not self._someone_else_writes(probe):
                return
            self._close()
            while not self._stop.is_set():
                try:
                    probe.acquire(timeout=0.5, poll_interval=POLL_SECONDS)
                except Timeout:
                    continue
                probe.release()
                break
            if not self._stop.is_set():
                self._reopen()

    def close(self) -> None:
        """Stop watching and close the connection."""
        self._stop.set()
        self._watcher.join(timeout=5)
        with self._alone():
            self._close()
