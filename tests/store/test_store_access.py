"""The cross-process store protocol, quickly: readers wait for a writer and say what for; a
writer in another process gets the store from a serving process, which then sees its write."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from payatlas.errors import StoreBusy
from payatlas.settings import Settings
from payatlas.store.access import holder, open_reader, open_writer, write_lock
from payatlas.store.shared import SharedStore

HOLD = """
import sys, time
from pathlib import Path
from payatlas.settings import Settings
from payatlas.store.access import open_writer
settings = Settings(home=Path(sys.argv[1]))
with open_writer(settings, "ingest held.csv") as store:
    store.execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)")
    store.execute("INSERT INTO held VALUES (1)")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def _hold(settings: Settings, seconds: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(settings.home), str(seconds)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_reader_waits_for_a_writer_and_says_what_for(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_writer(settings, "create"):
        pass
    proc = _hold(settings, 1.5)
    notes: list[str] = []
    started = time.monotonic()
    with open_reader(settings, note=notes.append) as store:
        waited = time.monotonic() - started
        assert store.execute("SELECT count(*) FROM held").fetchone() == (1,)
    proc.wait(timeout=30)
    assert waited > 0.5
    assert notes and notes[0].startswith(f"waiting for ingest held.csv (pid {proc.pid})")


def test_a_write_that_cannot_wait_says_who_holds_the_store(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_writer(settings, "create"):
        pass
    proc = _hold(settings, 5)
    try:
        assert holder(settings) == f"ingest held.csv (pid {proc.pid})"
        busy = pytest.raises(StoreBusy, match=r"ingest held.csv \(pid \d+\)")
        with busy, write_lock(settings, "a second write", note=lambda _m: None, timeout=0.3):
            pass
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_a_serving_process_lets_go_for_another_writer_and_sees_its_write(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    shared = SharedStore(settings, note=lambda _m: None)
    try:
        with shared.reading() as store:
            assert store.latest_version() is None
        proc = _hold(settings, 0.5)  # it could not open read-write unless the server let go
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while True:  # the watcher reopens as soon as the write is done
            with shared.reading() as store:
                tables = {r[0] for r in store.execute("SHOW TABLES").fetchall()}
            if "held" in tables or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert "held" in tables
        with shared.writing("ingest (test)") as rw:  # and this process can write too
            rw.execute("INSERT INTO held VALUES (2)")
        with shared.reading() as store:
            assert store.execute("SELECT sum(x) FROM held").fetchone() == (3,)
    finally:
        shared.close()
