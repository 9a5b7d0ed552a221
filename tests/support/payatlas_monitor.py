"""A home for the monitoring tests (#14), built once per session: the bundled survey split by
arrival. The champion is trained on the submissions that arrived before June 2024 (dataset v1);
v2 holds the ones of June 2024 as they are (the bundled CSV format), v3 the same rows with pay
multiplied by 1.3 (a crafted shift), both ingested by the real `payatlas ingest` command (which
scores a new survey version with the champion before anything trains on it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from payatlas_live import LiveServer, start

from payatlas.bundled import aijobs_path

SPLIT = "2024-06-01"
LATER_END = "2024-07-01"
SHIFT = 1.3
#: small and quick: the monitor is tested, not the model's accuracy
FAST = {"objectives": ["regression"], "num_boost_round": 40, "learning_rate": 0.1}


@dataclass(frozen=True)
class MonitorHome:
    """The built home and its files."""

    home: Path
    earlier: Path
    later: Path
    shifted: Path
    champion: str
    ingest_output: list[str] = field(default_factory=list)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The real `payatlas` command on this home."""
        return run_cli(self.home, *args)


_BUILT: dict[Path, MonitorHome] = {}
EXE = Path(sys.executable).with_name("payatlas")


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`payatlas ARGS` in a subprocess on ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env["PAYATLAS_HOME"] = str(home)
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=300)


def write_split(folder: Path) -> tuple[Path, Path, Path]:
    """The earlier, later and shifted CSV files (the bundled format)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = pd.read_csv(aijobs_path(), dtype=str, keep_default_na=False)
    earlier = rows[rows["first_seen"] < SPLIT]
    later = rows[(rows["first_seen"] >= SPLIT) & (rows["first_seen"] < LATER_END)]
    shifted = later.copy()
    for col in ("salary", "salary_in_usd"):
        shifted[col] = (shifted[col].astype(float) * SHIFT).round().astype(int).astype(str)
    paths = folder / "earlier.csv", folder / "later.csv", folder / "shifted.csv"
    for frame, path in zip((earlier, later, shifted), paths, strict=True):
        frame.to_csv(path, index=False)
    return paths


def monitor_home(base: Path) -> MonitorHome:
    """Build (once per ``base``) the home: v1 earlier + champion, v2 later, v3 shifted."""
    if base in _BUILT:
        return _BUILT[base]
    from payatlas.ingest import ingest
    from payatlas.model import promote, train_candidate
    from payatlas.settings import Settings
    from payatlas.store import Store

    home = base / "monitor-home"
    shutil.rmtree(home, ignore_errors=True)
    earlier, later, shifted = write_split(base / "monitor-files")
    settings = Settings(home=home)
    with Store.open(settings) as store:
        ingest(earlier, store=store)
        record = train_candidate(store, settings, seed=7, params=FAST)
    promote(record.model_id, settings)
    outputs = []
    for path in (later, shifted):
        done = run_cli(home, "ingest", str(path))
        if done.returncode != 0:
            raise RuntimeError(f"payatlas ingest {path.name} failed: {done.stderr}")
        outputs.append(done.stdout + done.stderr)
    _BUILT[base] = MonitorHome(home, earlier, later, shifted, record.model_id, outputs)
    return _BUILT[base]


_SERVERS: dict[Path, LiveServer] = {}


def monitor_server(base: Path) -> LiveServer:
    """A live server on the monitor home (started once per ``base``; stop with
    :func:`stop_monitor_servers`)."""
    found = _SERVERS.get(base)
    if found is None or found.proc.poll() is not None:
        found = start(monitor_home(base).home)
        _SERVERS[base] = found
    return found


def stop_monitor_servers() -> None:
    """Stop every server :func:`monitor_server` started."""
    for server in _SERVERS.values():
        server.stop()
    _SERVERS.clear()
