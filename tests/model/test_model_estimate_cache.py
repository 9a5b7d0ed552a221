"""Repeated single estimates come from memory, and only while nothing they depend on changed:
the same request gives the very same result; other options, another champion or other
settings give a fresh one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from payatlas.model.estimate import estimate
from payatlas.model.estimate_cache import cached_estimate, clear, estimate_dict
from payatlas.model.registry import record_promotion, registry_lock
from payatlas.schema import Profile
from payatlas.settings import Settings


def test_the_cache_serves_only_what_still_holds(model_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(model_home, home)
    settings = Settings(home=home)
    profile = Profile(role="ML Engineer", country="DE", level="senior")
    clear()
    assert cached_estimate(profile, settings=settings) is None
    first = estimate_dict(profile, settings=settings)
    assert first == estimate(profile, settings=settings).as_dict()
    assert estimate_dict(profile, settings=settings) is first  # from memory
    assert cached_estimate(profile, settings=settings) is first
    assert estimate_dict(profile, settings=settings, reasons=False) is not first
    other = Profile(role="ML Engineer", country="DE", level="senior", years=7)
    assert cached_estimate(other, settings=settings) is None
    stricter = Settings(home=home, privacy_threshold=settings.privacy_threshold + 5)
    assert cached_estimate(profile, settings=stricter) is None

    # a new champion (a copy of the model under another id) is a new key
    old = first["model_version"]
    copy = f"{old}-copy"
    shutil.copytree(settings.model_dir / old, settings.model_dir / copy)
    meta_path = settings.model_dir / copy / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["model_id"] = copy
    meta_path.write_text(json.dumps(meta))
    with registry_lock(settings):
        record_promotion(settings, {"model_id": copy, "previous": old, "reason": "test"})
    again = estimate_dict(profile, settings=settings)
    assert again is not first and again["model_version"] == copy


def test_remembered_rows_predict_what_the_boosters_predict(model_settings: Settings) -> None:
    """A model remembers the point prediction of each encoded row it evaluated; a row asked
    again (and every reasons counterfactual shared between profiles) gives exactly what the
    boosters give for it, and the memo never changes an estimate."""
    from payatlas.model.features import encode_one
    from payatlas.model.profiles import resolve
    from payatlas.model.registry import champion

    model = champion(model_settings)
    rows = [
        resolve(Profile(role=r, country=c, level=lv), model).row()
        for r in ("ML Engineer", "Data Scientist", "Research Scientist")
        for c in ("US", "DE", "IN")
        for lv in ("entry", "senior")
    ]
    model._memo.clear()
    first = model.point_rows(rows)
    assert len(model._memo) == len({encode_one(r, model.encoders).tobytes() for r in rows})
    again = model.point_rows(rows[::-1])[::-1]
    assert list(again) == list(first)
    x = [encode_one(r, model.encoders)[0] for r in rows]
    direct = sum(b.predict(x, num_threads=1) for b in model.boosters) / len(model.boosters)
    level = model.meta.get("arrival_level") or {"year": float("inf"), "offset": 0.0}
    direct = direct + [  # the arrival-batch level of the newest pay year (model.arrival_level)
        float(level["offset"]) if float(r["year"]) >= float(level["year"]) else 0.0 for r in rows
    ]
    assert [round(float(v), 12) for v in first] == [round(float(v), 12) for v in direct]
