"""Running schemathesis over a live PayAtlas server: the checks, the cases, one run (#15).

Shared by ``tests/api/test_api_schemathesis.py`` (the shared test server, write operations
without the key) and ``benchmarks/schema_fuzz.py`` (its own small server, every operation with
the key, >= 100 examples each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.checks import negative_data_rejection as builtin_negative
from schemathesis.checks import positive_data_acceptance as builtin_positive
from schemathesis.specs.openapi.checks import AcceptedNegativeData, RejectedPositiveData

#: stateful checks (they follow links between operations; the schema declares none)
STATEFUL = {"use_after_free", "ensure_resource_availability", "object_level_authorization"}
#: the typed errors that may refuse a request the schema cannot judge: a value checked against
#: reference data (a role, country, currency or place PayAtlas cannot resolve; a dataset version the
#: store does not hold) or an uploaded file's content. Any other 422 to a schema-valid request
#: (request validation, a generic ``invalid_input``) means schema and behaviour disagree.
CONTENT_ERRORS = frozenset(
    {"unknown_role", "unknown_country", "unknown_currency", "unknown_version",
     "unknown_place", "ambiguous_place", "unknown_skill", "invalid_salary", "invalid_mapping",
     "unreadable_file"}
)  # fmt: skip


def content_refusal(response: Any) -> bool:
    """True for a 422 whose every item is one of :data:`CONTENT_ERRORS`."""
    if response.status_code != 422:
        return False
    try:
        items = response.json()["detail"]
        return bool(items) and all(item["type"] in CONTENT_ERRORS for item in items)
    except (ValueError, KeyError, TypeError):
        return False


def positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's check, except that a schema-valid request may be refused by a typed
    content error (:data:`CONTENT_ERRORS`), which the schema documents as a 422."""
    try:
        return builtin_positive(ctx, response, case)  # type: ignore[no-any-return]
    except RejectedPositiveData:
        if content_refusal(response):
            return None
        raise


def negative_data_rejection(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's check, except that an invalid request whose body is over the upload limit
    may be refused by that limit first (413 ``PayloadTooLarge``, from the headers alone)."""
    try:
        return builtin_negative(ctx, response, case)  # type: ignore[no-any-return]
    except AcceptedNegativeData:
        if response.status_code == 413:
            return None
        raise


@cache
def all_checks() -> list[Any]:
    """Every check the installed schemathesis registers, but the stateful ones (and its
    positive-data check replaced by :func:`positive_data_acceptance`)."""
    load_all_checks()
    out: list[Any] = [
        c
        for c in REGISTRY.get_all()
        if c.__name__ not in STATEFUL and c not in (builtin_positive, builtin_negative)
    ]
    return [*out, positive_data_acceptance, negative_data_rejection]


@dataclass(frozen=True, slots=True)
class FuzzCase:
    """One operation in one generation mode."""

    method: str
    path: str
    mode: str  # "positive" or "negative"
    writes: bool  # the operation needs the key

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} [{self.mode}]"

    @property
    def auth(self) -> bool:
        return self.writes


@cache
def load(url: str) -> Any:
    """The schema the server publishes, pointed at the server."""
    loaded = schemathesis.openapi.from_url(url + "/openapi.json")
    loaded.config.update(base_url=url)
    return loaded


def operations(raw: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation object) for every operation of a raw schema."""
    return [
        (method.upper(), path, op)
        for path, methods in raw["paths"].items()
        for method, op in methods.items()
    ]


def cases_of(raw: dict[str, Any], *, only: str | None = None) -> list[FuzzCase]:
    """Positive cases for every operation, negative ones where there is input to break."""
    out = []
    for method, path, op in operations(raw):
        if only and not re.search(only, path):
            continue
        writes = bool(op.get("security"))
        for mode in ("positive", "negative"):
            if mode == "positive" or {"parameters", "requestBody"} & set(op):
                out.append(FuzzCase(method, path, mode, writes))
    return out


def cases(url: str, *, only: str | None = None) -> Iterator[FuzzCase]:
    """The cases of the server's published schema."""
    yield from cases_of(load(url).raw_schema, only=only)


def run_case(
    case: FuzzCase, *, url: str, api_key: str | None, examples: int
) -> tuple[int, list[str]]:
    """Draw ``examples`` requests for ``case`` and run every check on each; (requests sent,
    one line per failing request). ``api_key`` is sent to write operations when given."""
    operation = load(url)[case.path][case.method]
    mode = GenerationMode.POSITIVE if case.mode == "positive" else GenerationMode.NEGATIVE
    headers = {"Authorization": f"Bearer {api_key}"} if api_key and case.writes else None
    sent: list[int] = []
    failures: list[str] = []

    @given(drawn=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(drawn: Any) -> None:
        sent.append(1)
        try:
            drawn.call_and_validate(base_url=url, headers=headers, checks=all_checks(), timeout=60)
        except (Exception, BaseExceptionGroup) as exc:  # a failed check: keep going
            failures.append(_describe(exc, drawn))

    check()
    return len(sent), failures


def _describe(exc: Exception, drawn: Any) -> str:
    text = " ".join(str(exc).split())
    query = getattr(drawn, "query", None)
    body = getattr(drawn, "body", None)
    return f"{type(exc).__name__}: {text[:600]} | query={query!r} body={str(body)[:200]}"
