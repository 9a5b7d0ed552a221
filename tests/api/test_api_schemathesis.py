"""Property-based run over the live server's OpenAPI schema: no 5xx, responses match the schema.

Every operation the app declares gets its own test (ids from the app's schema); the schema the
live server publishes drives the generated requests, in positive and negative modes. Write
endpoints are exercised without the key (they must answer 401, which the schema declares), so
the fuzzer cannot train models or add dataset versions to the shared server.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from payatlas_live import LiveServer
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from payatlas.api import create_app
from payatlas.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PATHS = create_app(Settings(api_key="schema-only-key")).openapi()["paths"]
OPERATIONS = [(method.upper(), path) for path, methods in PATHS.items() for method in methods]
# negative data only where there is input to break
CASES = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE
    or {"parameters", "requestBody"} & set(PATHS[path][method.lower()])
]
MAX_EXAMPLES = 25


@pytest.fixture(scope="session")
def api_schema(server: LiveServer) -> Any:
    """The schema the live server publishes, pointed at the server."""
    loaded = schemathesis.openapi.from_url(server.url + "/openapi.json")
    loaded.config.update(base_url=server.url)
    return loaded


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES]
)
def test_operation_conforms(
    api_schema: Any, server: LiveServer, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=30)

    check()


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    """The published schema and the app agree on the operations tested above."""
    published = {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
    }
    assert published == set(OPERATIONS)
