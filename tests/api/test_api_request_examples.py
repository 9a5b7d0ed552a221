"""Every request body in /openapi.json has an example, and it is an answer, not a 422.

Swagger UI's "Try it out" fills the body from these examples, so each one is sent to the live
server as published: open routes must answer 2xx; key-protected ones answer 401 without the key
(they train or promote, so the example is validated by its model instead of being run).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import payatlas.api.schemas as api_schemas
import payatlas.schema as core_schema


@pytest.fixture(scope="module")
def openapi(server: Any) -> dict[str, Any]:
    return dict(httpx.get(server.url + "/openapi.json", timeout=30).json())


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The component name and schema behind a $ref (or the first $ref of an anyOf)."""
    for option in [schema, *schema.get("anyOf", [])]:
        ref = option.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            return name, spec["components"]["schemas"][name]
    return None, schema


def body_example(spec: dict[str, Any], media: dict[str, Any]) -> tuple[str | None, Any]:
    """What Swagger UI puts in the body: the media type's example, else the schema's first."""
    if "example" in media:
        return None, media["example"]
    if media.get("examples"):
        return None, next(iter(media["examples"].values()))["value"]
    name, schema = resolve(spec, media["schema"])
    examples = schema.get("examples") or []
    return name, examples[0] if examples else None


def query_example(op: dict[str, Any]) -> dict[str, Any]:
    """Query parameters filled from their schema examples."""
    out: dict[str, Any] = {}
    for param in op.get("parameters", []):
        examples = param.get("schema", {}).get("examples")
        if param["in"] == "query" and examples:
            out[param["name"]] = examples[0]
    return out


def test_every_json_request_body_has_an_example_that_is_answered(
    openapi: dict[str, Any], server: Any
) -> None:
    checked, problems = [], []
    for method, path, op in operations(openapi):
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        name, example = body_example(openapi, content["application/json"])
        if example is None:
            problems.append(f"{method} {path}: no request example")
            continue
        protected = bool(op.get("security"))
        url = server.url + path.replace("{model_id}", server.champion or "m")
        answer = httpx.request(method, url, json=example, params=query_example(op), timeout=60)
        want = (401,) if protected else (200, 201, 202)
        if answer.status_code not in want:
            problems.append(
                f"{method} {path}: example answered {answer.status_code}: {answer.text}"
            )
        if protected and name is not None:  # not run: validated by the model the route parses
            model = getattr(api_schemas, name, None) or getattr(core_schema, name)
            model.model_validate(example)
        checked.append(f"{method} {path}")
    assert not problems, "\n".join(problems)
    assert {"POST /v1/estimate", "POST /v1/offer", "POST /v1/team-cost"} <= set(checked)
    assert {"POST /v1/estimate/batch", "POST /v1/models/train"} <= set(checked)


def test_open_bodies_answer_with_figures(openapi: dict[str, Any], server: Any) -> None:
    ops = {f"{m} {p}": op for m, p, op in operations(openapi)}
    sent = {}
    for key in ("POST /v1/estimate", "POST /v1/offer"):
        _, example = body_example(openapi, ops[key]["requestBody"]["content"]["application/json"])
        sent[key] = httpx.post(server.url + key.split()[1], json=example, timeout=60).json()
    estimate, offer = sent["POST /v1/estimate"], sent["POST /v1/offer"]
    assert 0 < estimate["p10"] < estimate["p50"] < estimate["p90"]
    assert 0 <= offer["percentile"] <= 100 and offer["verdict"]


def test_query_examples_are_answered(openapi: dict[str, Any], server: Any) -> None:
    asked = []
    for method, path, op in operations(openapi):
        params = query_example(op)
        if method != "GET" or not params:
            continue
        answer = httpx.get(server.url + path, params=params, timeout=60)
        assert answer.status_code == 200, f"GET {path} {params}: {answer.status_code} {answer.text}"
        asked.append(path)
    assert {"/v1/benchmarks", "/v1/trends", "/v1/premiums", "/v1/indicators"} <= set(asked)


def test_uploads_are_key_protected_without_a_json_example(openapi: dict[str, Any]) -> None:
    # the one multipart body (a file upload) has no JSON example to send; it needs the key
    for method, path, op in operations(openapi):
        content = op.get("requestBody", {}).get("content", {})
        if content and "application/json" not in content:
            assert "multipart/form-data" in content, f"{method} {path}"
            assert op.get("security"), f"{method} {path} takes an upload without the key"
