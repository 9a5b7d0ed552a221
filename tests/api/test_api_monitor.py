"""GET /v1/monitor and the alert in /healthz (#14), on a real server: the session's (a champion
trained on every record: nothing new, no alert) and one on the monitoring home (a later version
and a shifted one ingested after the champion), with the schemathesis checks on the latter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pandas as pd
import pytest
from payatlas_live import LiveServer
from payatlas_monitor import MonitorHome, monitor_home, monitor_server, stop_monitor_servers
from schemathesis_run import FuzzCase, run_case

from payatlas.model.monitor import monitor_report
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> MonitorHome:
    return monitor_home(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def monitored(built: MonitorHome, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield monitor_server(tmp_path_factory.getbasetemp())
    stop_monitor_servers()


def test_no_alert_without_large_new_groups(client: httpx.Client, server: LiveServer) -> None:
    """The session's champion trained on every bundled record; uploads by other tests are far
    under 200 records."""
    body = client.get("/v1/monitor").json()
    assert body["champion"] == server.champion
    assert body["alerts"] == []
    health = client.get("/healthz").json()
    assert health["monitor_alerts"] == [] and health["monitor_checked"] is True


def test_an_uploaded_survey_version_is_scored_on_ingest(
    client: httpx.Client, server: LiveServer, built: MonitorHome
) -> None:
    rows = pd.read_csv(built.later, dtype=str, keep_default_na=False).iloc[::40].head(150)
    files = {"file": ("june.csv", rows.to_csv(index=False).encode(), "text/csv")}
    report = client.post("/v1/ingest", files=files, headers=server.auth, timeout=120).json()
    body = client.get("/v1/monitor").json()
    found = next(v for v in body["versions"] if v["dataset_version"] == report["dataset_version"])
    assert found["stored"] is True and found["model_id"] == server.champion
    assert found["records"] == report["accepted"] > 100
    assert report["dataset_version"] in body["new_versions"]
    assert body["alerts"] == []  # at most 150 records: under the 200 an alert needs


def test_monitor_answers_the_library_report(built: MonitorHome, monitored: LiveServer) -> None:
    with httpx.Client(base_url=monitored.url, timeout=60) as client:
        body: dict[str, Any] = client.get("/v1/monitor").json()
        health = client.get("/healthz").json()
    settings = Settings(home=built.home)
    with Store(settings.store_path, read_only=True) as store:
        expected = monitor_report(store, settings).model_dump(mode="json")
    assert body["new_versions"] == expected["new_versions"] == [2, 3]
    assert body["since_champion"] == expected["since_champion"]
    assert [a["message"] for a in body["alerts"]] == [a["message"] for a in expected["alerts"]]
    assert health["monitor_alerts"] == [a["message"] for a in expected["alerts"]]
    assert any(m.startswith("all new records") for m in health["monitor_alerts"])


@pytest.mark.parametrize("path", ["/v1/monitor", "/healthz"])
def test_the_monitor_schema_holds_under_schemathesis(monitored: LiveServer, path: str) -> None:
    sent, failures = run_case(
        FuzzCase("GET", path, "positive", False), url=monitored.url, api_key=None, examples=3
    )
    assert sent >= 1
    assert failures == [], "\n".join(failures[:5])
