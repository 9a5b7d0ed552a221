"""One type per output (#9): an answer (API body or ``--json``) is exactly its library type."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import TypeAdapter

from payatlas.output import to_json


def declared(cls: type, body: Any) -> None:
    """Every key of ``body`` is a field (or computed field) of ``cls``, and every field is there."""
    if not dataclasses.is_dataclass(cls) or not isinstance(body, dict):
        return
    names = set(to_json(TypeAdapter(cls).validate_python(body)))
    assert set(body) == names, (cls.__name__, set(body) ^ names)


def check(cls: Any, body: Any) -> Any:
    """``body`` validates against ``cls``, and the value's one JSON form is ``body``, key for
    key (so nothing is answered that the type does not declare). Returns the value."""
    value = TypeAdapter(cls).validate_python(body)
    declared(cls, body)
    assert to_json(value) == body
    return value
