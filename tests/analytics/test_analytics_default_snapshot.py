"""The default outputs for the bundled store are unchanged by the source and kind filters
(#10): the survey, all its sources, exactly as the fixture recorded them."""

from __future__ import annotations

import json
from pathlib import Path

from payatlas_snapshot import canonical, default_outputs

from payatlas.settings import Settings
from payatlas.store import Store

FIXTURE = Path(__file__).parent.parent / "fixtures" / "bundled_default_outputs.json"


def test_default_outputs_match_the_snapshot(bundled_store: Store) -> None:
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(canonical(default_outputs(bundled_store, Settings())), default=str))
    assert got.keys() == want.keys()
    for name in want:
        assert got[name] == want[name], name
    assert want["benchmark"]["basis"]["unit"] == "survey records"
    assert want["benchmark"]["basis"]["sources"] == ["aijobs"]
