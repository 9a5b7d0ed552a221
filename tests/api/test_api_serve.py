"""``payatlas serve`` on an empty home: it loads the bundled data, trains and promotes the first
model, then serves the API and the dashboard on 127.0.0.1 (the README's first command)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from payatlas_live import free_port


@pytest.mark.slow
def test_serve_initialises_an_empty_home_and_serves(tmp_path: Path) -> None:
    home = tmp_path / "fresh-home"
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
        deadline = time.monotonic() + 600
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert health is not None, "serve exited or did not answer"
        assert health.status_code == 200
        body = health.json()
        assert body["dataset_version"] == 1
        assert body["champion"], "init trains and promotes the first model"
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 200
        assert "survey records" in page.text
        assert "aijobs.net salary index (CC0)" in page.text
        assert body["champion"] in page.text  # the worked example, estimated by the champion
        assert httpx.get(url + "/static/vendor/plotly.min.js", timeout=10).status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert b"PayAtlas on http://127.0.0.1:" in out
    assert b"51,081 survey records" in out
