"""``payatlas serve``: it runs ``init_home`` (a no-op on a set-up home), then serves API and
dashboard. The home is a copy of the session server's (data + champion): on an empty home
``init`` would train the full model first, which takes minutes (see benchmarks/http_load.py,
which starts from an empty home)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from payatlas_live import LiveServer, free_port


@pytest.mark.slow
def test_serve_runs_init_then_serves(tmp_path: Path, server: LiveServer) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("payatlas.duckdb", "payatlas.duckdb.wal"):
        if (server.home / name).exists():
            shutil.copyfile(server.home / name, home / name)
    shutil.copytree(server.home / "models", home / "models")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env["PAYATLAS_HOME"] = str(home)
    cli = Path(sys.executable).with_name("payatlas")
    proc = subprocess.Popen(
        [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert health is not None, "serve exited or did not answer"
        assert health.status_code == 200
        assert health.json()["dataset_version"] >= 1
        assert health.json()["champion"] == server.champion
        assert (home / "payatlas.duckdb").is_file()
        page = httpx.get(url + "/explore", timeout=30)
        assert page.status_code == 200
        assert "aijobs.net salary index (CC0)" in page.text
        assert httpx.get(url + "/static/vendor/plotly.min.js", timeout=10).status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert b"PayAtlas on http://127.0.0.1:" in out
