"""A real PayAtlas server (uvicorn subprocess on 127.0.0.1) shared by the API and web tests.

One server per test session: a temp PAYATLAS_HOME holding a copy of the session's bundled store
(and a trained champion when the model package provides one). Both ``tests/api`` and
``tests/web`` import this module, so the server is a module-level singleton.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

#: strong enough for production mode (PAYATLAS_DEV_MODE=0 refuses weak keys)
API_KEY = "pa-test-7Qm2xV9rLk4Tz8Nw3Bh6Jc1Yd5Fs0Gp"
MAX_UPLOAD_MB = 1
MAX_UPLOAD_ROWS = 20_000


@dataclass
class LiveServer:
    """A running server: its base URL, home and key."""

    url: str
    home: Path
    api_key: str
    proc: subprocess.Popen[bytes]
    log: Path
    champion: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def auth(self) -> dict[str, str]:
        """Headers for write endpoints."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def stop(self) -> None:
        """Terminate the server process (idempotent)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


_SERVER: LiveServer | None = None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    """Environment for processes working on ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env.update(
        PAYATLAS_HOME=str(home),
        PAYATLAS_API_KEY=API_KEY,
        PAYATLAS_DEV_MODE="0",
        PAYATLAS_MAX_UPLOAD_MB=str(MAX_UPLOAD_MB),
        PAYATLAS_MAX_UPLOAD_ROWS=str(MAX_UPLOAD_ROWS),
    )
    return env


def prepare_home(home: Path, bundled_db: Path) -> str:
    """Copy the bundled store into ``home``, add the postings test slice, and train + promote a
    model; return its id."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    from payatlas_postings import load_slice

    load_slice(home / "payatlas.duckdb")  # job postings beside the survey, as `init` does (#12)
    return train_champion(home)


#: a small, fast model: these tests check the server, not the model's accuracy
FAST_PARAMS = {"num_boost_round": 40, "objectives": ["regression"]}


def train_champion(home: Path) -> str:
    """Train a small candidate in ``home`` with the model package and promote it."""
    from payatlas.model import promote, train_candidate
    from payatlas.settings import Settings
    from payatlas.store import Store

    settings = Settings(home=home, api_key=API_KEY, dev_mode=False)
    with Store.open(settings) as store:
        record = train_candidate(store, settings, params=FAST_PARAMS)
    promote(record.model_id, settings)
    return record.model_id


def start(home: Path) -> LiveServer:
    """Start uvicorn on a free port and wait until /healthz answers."""
    port = free_port()
    log = home / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "--factory", "payatlas.api:app_from_env",
                "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                "--log-level", "warning",
            ],
            env=server_env(home),
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    server = LiveServer(url=url, home=home, api_key=API_KEY, proc=proc, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def live_server(base: Path, bundled_db: Path) -> LiveServer:
    """The session's server, started on first use."""
    global _SERVER
    if _SERVER is None or _SERVER.proc.poll() is not None:
        home = base / "home"
        champion = prepare_home(home, bundled_db)
        _SERVER = start(home)
        _SERVER.champion = champion
    return _SERVER


def stop_all() -> None:
    """Stop the session's server."""
    if _SERVER is not None:
        _SERVER.stop()
