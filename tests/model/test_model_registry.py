"""Registry: the promotion gate, --force recorded, determinism, init ends with a champion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from payatlas.errors import NoChampion, PromotionRefused
from payatlas.home import init_home
from payatlas.model import (
    champion_id,
    estimate,
    list_models,
    promote,
    promotion_log,
    train_candidate,
)
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store

WORSE = {"objectives": ["regression"], "num_boost_round": 3, "learning_rate": 0.05}


def test_promote_refuses_a_worse_candidate(
    tmp_path: Path, bundled_db: Path, fast_params: dict[str, Any]
) -> None:
    FAST = fast_params
    settings = Settings(home=tmp_path / "home")
    with Store(bundled_db, read_only=True) as store:
        good = train_candidate(store, settings, seed=1, params=FAST)
        bad = train_candidate(store, settings, seed=1, params=WORSE)
    with pytest.raises(NoChampion):
        estimate(Profile(role="Data Scientist", country="US"), settings=settings)
    promote(good.model_id, settings)
    assert bad.metrics["mae_log"] > good.metrics["mae_log"]
    with pytest.raises(PromotionRefused, match="worse"), Store(bundled_db, read_only=True) as st:
        promote(bad.model_id, settings, store=st)  # both models scored on the bundled store
    assert champion_id(settings) == good.model_id
    promote(bad.model_id, settings, force=True)
    assert champion_id(settings) == bad.model_id
    log = promotion_log(settings)
    assert [e["model_id"] for e in log] == [good.model_id, bad.model_id]
    assert log[-1]["force"] is True and log[-1]["reason"].startswith("forced")
    listed = {r.model_id: r for r in list_models(settings)}
    assert listed[bad.model_id].champion and not listed[good.model_id].champion
    est = estimate(Profile(role="Data Scientist", country="US"), settings=settings)
    assert est.model_version == bad.model_id


def test_same_seed_same_data_same_model(
    tmp_path: Path, bundled_db: Path, fast_params: dict[str, Any]
) -> None:
    FAST = fast_params
    a, b = Settings(home=tmp_path / "a"), Settings(home=tmp_path / "b")
    with Store(bundled_db, read_only=True) as store:
        ra = train_candidate(store, a, seed=11, params=FAST)
        rb = train_candidate(store, b, seed=11, params=FAST)
        rc = train_candidate(store, a, seed=12, params=FAST)
    assert ra.model_id == rb.model_id != rc.model_id
    fa, fb = a.model_dir / ra.model_id, b.model_dir / rb.model_id
    names = sorted(p.name for p in fa.iterdir() if p.name != "meta.json")
    assert names == sorted(p.name for p in fb.iterdir() if p.name != "meta.json")
    for name in names:
        assert (fa / name).read_bytes() == (fb / name).read_bytes(), name
    promote(ra.model_id, a)
    promote(rb.model_id, b)
    for fields in (
        {"role": "ML Engineer", "level": "senior", "country": "DE"},
        {"role": "Data Analyst", "country": "US", "remote": 100},
    ):
        ea = estimate(Profile(**fields), settings=a).as_dict()
        eb = estimate(Profile(**fields), settings=b).as_dict()
        assert ea == eb


def test_init_on_an_empty_home_ends_with_a_champion(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "fresh")
    result = init_home(settings)
    assert result.ingest is not None and result.champion is not None
    assert champion_id(settings) == result.champion
    est = estimate(Profile(role="ML Engineer", level="senior", country="US"), settings=settings)
    assert est.model_version == result.champion and est.p50 > 50_000
    again = init_home(settings)
    assert again.ingest is None and again.champion == result.champion
