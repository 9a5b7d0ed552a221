"""Model fixtures: a home holding the bundled store and a small, fast champion (built once)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payatlas.model import promote, train_candidate
from payatlas.model.registry import ModelRecord
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

#: small and quick: these tests check behaviour, not accuracy (the backtest checks accuracy)
FAST: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 60, "learning_rate": 0.1}


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Path:
    """A PAYATLAS_HOME with the bundled store and a promoted fast champion."""
    home = tmp_path_factory.mktemp("model_home")
    shutil.copy(bundled_db, home / "payatlas.duckdb")
    settings = Settings(home=home)
    with Store(home / "payatlas.duckdb", read_only=True) as store:
        record = train_candidate(store, settings, seed=7, params=FAST)
    promote(record.model_id, settings)
    return home


@pytest.fixture
def fast_params() -> dict[str, Any]:
    """Parameters for a small, quick model."""
    return dict(FAST)


@pytest.fixture
def model_settings(model_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings (and the environment) pointing at the model home."""
    monkeypatch.setenv("PAYATLAS_HOME", str(model_home))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def champion_record(model_settings: Settings) -> ModelRecord:
    """The fast champion's registry record."""
    from payatlas.model import list_models

    return next(r for r in list_models(model_settings) if r.champion)


@pytest.fixture(scope="session")
def gate_reg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Small fixed stores (snapshot v1; later arrivals as v2, real or with shuffled pay) and a
    registry: a FAST champion on v1 and candidates (tests/support/payatlas_gate.py)."""
    from payatlas_gate import gate_registry

    return gate_registry(tmp_path_factory.getbasetemp() / "gate")  # shared with tests/api
