"""kill -9 at any moment of `payatlas ingest`, `train` or `promote` leaves nothing a later command
trips on (#15).

Each test runs the real CLI as a subprocess on its own PAYATLAS_HOME (a 1,200-row slice of the
bundled data), kills it with SIGKILL after a delay drawn across the measured length of a whole
run (seeded, so a failure replays), and then checks that ``payatlas models``, ``payatlas data
versions``, a new ingest/train/promote and the API's ``/v1/models`` and ``/model`` answer
cleanly and that the store, the registry and the published files are consistent.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from payatlas_live import API_KEY, FAST_PARAMS, server_env, start

from payatlas.bundled import aijobs_path
from payatlas.durable import atomic_write_text, clean_stale, is_stale, staging_name
from payatlas.model import train_candidate
from payatlas.model.registry import champion_id, promotion_log, read_manifest, registry_lock
from payatlas.settings import Settings
from payatlas.store import Store
from payatlas.store.rejects import needs_recovery

CLI = str(Path(sys.executable).with_name("payatlas"))
ROWS = 1_200
TRIALS = 3  # kills per command (each at a fresh random moment)
COUNT = "SELECT dataset_version, count(*) FROM"


def _cli(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [CLI, *args],
        env=server_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _ok(home: Path, *args: str) -> Any:
    """Run a command with ``--json`` that must succeed; its JSON output."""
    done = _cli(home, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _timed(home: Path, *args: str) -> float:
    """Run a command to completion; how long it took."""
    started = time.monotonic()
    _ok(home, *args)
    return time.monotonic() - started


def _kill_after(home: Path, args: list[str], delay: float) -> bool:
    """Start ``payatlas ARGS``, SIGKILL it after ``delay`` seconds; True if it was killed."""
    proc = subprocess.Popen(
        [CLI, *args],
        env=server_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)  # reaped: its pid is gone
    return proc.returncode == -signal.SIGKILL


def _delays(rng: random.Random, full: float) -> list[float]:
    """One delay per trial, spread over the run (startup excluded: it writes nothing)."""
    return [full * rng.uniform(0.25 + 0.7 * i / TRIALS, 0.25 + 0.7 * (i + 1) / TRIALS)
            for i in range(TRIALS)]  # fmt: skip


def _slice(path: Path, *, offset: int = 0) -> Path:
    src = str(aijobs_path()).replace("'", "''")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true) LIMIT {ROWS} OFFSET {offset}) "
        f"TO '{path}' (HEADER)"
    )
    return path


@pytest.fixture(scope="module")
def base_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home holding the slice as dataset version 1 (no models)."""
    root = tmp_path_factory.mktemp("crash")
    home = root / "home"
    _ok(home, "ingest", str(_slice(root / "slice.csv")))
    return home


@pytest.fixture
def crash_home(base_home: Path, tmp_path: Path) -> Path:
    """A copy of the base home for one test."""
    home = tmp_path / "home"
    shutil.copytree(base_home, home)
    return home


def _debris(home: Path) -> list[str]:
    """Staging entries left by processes that are gone."""
    names = [p.name for p in (home / "tmp").glob("*")] if (home / "tmp").is_dir() else []
    names += [p.name for p in (home / "rejects").glob("*.tmp")]
    names += [p.name for p in (home / "models").glob(".staging-*")]
    return [n for n in names if is_stale(n) or n.endswith(".csv.tmp") or n.startswith(".staging")]


def _assert_models_clean(home: Path) -> list[dict[str, Any]]:
    """`payatlas models` answers; it lists every model folder and only complete ones; the
    registry names a listed champion (or none)."""
    listed = _ok(home, "models")
    folders = sorted(p.name for p in (home / "models").glob("*") if p.is_dir())
    folders = [f for f in folders if not f.startswith(".")]
    assert sorted(m["model_id"] for m in listed) == folders
    for name in folders:
        assert read_manifest(home / "models" / name) is not None, f"incomplete model {name}"
    settings = Settings(home=home)
    champion = champion_id(settings)
    champions = [m["model_id"] for m in listed if m["champion"]]
    assert champions == ([champion] if champion else [])
    log = promotion_log(settings)
    if log and log[-1]["model_id"] != champion:  # killed between the log and the alias
        with registry_lock(settings):  # the next promotion finishes it
            pass
        assert champion_id(settings) == log[-1]["model_id"]
    return list(listed)


