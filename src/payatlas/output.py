"""One type per output, serialised one way.

A library result is a frozen dataclass whose fields are exactly its public JSON: the API route
names the class as its ``response_model`` (pydantic reads the dataclass: field types, the
``Annotated[..., Field(description=...)]`` descriptions and the class docstring make the OpenAPI
schema), ``--json`` prints :func:`to_json` of it and the dashboard templates render its
attributes. Anything derived (a rounding, a formatted amount, a withheld count) is computed when
the result is built, or is a property marked ``@computed_field`` on the type itself (then it is
in the schema and in the JSON, after the fields), so serialising only copies and the three
surfaces cannot drift. Datetimes are ISO 8601 to the second.

Results inherit :class:`Output` for ``as_dict()``; nothing here imports pydantic (a CLI command
that prints JSON does not pay for schema machinery).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from typing import Any

_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool, type(None))


def _computed(cls: type) -> list[str]:
    """The ``@computed_field`` properties of ``cls`` (pydantic's marker, read without pydantic)."""
    out: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            info = getattr(attr, "decorator_info", None)
            if getattr(info, "decorator_repr", None) == "@computed_field" and name not in out:
                out.append(name)
    return out


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = (*(f.name for f in fields(cls)), *_computed(cls))
    return names


def to_json(value: Any) -> Any:
    """``value`` as JSON-ready data: a dataclass as a dict of its fields (in declaration order),
    tuples and lists as lists, dicts with their values converted; scalars as they are."""
    if isinstance(value, _SCALARS):
        return value
    cls = type(value)
    if cls in _FIELDS or (is_dataclass(value) and not isinstance(value, type)):
        return {name: to_json(getattr(value, name)) for name in _names(cls)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Output:
    """Mixin for a library result dataclass: ``as_dict()`` is :func:`to_json` of it."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what the API answers and ``--json`` prints)."""
        out: dict[str, Any] = to_json(self)
        return out


__all__ = ["Output", "to_json"]
