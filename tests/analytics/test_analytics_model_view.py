"""The model-adjusted premiums and the team planner's model path, with a known stand-in for the
champion (``payatlas.model.estimate_batch``) so the expected premiums are exact."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from payatlas.analytics import premiums, team_cost
from payatlas.analytics.premium_specs import AI_ML_FAMILIES
from payatlas.settings import Settings
from payatlas.store import Store

LEVEL = {"entry": 0.8, "mid": 1.0, "senior": 1.2, "executive": 1.5}
SIZE = {"S": 0.9, "M": 1.0, "L": 1.05}


def fake_estimate_batch(profiles: pd.DataFrame, **_: Any) -> pd.DataFrame:
    """P50 = 100k x level x size x remote 1.1 x AI/ML 1.25 x country (NZ: cannot estimate)."""
    p = profiles
    remote = p["remote"] if "remote" in p else pd.Series(0, index=p.index)
    size = p["company_size"] if "company_size" in p else pd.Series("M", index=p.index)
    p50 = (
        100_000.0
        * p["level"].map(LEVEL).to_numpy(dtype=float)
        * size.map(SIZE).fillna(1.0).to_numpy(dtype=float)
        * np.where(remote.to_numpy(dtype=float) >= 80, 1.1, 1.0)
        * np.where(p["role"].isin(AI_ML_FAMILIES), 1.25, 1.0)
        * np.where(p["country"] == "IN", 0.3, 1.0)
    )
    p50 = np.where(p["country"] == "NZ", np.nan, p50)
    out = p.copy()
    for col, k in (
        ("p10_usd", 0.7),
        ("p25_usd", 0.85),
        ("p50_usd", 1.0),
        ("p75_usd", 1.2),
        ("p90_usd", 1.4),
    ):
        out[col] = p50 * k
    out["n_comparable"] = pd.array([50] * len(p), dtype="Int64")
    out["confidence"] = "medium"
    out["model_version"] = "fake-1"
    return out


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import payatlas.model

    monkeypatch.setattr(payatlas.model, "estimate_batch", fake_estimate_batch, raising=False)


def test_model_adjusted_premiums_hold_other_factors_fixed(
    bundled_store: Store, home: Settings, fake_model: None
) -> None:
    result = premiums(bundled_store, settings=home)
    want = {
        "ai_ml": 25.0,
        "remote": 10.0,
        "size_L_vs_M": 5.0,
        "size_S_vs_M": -10.0,
        "level_entry_vs_mid": -20.0,
        "level_senior_vs_mid": 20.0,
        "level_executive_vs_mid": 50.0,
    }
    for p in result.premiums:
        m = p.model.premium
        assert m.value == pytest.approx(want[p.key]), p.key
        assert m.low is not None and m.high is not None
        assert m.low <= m.value + 1e-9 and m.value - 1e-9 <= m.high
        assert m.note == "model fake-1"
        assert p.cohort.method.startswith("matched")  # the raw view sits beside it


def test_team_cost_uses_the_model_per_line(
    bundled_store: Store, home: Settings, fake_model: None
) -> None:
    team = [
        {"role": "ML Engineer", "level": "senior", "headcount": 2},
        {"role": "Data Engineer", "level": "mid", "headcount": 1},
    ]
    result = team_cost(bundled_store, team=team, countries=["IN", "NZ"], settings=home)
    assert result.model_version == "fake-1" and "champion model" in result.method
    us, india, nz = result.countries
    # 2 x senior AI (100k x 1.2 x 1.25) + 1 x mid data (100k)
    assert us.total_usd is not None and us.total_usd.p50 == pytest.approx(400_000)
    assert india.total_usd is not None and india.total_usd.p50 == pytest.approx(120_000)
    assert india.savings_pct is not None and india.savings_pct.value == pytest.approx(70.0)
    assert [ln.n_comparable for ln in india.lines] == [50, 50]
    assert nz.total_usd is None and nz.note  # the model cannot estimate NZ: said, not guessed
    assert all(ln.per_person is None for ln in nz.lines)


def test_without_a_champion_the_views_say_so(bundled_store: Store, home: Settings) -> None:
    result = premiums(bundled_store, which=["remote"], settings=home)
    note = result.premiums[0].model.premium.note or ""
    assert result.premiums[0].model.premium.value is None and "champion" in note


def test_with_a_real_champion(champion_env: Settings, champion_home: Any) -> None:
    """The real champion through the same paths (library and CLI)."""
    from typer.testing import CliRunner

    from payatlas.cli import app

    with Store(champion_home / "payatlas.duckdb", read_only=True) as store:
        prem = premiums(
            store,
            which=["level_senior_vs_mid", "level_entry_vs_mid", "ai_ml"],
            settings=champion_env,
        )
        team = team_cost(
            store,
            team=[
                {"role": "ML Engineer", "level": "senior", "headcount": 2},
                {"role": "Data Engineer", "level": "mid", "headcount": 1},
            ],
            countries=["DE", "PL", "IN", "BR"],
            settings=champion_env,
        )
    views = {p.key: p.model.premium for p in prem.premiums}
    assert all(
        v.value is not None and v.low is not None and v.high is not None for v in views.values()
    ), views
    assert views["level_senior_vs_mid"].value > 0  # type: ignore[operator]
    assert views["level_entry_vs_mid"].value < 0  # type: ignore[operator]
    assert team.model_version and team.model_version in team.method
    for c in team.countries:
        assert c.total_usd is not None and 0 < c.total_usd.p10 < c.total_usd.p50 < c.total_usd.p90
        for ln in c.lines:
            n = ln.n_comparable  # the estimates' count rule: 0, >= threshold, or withheld
            assert n is None or n == 0 or n >= champion_env.privacy_threshold
            assert n is not None or (ln.note and "fewer than" in ln.note)
    out = CliRunner().invoke(app, ["premium", "--which", "remote", "--json"])
    assert out.exit_code == 0, out.output
    model_view = json.loads(out.output)["premiums"][0]["model"]
    assert model_view["premium_pct"] is not None and team.model_version in model_view["note"]
