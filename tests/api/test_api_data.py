"""Health, dataset versions and the ingest upload (auth, size limit, report) on a real server."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlparse

import httpx
from payatlas_live import MAX_UPLOAD_MB, LiveServer


def test_healthz_reports_data(client: httpx.Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["dataset_version"] >= 1


def test_data_versions_lists_the_bundled_ingest(client: httpx.Client) -> None:
    r = client.get("/v1/data/versions")
    assert r.status_code == 200
    body = r.json()
    first = body["versions"][0]
    assert first["version"] == 1
    assert first["accepted"] + first["rejected"] == first["rows_read"]
    assert body["records"] >= first["accepted"] > 50_000
    # job-posting versions (#12) share the numbering; `latest` is the newest survey version
    survey = [v["version"] for v in body["versions"] if v["kind"] == "survey_submission"]
    assert body["latest"] == survey[-1]


def test_ingest_refuses_without_key(client: httpx.Client, examples: Path) -> None:
    files = {"file": ("acme_survey.csv", (examples / "acme_survey.csv").read_bytes())}
    r = client.post("/v1/ingest", files=files)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/v1/ingest", files=files, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert "API key" in r.json()["detail"]


def test_ingest_upload_with_mapping_returns_report(
    client: httpx.Client, server: LiveServer, examples: Path
) -> None:
    before = client.get("/v1/data/versions").json()["versions"][-1]["version"]
    files = {
        "file": ("acme_survey.csv", (examples / "acme_survey.csv").read_bytes(), "text/csv"),
        "mapping": ("acme_mapping.toml", (examples / "acme_mapping.toml").read_bytes()),
    }
    r = client.post("/v1/ingest", files=files, headers=server.auth)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["dataset_version"] == before + 1
    assert report["file"] == "acme_survey.csv"
    assert report["accepted"] + report["rejected"] == report["rows_read"] > 0
    assert str(server.home) not in r.text  # no server paths in the report
    assert client.get("/v1/data/versions").json()["latest"] == before + 1
    # the same file again is refused by the store, as a clear 409
    r = client.post("/v1/ingest", files=files, headers=server.auth)
    assert r.status_code == 409
    assert "already ingested" in r.json()["detail"]


def test_ingest_unreadable_file_is_a_field_error(client: httpx.Client, server: LiveServer) -> None:
    files = {"file": ("notes.csv", b"")}
    r = client.post("/v1/ingest", files=files, headers=server.auth)
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["type"] == "unreadable_file"
    assert "empty" in detail["msg"]
    assert "payatlas-upload" not in r.text  # no server temp paths leak


def test_oversized_upload_is_refused(client: httpx.Client, server: LiveServer) -> None:
    big = b"a,b\n" + b"1,2\n" * ((MAX_UPLOAD_MB << 20) // 4 + 10)
    r = client.post("/v1/ingest", files={"file": ("big.csv", big)}, headers=server.auth)
    assert r.status_code == 413
    assert "larger than" in r.json()["detail"]


def test_oversized_declared_body_refused_before_it_is_sent(server: LiveServer) -> None:
    """A 100 MiB Content-Length gets 413 after the headers alone: the body is never read."""
    host = urlparse(server.url)
    with socket.create_connection((host.hostname, host.port), timeout=5) as s:
        s.sendall(
            b"POST /v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + server.api_key.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 104857600\r\n\r\n--x\r\n"
        )
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413")


def test_chunked_oversized_body_is_cut_off(server: LiveServer) -> None:
    """Without a Content-Length the body is counted as it streams."""

    def chunks() -> object:
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for _ in range(MAX_UPLOAD_MB * 4 + 8):
            yield b"1,2\n" * (64 << 10)

    with httpx.Client(base_url=server.url, timeout=30) as c:
        try:
            r = c.post(
                "/v1/ingest",
                content=chunks(),  # type: ignore[arg-type]
                headers={**server.auth, "Content-Type": "multipart/form-data; boundary=x"},
            )
        except httpx.HTTPError:  # the server may close while we still send: also a refusal
            return
    assert r.status_code == 413


def test_key_is_checked_before_the_body(server: LiveServer) -> None:
    """Without the key a huge declared upload is refused with 401 from the headers alone."""
    host = urlparse(server.url)
    with socket.create_connection((host.hostname, host.port), timeout=5) as s:
        s.sendall(
            b"POST /v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 104857600\r\n\r\n--x\r\n"
        )
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 401")
    assert b"www-authenticate: Bearer" in reply.lower().replace(b"bearer", b"Bearer")
