"""Dropping a dataset version through the API (#10): key-guarded, atomic, a typed 422 for a
version the store does not hold; repeat uploads refused whatever the source; duplicates across
files flagged. A server of its own (the session's server is shared and must stay as it is)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from payatlas_live import LiveServer, start
from payatlas_types import check

from payatlas.ingest.report import IngestReport
from payatlas.model.stale import DropReport

MAPPING = (
    b'[source]\nname = "team"\n[columns]\ntitle = "title"\npay = "pay"\ncountry = "country"\n'
    b'date = "date"\n[defaults]\ncurrency = "USD"\nperiod = "year"\n'
)
ROWS = b"title,pay,country,date\n" + b"".join(
    b"Data Scientist,%d,US,2024-05-01\n" % (100_000 + i * 1_000) for i in range(8)
)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("drop_home")
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    server = start(home)
    yield server
    server.stop()


def _upload(
    c: httpx.Client, s: LiveServer, body: bytes, source: str | None = None
) -> httpx.Response:
    files = {"file": ("team.csv", body), "mapping": ("team.toml", MAPPING)}
    data = {"source": source} if source else None
    return c.post("/v1/ingest", files=files, data=data, headers=s.auth)


def test_drop_upload_repeat_and_duplicates_through_the_api(own: LiveServer) -> None:
    with httpx.Client(base_url=own.url, timeout=60) as c:
        first = _upload(c, own, ROWS)
        assert first.status_code == 200, first.text
        version = check(IngestReport, first.json()).dataset_version  # the library's type
        for source in (None, "renamed"):
            again = _upload(c, own, ROWS, source)
            assert again.status_code == 409 and "already ingested" in again.json()["detail"]
        more = _upload(c, own, ROWS + b"ML Engineer,150000,DE,2024-06-01\n")
        assert more.status_code == 200, more.text
        assert more.json()["flags"]["duplicate_across_files"] == 8
        later = more.json()["dataset_version"]

        path = f"/v1/data/versions/{later}/drop"
        assert c.post(path).status_code == 401
        assert c.post(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        done = c.post(path, headers=own.auth)
        assert done.status_code == 200, done.text
        got = done.json()
        assert check(DropReport, got).version == later
        assert (got["version"], got["records"], got["source_file"]) == (later, 9, "team.csv")
        assert got["stale_models"] == [] and got["champion_stale"] is False
        listed = [v["version"] for v in c.get("/v1/data/versions").json()["versions"]]
        assert later not in listed and version in listed

        gone = c.post(path, headers=own.auth)
        assert gone.status_code == 422
        detail = gone.json()["detail"][0]
        assert detail["type"] == "unknown_version" and f"{later} does not exist" in detail["msg"]
        assert c.post("/v1/data/versions/0/drop", headers=own.auth).status_code == 422
        assert c.post("/v1/data/versions/x/drop", headers=own.auth).status_code == 422
