"""An ingest is one transaction: killing the process mid-way leaves the previous version intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.store import Store

CHILD = textwrap.dedent(
    """
    import sys
    from payatlas.ingest import ingest
    from payatlas.store import Store
    store = Store(sys.argv[1])
    ingest(sys.argv[2], store=store, progress=lambda m: print(m, flush=True))
    print("committed", flush=True)
    """
)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~1M rows in the bundled layout (the bundled rows repeated), as a CSV."""
    out = tmp_path_factory.mktemp("big") / "big.csv"
    src = str(aijobs_path())
    duckdb.sql(
        f"COPY (SELECT b.* FROM read_csv('{src}', all_varchar=true) b, range(20)) "
        f"TO '{out}' (HEADER)"
    )
    return out


def _state(db: Path) -> tuple[list[int], int, dict[int, int]]:
    with Store(db, read_only=True) as s:
        versions = [v.version for v in s.versions()]
        per_version = dict(
            s.execute("SELECT dataset_version, count(*) FROM records GROUP BY 1").fetchall()
        )
        accepted = {v.version: v.accepted for v in s.versions()}
        assert per_version == {k: n for k, n in accepted.items() if n}, "partial version"
        rejects = s.execute("SELECT count(*) FROM rejects").fetchone()
        return versions, int(rejects[0]) if rejects else 0, per_version


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_signal_mid_ingest_leaves_previous_version(
    tmp_path: Path, big_file: Path, sig: signal.Signals
) -> None:
    db = tmp_path / "payatlas.duckdb"
    with Store(db) as s:
        ingest(aijobs_path(), store=s)
    before = _state(db)
    assert before[0] == [1] and before[2] == {1: 51_081}

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(big_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "writing":  # inside the transaction now
            os.kill(child.pid, sig)
            break
    child.wait(timeout=120)
    out = child.stdout.read()
    assert "committed" not in out
    assert child.returncode != 0

    after = _state(db)
    assert after == before  # version 1 intact, nothing of version 2
    # and the store is still usable: the same file ingests whole afterwards
    with Store(db) as s:
        report = ingest(big_file, store=s)
    assert report.dataset_version == 2 and report.accepted == 20 * 51_081
    assert _state(db)[2] == {1: 51_081, 2: 20 * 51_081}


def test_reader_failure_changes_nothing(store: Store, tmp_path: Path) -> None:
    ingest(aijobs_path(), store=store)
    bad = tmp_path / "broken.json"
    bad.write_text('[{"job_title": "x"}, {"job_title": ')
    from payatlas.errors import UnreadableFile

    with pytest.raises(UnreadableFile, match=r"broken\.json"):
        ingest(bad, store=store)
    assert store.latest_version() == 1 and store.record_count() == 51_081
