"""Counts of comparable records under the privacy threshold never leave the server: API JSON and
the dashboard's estimate page on a live server over the crafted home (cells of 3, 4, 7, 40, 0
records); the OpenAPI schema says the counts are nullable and why."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from payatlas_crafted import FORTY, FOUR, SEVEN, THREE, ZERO, build_crafted_home
from payatlas_live import LiveServer, start

FLAG = "few_comparable_records"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A client on a live server whose only data are the crafted cells."""
    home = build_crafted_home(tmp_path_factory.mktemp("api_privacy_counts"))
    server: LiveServer = start(home)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            yield c
    finally:
        server.stop()


def _estimate(client: httpx.Client, profile: dict[str, str]) -> dict[str, Any]:
    r = client.post("/v1/estimate", json=profile)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_api_estimate_withholds_small_counts(crafted: httpx.Client) -> None:
    three = _estimate(crafted, THREE)
    assert three["n_comparable"] is None and FLAG in three["flags"]
    assert three["n_comparable_note"].startswith("fewer than 5")
    # 43 records, published rounded to a multiple of 5 (payatlas.disclosure)
    assert three["cohort"]["n"] in (40, 45) and three["cohort"]["note"] is None
    four = _estimate(crafted, FOUR)
    assert four["n_comparable"] is None and four["cohort"]["n"] is None
    assert four["cohort"]["note"].startswith("fewer than 5")
    assert _estimate(crafted, SEVEN)["n_comparable"] in (5, 10)
    forty = _estimate(crafted, FORTY)
    assert forty["n_comparable"] == 40 and forty["n_comparable_note"] is None
    assert FLAG not in forty["flags"]
    zero = _estimate(crafted, ZERO)
    assert zero["n_comparable"] == 0 and zero["n_comparable_note"] is None


def test_api_batch_and_offer_withhold_small_counts(crafted: httpx.Client) -> None:
    r = crafted.post("/v1/estimate/batch", json={"profiles": [THREE, FOUR, SEVEN, FORTY, ZERO]})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    seven = _estimate(crafted, SEVEN)["n_comparable"]  # the same rounded count as the batch
    assert [x["n_comparable"] for x in rows] == [None, None, seven, 40, 0]
    notes = [x["n_comparable_note"] for x in rows]
    assert notes[0].startswith("fewer than 5") and notes[1].startswith("fewer than 5")
    assert notes[2:] == [None, None, None]
    r = crafted.post("/v1/offer", json={**FOUR, "amount": 420_000})
    assert r.status_code == 200, r.text
    offer = r.json()
    assert offer["comparable_n"] is None
    assert offer["estimate"]["n_comparable"] is None
    assert offer["estimate"]["cohort"]["n"] is None


def test_dashboard_estimate_page_shows_fewer_than(crafted: httpx.Client) -> None:
    def page(profile: dict[str, str]) -> tuple[str, dict[str, Any]]:
        r = crafted.get("/", params=profile)
        assert r.status_code == 200, r.text[-500:]
        evidence = r.text[r.text.index('id="ev-h"') :]
        evidence = evidence[: evidence.index("</dl>")]
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", evidence)).split())
        island = re.search(r'id="est-data">(.*?)</script>', r.text, re.S)
        assert island is not None
        return text, json.loads(island.group(1))

    text, data = page(FOUR)
    assert "Comparable survey records fewer than 5" in text
    assert "executive): fewer than 5" in text
    assert not re.search(r"records \d", text) and "): 4" not in text
    assert data["n_comparable"] is None and data["cohort"]["n"] is None
    text, data = page(THREE)
    assert (
        "Comparable survey records fewer than 5" in text
        and f": {data['cohort']['n']} survey records" in text
        and data["cohort"]["n"] in (40, 45)
        and "43" not in text
    )
    assert data["n_comparable"] is None
    seven = page(SEVEN)
    assert f"Comparable survey records {seven[1]['n_comparable']} with" in seven[0]
    assert "Comparable survey records 0 with" in page(ZERO)[0]


def test_openapi_says_counts_are_nullable_and_why(crafted: httpx.Client) -> None:
    schemas = crafted.get("/openapi.json").json()["components"]["schemas"]

    def nullable(model: str, field: str) -> str:
        prop = schemas[model]["properties"][field]
        assert {"type": "null"} in prop["anyOf"], prop
        description: str = prop["description"]
        return description

    for model, field in (
        ("Estimate", "n_comparable"),
        ("Cohort", "n"),
        ("BatchRowOut", "n_comparable"),
        ("OfferCheck", "comparable_n"),
    ):
        assert "privacy threshold" in nullable(model, field)
    assert "n_comparable" in nullable("Estimate", "n_comparable_note")
    assert FLAG in schemas["Estimate"]["properties"]["flags"]["description"]