def _assert_store_clean(home: Path) -> list[dict[str, Any]]:
    """`payatlas data versions` answers (and, opening the store for writing, repairs published
    files); versions are 1..n, each whole, each with its rejects file; no staging debris."""
    versions = _ok(home, "data", "versions")
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    with Store(home / "payatlas.duckdb", read_only=True) as store:
        per = dict(
            store.execute("SELECT dataset_version, count(*) FROM records GROUP BY 1").fetchall()
        )
        rej = dict(
            store.execute("SELECT dataset_version, count(*) FROM rejects GROUP BY 1").fetchall()
        )
    for v in versions:
        assert per.get(v["version"], 0) == v["accepted"], "a partial version"
        assert rej.get(v["version"], 0) == v["rejected"]
        rejects = home / "rejects" / f"v{v['version']}.csv"
        assert rejects.is_file(), f"no rejects file for version {v['version']}"
        assert len(rejects.read_text().splitlines()) >= 1 + v["rejected"]
    assert _debris(home) == []
    return list(versions)


def _assert_api_clean(home: Path) -> None:
    """The API's model list and the dashboard's model page answer 200."""
    server = start(home)
    try:
        listed = httpx.get(server.url + "/v1/models", timeout=30)
        assert listed.status_code == 200, listed.text
        page = httpx.get(server.url + "/model", timeout=30)
        assert page.status_code == 200, page.text
    finally:
        server.stop()


@pytest.mark.slow
def test_kill_during_ingest(crash_home: Path, tmp_path: Path) -> None:
    rng = random.Random(1501)
    files = [_slice(tmp_path / f"part{i}.csv", offset=ROWS * (i + 1)) for i in range(TRIALS + 2)]
    full = _timed(crash_home, "ingest", str(files[0]))
    killed = 0
    for path, delay in zip(files[1:], _delays(rng, full), strict=False):
        killed += _kill_after(crash_home, ["ingest", str(path), "--json"], delay)
        _assert_store_clean(crash_home)
    assert killed >= TRIALS // 2, "the kills came too late to test anything"
    before = len(_assert_store_clean(crash_home))
    report = _ok(crash_home, "ingest", str(files[-1]))
    assert report["dataset_version"] == before + 1
    assert Path(report["rejects_file"]).is_file()
    assert len(_assert_store_clean(crash_home)) == before + 1


@pytest.mark.slow
def test_kill_during_train(crash_home: Path) -> None:
    rng = random.Random(1502)
    full = _timed(crash_home, "train", "--seed", "1")
    killed = 0
    for i, delay in enumerate(_delays(rng, full)):
        killed += _kill_after(crash_home, ["train", "--seed", str(10 + i), "--json"], delay)
        assert len(_assert_models_clean(crash_home)) >= 1
    assert killed >= TRIALS // 2, "the kills came too late to test anything"
    first = _ok(crash_home, "models")[-1]["model_id"]
    _ok(crash_home, "promote", first)
    (new,) = _fast_models(crash_home, seeds=(2,))  # a new train works and cleans up
    assert new in {m["model_id"] for m in _assert_models_clean(crash_home)}
    assert _debris(crash_home) == []
    _assert_api_clean(crash_home)


@pytest.mark.slow
def test_kill_during_promote(crash_home: Path) -> None:
    rng = random.Random(1503)
    ids = _fast_models(crash_home, seeds=(1, 2))  # the kills here are of `promote`
    full = _timed(crash_home, "promote", ids[0])
    killed = 0
    for i, delay in enumerate(_delays(rng, full)):
        target = ids[(i + 1) % 2]
        killed += _kill_after(crash_home, ["promote", target, "--force", "--json"], delay)
        listed = _assert_models_clean(crash_home)
        assert sum(m["champion"] for m in listed) == 1
    assert killed >= TRIALS // 2, "the kills came too late to test anything"
    current = next(m["model_id"] for m in _ok(crash_home, "models") if m["champion"])
    other = ids[1] if current == ids[0] else ids[0]
    assert _ok(crash_home, "promote", other, "--force")["champion"] is True
    listed = _assert_models_clean(crash_home)
    assert [m["model_id"] for m in listed if m["champion"]] == [other]
    assert _debris(crash_home) == []
    _assert_api_clean(crash_home)


def _fast_models(home: Path, *, seeds: tuple[int, ...]) -> list[str]:
    settings = Settings(home=home, api_key=API_KEY, dev_mode=False)
    with Store.open(settings, read_only=True) as store:
        return [
            train_candidate(store, settings, seed=seed, params=FAST_PARAMS).model_id
            for seed in seeds
        ]


