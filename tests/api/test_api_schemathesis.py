"""Property-based run over the live server's OpenAPI schema with every check schemathesis
offers: no 5xx, status codes, content types, response schemas and headers as documented,
schema-valid requests accepted and schema-invalid ones rejected (#15).

Every operation the app declares gets its own test in positive mode, and in negative mode where
there is input to break. Write endpoints are exercised without the key here (they must answer
401, which the schema declares), so the fuzzer cannot train models or add dataset versions to
the shared server; ``benchmarks/schema_fuzz.py`` runs the same checks with the key, at 100
examples per operation, on a server of its own.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from payatlas_live import LiveServer
from schemathesis_run import FuzzCase, all_checks, cases_of, content_refusal, load, run_case

from payatlas.api import create_app
from payatlas.settings import Settings

RAW = create_app(Settings(api_key="schema-only-key-0123456789")).openapi()
CASES = cases_of(RAW)
MAX_EXAMPLES = 30


@pytest.fixture(scope="session")
def api_schema(server: LiveServer) -> Any:
    """The schema the live server publishes."""
    return load(server.url)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_operation_conforms(api_schema: Any, server: LiveServer, case: FuzzCase) -> None:
    sent, failures = run_case(case, url=server.url, api_key=None, examples=MAX_EXAMPLES)
    assert sent >= 1
    assert failures == [], "\n".join(failures[:5])


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    """The published schema and the app agree on the operations tested above."""
    published = {(c.method, c.path) for c in cases_of(api_schema.raw_schema)}
    assert published == {(c.method, c.path) for c in CASES}
    names = {c.__name__ for c in all_checks()}
    assert {"negative_data_rejection", "positive_data_acceptance", "ignored_auth"} <= names


def test_schema_types_are_enforced(server: LiveServer) -> None:
    """The reported disagreements: ``"remote": false`` is not an integer; ``45.0`` is."""
    body = {"role": "ML Engineer", "country": "DE"}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for bad in (False, "50", 4.5):
            answer = client.post("/v1/estimate", json={**body, "remote": bad})
            assert answer.status_code == 422, (bad, answer.text)
        assert client.post("/v1/estimate", json={**body, "remote": 50.0}).status_code == 200
        assert client.get("/v1/benchmarks", params={"level": "lead"}).status_code == 422
        answer = client.get("/v1/benchmarks", params={"role": "0"})
        assert answer.status_code == 422 and content_refusal(answer), answer.text
        same = [
            client.get("/v1/benchmarks", params={"year": y}).json()["overall"]
            for y in ("2022-2024", "2024-2022")
        ]
        assert same[0] == same[1]
