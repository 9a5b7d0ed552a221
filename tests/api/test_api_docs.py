"""docs/api.md documents every route the app publishes (docs that cannot rot)."""

from __future__ import annotations

import re
from pathlib import Path

from payatlas.api import create_app
from payatlas.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_route_in_the_schema_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `([A-Z]+ \S+)`", text, flags=re.MULTILINE))
    paths = create_app(Settings(api_key="schema-only-key")).openapi()["paths"]
    routes = {f"{m.upper()} {p}" for p, methods in paths.items() for m in methods}
    missing = sorted(routes - headings)
    assert not missing, f"routes without a section in docs/api.md: {missing}"
    stale = sorted(headings - routes)
    assert not stale, f"docs/api.md documents routes the app does not have: {stale}"


def test_every_documented_route_has_an_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    for section in sections:
        title = section.splitlines()[0]
        assert "```bash" in section, f"{title}: no example request"
        assert "```json" in section, f"{title}: no example response"


def test_every_page_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for page in ("`/`", "`/explore`", "`/team`", "`/market`", "`/demand`", "`/model`"):
        assert page in text