# -- what the kills of the old layout left, and the primitives ---------------------------------


def test_half_written_models_are_not_listed_and_are_cleared(crash_home: Path) -> None:
    """The reported failure: a model folder without a complete manifest (the old
    ``models/.staging-*`` without ``created_at``, or a half-copied folder) made `payatlas models`
    traceback and the API answer 500."""
    models = crash_home / "models"
    legacy = models / ".staging-1-42"
    legacy.mkdir(parents=True)
    (legacy / "meta.json").write_text(json.dumps({"model_id": "", "data_version": 1}))
    (legacy / "booster-0.txt").write_text("tree\n")
    half = models / "v1-0123456789"
    half.mkdir()
    (half / "meta.json").write_text('{"model_id": "v1-0123456789", "data_vers')
    (models / f"registry.json.{_dead_pid()}.tmp").write_text("{")
    assert _ok(crash_home, "models") == []
    done = _cli(crash_home, "promote", "v1-0123456789")
    assert done.returncode == 1 and "no model" in done.stderr
    _assert_api_clean(crash_home)
    assert not legacy.exists()  # promote cleared the old layout's debris
    assert not list(models.glob("registry.json.*.tmp"))


def test_killed_ingest_debris_is_repaired_on_open(base_home: Path, tmp_path: Path) -> None:
    """A committed version whose rejects file was never moved into place gets it back from the
    store's rejects table; staging files of dead processes (and the old ``vN.csv.tmp``) go."""
    home = tmp_path / "home"
    shutil.copytree(base_home, home)
    final = home / "rejects" / "v1.csv"
    content = final.read_text()
    final.unlink()
    (home / "rejects" / "v2.csv.tmp").write_text("row,field\n")
    stale = home / "tmp" / f"rejects-v2.p{_dead_pid()}.0000.csv"
    live = home / "tmp" / staging_name("rejects-v3", suffix=".csv")
    for path in (stale, live):
        path.parent.mkdir(exist_ok=True)
        path.write_text("row\n")
    with Store(home / "payatlas.duckdb"):
        pass
    assert final.read_text() == content
    assert not (home / "rejects" / "v2.csv.tmp").exists() and not stale.exists()
    assert live.exists()  # this process is alive: its staging file is kept


def test_a_reader_repairs_killed_ingest_debris(base_home: Path, tmp_path: Path) -> None:
    """`payatlas data versions` opens read-only, yet a killed ingest's leftovers (a dead
    writer's staging file, a committed version without its rejects file) are gone after it:
    the reader finds them and repairs them under a brief write."""
    home = tmp_path / "home"
    shutil.copytree(base_home, home)
    final = home / "rejects" / "v1.csv"
    content = final.read_text()
    final.unlink()
    stale = home / "tmp" / f"rejects-v2.p{_dead_pid()}.0000.csv"
    stale.parent.mkdir(exist_ok=True)
    stale.write_text("row\n")
    settings = Settings(home=home)
    with Store(settings.store_path, read_only=True) as store:
        assert needs_recovery(store)
    assert [v["version"] for v in _ok(home, "data", "versions")] == [1]
    assert final.read_text() == content and not stale.exists()
    with Store(settings.store_path, read_only=True) as store:
        assert not needs_recovery(store)


def test_atomic_write_leaves_old_or_new(tmp_path: Path) -> None:
    target = tmp_path / "registry.json"
    atomic_write_text(target, "old\n", staging=tmp_path / "tmp")
    atomic_write_text(target, "new\n", staging=tmp_path / "tmp")
    assert target.read_text() == "new\n"
    assert list((tmp_path / "tmp").iterdir()) == []
    with pytest.raises(IsADirectoryError):
        atomic_write_text(tmp_path / "tmp", "x")  # cannot replace a folder: nothing left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.json", "tmp"]


def test_clean_stale_spares_live_writers(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    dead = tmp_path / "tmp" / f"model.p{_dead_pid()}.abcd"
    dead.mkdir()
    (dead / "meta.json").write_text("{}")
    mine = tmp_path / "tmp" / staging_name("model", suffix="")
    mine.mkdir()
    hidden = tmp_path / f".meta.json.p{_dead_pid()}.ab.tmp"
    hidden.write_text("{")
    assert sorted(clean_stale(tmp_path, also=(tmp_path,))) == sorted([dead, hidden])
    assert mine.exists()


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    pid = proc.pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    pytest.skip("pid reused at once")
