"""Source and kind filters (#10): benchmark, trend, premium and team cost read survey
submissions by default and job postings with ``kind="posting"``; every result names its kind
("job postings", never "survey submissions", for postings) and its sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from payatlas_postings import load_slice

from payatlas.analytics import Slice, benchmark, premiums, team_cost, trend
from payatlas.errors import InvalidInput
from payatlas.settings import Settings
from payatlas.store import Store

EXE = Path(sys.executable).with_name("payatlas")


@pytest.fixture(scope="module")
def mixed_home(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Path:
    """A home whose store holds the bundled survey (v1) and the postings test slice (v2)."""
    home = tmp_path_factory.mktemp("mixed_home")
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    load_slice(home / "payatlas.duckdb")
    return home


@pytest.fixture
def mixed(mixed_home: Path) -> Iterator[Store]:
    with Store(mixed_home / "payatlas.duckdb", read_only=True) as s:
        yield s


def test_benchmark_of_job_postings_names_them(mixed: Store) -> None:
    settings = Settings()
    got = benchmark(mixed, slice=Slice(kind="posting"), by=["role_family"], settings=settings)
    assert got.basis.unit == "job postings" and got.basis.sources == ("data_jobs",)
    assert got.basis.filters["kind"] == "job_posting" and got.basis.dataset_version == 2
    stored = mixed.execute(
        "SELECT count(*) FROM postings WHERE role_family <> 'out_of_scope' "
        "AND NOT list_contains(flags, 'pay_implausible')"
    ).fetchone()[0]
    assert got.basis.records is not None and abs(got.basis.records - stored) < 5
    families = {g.keys["role_family"] for g in got.groups}
    assert {"data_analyst", "data_scientist", "data_engineer"} <= families
    assert "survey" not in got.basis.describe()
    survey = benchmark(mixed, settings=settings)
    assert survey.basis.unit == "survey records" and survey.basis.sources == ("aijobs",)
    assert survey.basis.records != got.basis.records
    same = benchmark(mixed, slice=Slice(source="aijobs"), settings=settings)
    assert same.overall == survey.overall and same.basis.filters == {"source": "aijobs"}
    none = benchmark(mixed, slice=Slice(source="no-such-source"), settings=settings)
    assert none.basis.records == 0 and none.basis.sources == ()


def test_trend_premium_and_team_cost_of_job_postings(mixed: Store) -> None:
    settings = Settings()
    t = trend(mixed, slice=Slice(kind="posting", country="US"), settings=settings)
    assert t.basis.unit == "job postings" and [y.year for y in t.years] == [2023]
    assert t.years[0].n is not None and t.years[0].n > 1000
    p = premiums(mixed, slice=Slice(kind="posting"), which=["ai_ml"], settings=settings)
    assert p.basis.unit == "job postings"
    assert p.premiums[0].cohort.n_b is not None  # matched cohorts of postings
    assert p.premiums[0].model.premium.note == "not requested"  # the model is survey-only
    team = [{"role": "Data Engineer", "level": "senior", "headcount": 2}]
    cost = team_cost(mixed, team=team, countries="US", settings=settings, kind="posting")
    assert "cohort percentiles of job postings" in cost.method
    assert cost.countries[0].total_usd is not None


@pytest.mark.parametrize("kind", ["filing", "official", "", "survey;drop"])
def test_unknown_kinds_are_typed_errors(kind: str) -> None:
    with pytest.raises(InvalidInput) as err:
        Slice(kind=kind)
    assert err.value.field == "kind"


def test_cli_benchmark_source_and_kind(mixed_home: Path) -> None:
    env = {**os.environ, "PAYATLAS_HOME": str(mixed_home), "COLUMNS": "120"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True,
                              timeout=120)  # fmt: skip

    posted = cli("benchmark", "--kind", "posting", "--json")
    assert posted.returncode == 0, posted.stderr
    assert json.loads(posted.stdout)["basis"]["unit"] == "job postings"
    table = cli("benchmark", "--kind", "posting", "--by", "role_family")
    assert "of job postings" in table.stdout and "survey records" not in table.stdout
    source = cli("benchmark", "--source", "aijobs", "--json")
    assert json.loads(source.stdout)["basis"]["sources"] == ["aijobs"]
    wrong = cli("benchmark", "--kind", "filing")
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
    assert "unknown kind 'filing'" in wrong.stderr
