"""Safe defaults (#9 item 6, #15 item 4): production mode refuses weak API keys, and
``payatlas serve`` refuses a non-loopback address with a placeholder key unless --insecure-dev."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from payatlas_live import API_KEY, free_port

from payatlas.cli.serve import check_exposure, is_loopback
from payatlas.errors import UnsafeSettings
from payatlas.settings import Settings, key_entropy_bits, weak_key_reason

WEAK = ["a", "admin", "12345", "dev", "changeme", "", "x" * 40, "ab" * 20,
        "abcdefghijklmnopqrstuvwxyz0123456789", "aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpP",
        "0123456789" * 4, secrets.token_urlsafe(16)]  # fmt: skip
STRONG = [API_KEY, secrets.token_urlsafe(32), secrets.token_hex(32), secrets.token_urlsafe(48)]


@pytest.mark.parametrize("key", WEAK)
def test_production_mode_refuses_weak_keys(key: str) -> None:
    with pytest.raises(UnsafeSettings) as err:
        Settings(api_key=key, dev_mode=False)
    message = str(err.value)
    assert "PAYATLAS_API_KEY" in message
    assert "32 characters" in message and "128 bits" in message
    assert key not in message or len(key) < 3  # the key itself is never echoed


@pytest.mark.parametrize("key", STRONG)
def test_production_mode_accepts_strong_keys(key: str) -> None:
    assert Settings(api_key=key, dev_mode=False).api_key == key
    assert weak_key_reason(key) is None
    assert key_entropy_bits(key) >= 128


def test_dev_mode_allows_weak_keys_but_knows_they_are_weak() -> None:
    settings = Settings(api_key="dev", dev_mode=True)
    assert settings.weak_key
    assert not Settings(api_key=API_KEY, dev_mode=True).weak_key


def test_entropy_estimate_sees_through_repetition() -> None:
    assert key_entropy_bits("Zq8" * 20) < 128 <= key_entropy_bits(secrets.token_urlsafe(32))


def test_environment_with_a_weak_key_fails_with_one_clear_line(tmp_path: Path) -> None:
    env = _env(tmp_path, PAYATLAS_DEV_MODE="0", PAYATLAS_API_KEY="admin")
    out = _payatlas(["data", "versions"], env)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "PAYATLAS_API_KEY has 5 characters" in lines[0]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)
    check_exposure(host, Settings(api_key="dev"), insecure_dev=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_non_loopback_needs_a_strong_key_or_insecure_dev(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(UnsafeSettings, match="--insecure-dev"):
        check_exposure(host, Settings(api_key="dev"), insecure_dev=False)
    check_exposure(host, Settings(api_key="dev"), insecure_dev=True)
    check_exposure(host, Settings(api_key=API_KEY), insecure_dev=False)


def test_serve_on_all_interfaces_with_the_dev_key_refuses_without_binding(tmp_path: Path) -> None:
    port = free_port()
    env = _env(tmp_path)  # the defaults: dev mode, key "dev"
    out = _payatlas(["serve", "--host", "0.0.0.0", "--port", str(port)], env)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "refusing to serve on 0.0.0.0" in lines[0]
    assert "PAYATLAS_API_KEY" in lines[0] and "--insecure-dev" in lines[0]
    assert "PayAtlas on http" not in out.stdout
    assert not (tmp_path / "home").exists(), "nothing is initialised before the check"
    with socket.socket() as s:  # the port was never taken
        s.bind(("0.0.0.0", port))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env.update(PAYATLAS_HOME=str(tmp_path / "home"), COLUMNS="400", **extra)
    return env


def _payatlas(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cli = Path(sys.executable).with_name("payatlas")
    return subprocess.run(
        [str(cli), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
