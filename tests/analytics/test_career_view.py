"""The career view on the bundled data: rungs above senior are their own figures (not "senior"),
measured rungs carry a held-out coverage, thin rungs are flagged and extrapolated from their
anchor by a measured ratio, and no count under the privacy threshold is published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.analytics import Slice, benchmark
from payatlas.analytics.career import CAREER_RUNGS, MIN_RUNG, career_view, family_moves
from payatlas.errors import UnknownCountry, UnknownRole
from payatlas.settings import Settings
from payatlas.store import Store

runner = CliRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path)


def test_ml_engineer_us_rungs(bundled_store: Store, settings: Settings) -> None:
    view = career_view(bundled_store, family="ml_engineer", country="US", settings=settings)
    assert [r.rung for r in view.rungs] == list(CAREER_RUNGS)
    t = settings.privacy_threshold
    for r in view.rungs:
        assert r.records is None or r.records % t == 0  # published counts: multiples of t
        if r.method == "measured":
            assert r.records is not None and r.records >= MIN_RUNG
            assert not r.extrapolated and r.ratio is None
            assert r.coverage is not None and 0.5 <= r.coverage <= 0.95
            assert r.p10 is not None and r.p50 is not None and r.p90 is not None
            assert r.p10 < r.p50 < r.p90
    senior, staff = view.get("senior"), view.get("staff_principal")
    assert senior.method == "measured"
    # staff titles are not folded into senior: 2 US staff ML engineers are too few to publish,
    # so the rung is extrapolated from senior by a measured ratio, and says so
    assert staff.extrapolated and staff.method == "extrapolated" and staff.records is None
    assert staff.ratio is not None and staff.ratio.anchor == "senior"
    assert staff.ratio.records is not None and staff.ratio.records >= MIN_RUNG
    assert staff.p50 == pytest.approx(senior.p50 * staff.ratio.ratio, abs=0.01)  # type: ignore[operator]
    assert staff.p50 != senior.p50
    d = staff.as_dict()
    assert d["extrapolated"] is True and "extrapolated" in d["note"]
    assert d["note"].endswith(f"suppressed (n < {t}) for the rung count")
    # the junior rung is the entry level's records (no US ML engineer title above senior at entry)
    entry = benchmark(
        bundled_store, slice=Slice(role="ml_engineer", country="US", level="entry"),
        settings=settings,
    ).overall  # fmt: skip
    junior = view.get("junior")
    assert junior.p50 == pytest.approx(entry.p50, rel=1e-9)
    assert view.as_dict()["basis"]["filters"] == {"role": "ml_engineer", "country": "US"}


def test_moves_have_difference_and_evidence(bundled_store: Store, settings: Settings) -> None:
    view = career_view(bundled_store, family="data_scientist", country="US", settings=settings)
    moves = {(m.from_family, m.to_family): m.as_dict() for m in view.moves}
    assert set(moves) == {(a, b) for a, b, _ in family_moves("data_scientist")}
    ds_ml = moves[("data_scientist", "ml_engineer")]
    assert ds_ml["scope"] == "US" and ds_ml["difference_pct"] is not None
    assert ds_ml["low_pct"] < ds_ml["difference_pct"] < ds_ml["high_pct"]
    assert ds_ml["n_from"] >= 30 and ds_ml["n_to"] >= 30
    assert ds_ml["n_from"] % settings.privacy_threshold == 0


def test_thin_country_moves_fall_back_to_all_countries(
    bundled_store: Store, settings: Settings
) -> None:
    view = career_view(bundled_store, family="mlops_engineer", country="DE", settings=settings)
    scopes = {m.scope for m in view.moves}
    assert "all countries" in scopes
    for m in view.moves:
        d = m.as_dict()
        assert d["difference_pct"] is not None or d["note"]


def test_bad_input_is_typed(bundled_store: Store, settings: Settings) -> None:
    with pytest.raises(UnknownRole) as err:
        career_view(bundled_store, family="astronaut", country="US", settings=settings)
    assert err.value.field == "family"
    with pytest.raises(UnknownCountry):
        career_view(bundled_store, family="ml_engineer", country="Atlantis", settings=settings)


def test_small_cohort_is_never_published(small_store: Store, small_env: Settings) -> None:
    """4 executive prompt engineers in New Zealand: their rung count and pay stay unpublished."""
    view = career_view(small_store, family="prompt_engineer", country="NZ", settings=small_env)
    head = view.get("director_head")
    assert head.records is None and head.method != "measured"
    text = str(view.as_dict())
    for pay in (411_111, 422_222, 433_333, 444_444):
        assert str(pay) not in text


def test_cli_career_json_table_and_errors(bundled_env: Settings, bundled_home: Path) -> None:
    from payatlas.cli import app

    out = runner.invoke(app, ["career", "--family", "ml_engineer", "--country", "US", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    with Store(bundled_home / "payatlas.duckdb", read_only=True) as s:
        lib = career_view(s, family="ml_engineer", country="US", settings=bundled_env)
    assert data == json.loads(json.dumps(lib.as_dict()))
    table = runner.invoke(app, ["career", "--family", "ml_engineer", "--country", "US"])
    assert table.exit_code == 0, table.output
    for text in ("Staff", "Director", "extrapolated", "survey records", "Scientist"):
        assert text in table.output
    env = {**os.environ, "PAYATLAS_HOME": str(bundled_home)}
    cmd = [sys.executable, "-c", "from payatlas.cli import main; main()", "career"]
    bad = subprocess.run(
        [*cmd, "--family", "astronaut", "--country", "US"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: field 'family'") and "Traceback" not in bad.stderr


def test_a_thin_country_borrows_the_family_and_a_country_ratio(
    bundled_store: Store, settings: Settings
) -> None:
    """MLOps engineers in Germany: no rung has 30 records, so each rung is the family's rung
    across all countries times Germany's pay ratio to other countries (learned from all roles),
    flagged extrapolated with that ratio's evidence."""
    view = career_view(
        bundled_store, family="mlops_engineer", country="DE", settings=settings, moves=False
    )
    senior = view.get("senior")
    assert senior.method == "extrapolated" and senior.extrapolated
    assert senior.ratio is not None and senior.ratio.scope == "DE vs other countries"
    assert 0.4 < senior.ratio.ratio < 1.0  # German pay sits below the (mostly US) rest
    assert senior.ratio.records is not None and senior.ratio.records >= MIN_RUNG
    family = benchmark(
        bundled_store, slice=Slice(role="mlops_engineer", level="senior"), settings=settings
    ).overall
    assert family.p50 is not None and senior.p50 is not None
    # the family's senior rung (its senior level minus above-senior titles) scaled by the ratio
    assert senior.p50 == pytest.approx(family.p50 * senior.ratio.ratio, rel=0.05)
    assert "across all countries" in (senior.note or "")
