"""The suggested mapping as TOML: each section, and a comment on every line saying what was
guessed and why (for ``payatlas mapping suggest``)."""

from __future__ import annotations

import json
from typing import Any


class Builder:
    """Collects the mapping's sections and a comment per line."""

    def __init__(self) -> None:
        self.columns: dict[str, str | list[str]] = {}
        self.why: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        self.default_why: dict[str, str] = {}
        self.clean: dict[str, dict[str, Any]] = {}
        self.clean_why: dict[str, list[str]] = {}
        self.source: dict[str, str] = {}
        self.notes: list[str] = []
        self.todo: list[str] = []

    def take(self, name: str, column: str | list[str], why: str) -> None:
        self.columns[name] = column
        self.why[name] = why

    def cleaning(self, name: str, key: str, value: Any, why: str) -> None:
        self.clean.setdefault(name, {})[key] = value
        self.clean_why.setdefault(name, []).append(why)

    def default(self, name: str, value: str, why: str) -> None:
        self.defaults[name] = value
        self.default_why[name] = why

    def toml(self, file: str, rows: int) -> str:
        q = json.dumps
        out = [f"# Mapping suggested by `payatlas mapping suggest` for {file} ({rows:,} rows).",
               "# Review every line: the comments say what was guessed and why.", ""]  # fmt: skip
        out += ["[source]", f"name = {q(self.source['name'])}"]
        if "date_order" in self.source:
            out.append(f"date_order = {q(self.source['date_order'])}  # "
                       f"{self.source['date_order_why']}")  # fmt: skip
        out += ["", "[columns]"]
        for name, col in self.columns.items():
            value = q(col) if isinstance(col, str) else "[" + ", ".join(q(c) for c in col) + "]"
            out.append(f"{name} = {value}  # {self.why[name]}")
        out += [f"# {line}" for line in self.todo]
        if self.defaults:
            out += ["", "[defaults]"]
            for name, value in self.defaults.items():
                out.append(f"{name} = {q(value)}  # {self.default_why[name]}")
        for name, spec in self.clean.items():
            out += ["", f"[clean.{name}]"]
            out += [f"# {why}" for why in self.clean_why[name]]
            for key, value in spec.items():
                if isinstance(value, dict):
                    inner = ", ".join(f"{q(k)} = {q(v)}" for k, v in value.items())
                    out.append(f"{key} = {{ {inner} }}")
                elif isinstance(value, list):
                    out.append(f"{key} = [" + ", ".join(q(v) for v in value) + "]")
                else:
                    out.append(f"{key} = {q(value)}")
        return "\n".join(out) + "\n"
