"""Counts of comparable records follow the privacy rule everywhere: a count from 1 to the privacy
threshold - 1 is never published (library, offer check, CLI --json and table, batch CSV); 0 and
counts of at least the threshold are. The API and dashboard side is in
tests/api/test_api_privacy_counts.py (same crafted home)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from payatlas_crafted import (
    FORTY,
    FOUR,
    SEVEN,
    THREE,
    ZERO,
    ZERO_SMALL_COHORT,
    build_crafted_home,
)
from typer.testing import CliRunner

from payatlas.cli import app
from payatlas.disclosure import Rule
from payatlas.model import estimate, estimate_batch, offer_check
from payatlas.model.batchfile import estimate_file
from payatlas.model.estimate import FEW_COMPARABLE, confidence_label
from payatlas.model.evidence import BORROW_MIN
from payatlas.model.registry import champion
from payatlas.settings import Settings, get_settings


@pytest.fixture(scope="session")
def counts_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted home (built once per session)."""
    return build_crafted_home(tmp_path_factory.mktemp("privacy_counts"))


@pytest.fixture
def counts_env(counts_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings and environment (for the CLI) on the crafted home, threshold 5."""
    monkeypatch.setenv("PAYATLAS_HOME", str(counts_home))
    monkeypatch.setenv("PAYATLAS_PRIVACY_THRESHOLD", "5")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_the_crafted_evidence_holds_the_counts_the_tests_rely_on(counts_env: Settings) -> None:
    ev = champion(counts_env).evidence
    cell = "role_family x level x country"
    ds, pe = "data_scientist", ev.counts[cell]
    assert pe[f"{ds}|senior|DE"] == 3 and pe[f"{ds}|mid|DE"] == 7 and pe[f"{ds}|senior|US"] == 40
    assert [k for k, v in pe.items() if k.endswith("|executive|NZ")] and ev.count(
        "level", "executive"
    ) == 4
    assert ev.count("role_family x level", f"{ds}|senior") == 43


def test_count_rule() -> None:
    rule = Rule.of(threshold=5, salt="x")
    assert [rule.count(n, 7) for n in range(6)] == [0, None, None, None, None, 5]
    assert {rule.count(6, k) for k in range(200)} == {5, 10}  # rounded by the cell key
    ten = Rule.of(threshold=10, salt="x")
    assert ten.count(9, 1) is None and ten.count(10, 1) == 10


@pytest.mark.parametrize("threshold", [2, 5, 10, 31, 50])
def test_confidence_label_cannot_tell_withheld_counts_apart(threshold: int) -> None:
    """Every withheld count (1 .. threshold - 1) gets the label of 0, under any flags."""
    for flags in ((), ("unseen_title",), ("few_country_records",), ("country_not_in_data",)):
        zero = confidence_label(0, flags, threshold)
        assert {confidence_label(n, flags, threshold) for n in range(1, threshold)} <= {zero}
    # published counts still climb: medium from the threshold, high from max(30, threshold)
    assert confidence_label(threshold, (), threshold) in ("medium", "high")
    assert confidence_label(max(BORROW_MIN, threshold), (), threshold) == "high"


def test_library_withholds_small_counts(counts_env: Settings) -> None:
    three = estimate(THREE, settings=counts_env)
    assert three.n_comparable is None
    assert three.n_comparable_note is not None and "fewer than 5" in three.n_comparable_note
    assert FEW_COMPARABLE in three.flags and three.confidence == "low"
    # the wider cohort holds 43 records (40 in the US, the 3 withheld in DE); it is published
    # rounded to a multiple of 5, so 43 - 40 cannot give the withheld 3
    assert three.cohort.name == "role_family x level" and three.cohort.n in (40, 45)
    assert three.cohort.note is None
    us = estimate({**THREE, "country": "US"}, settings=counts_env)
    assert us.n_comparable == 40 and (three.cohort.n - us.n_comparable) % 5 == 0
    four = estimate(FOUR, settings=counts_env)
    assert four.n_comparable is None and four.cohort.n is None
    assert four.cohort.name == "level" and "fewer than 5" in str(four.cohort.note)
    d = four.as_dict()
    assert d["n_comparable"] is None and d["cohort"]["n"] is None
    assert d["n_comparable_note"] == four.n_comparable_note
    json.dumps(d)


def test_library_publishes_zero_and_counts_at_the_threshold(counts_env: Settings) -> None:
    seven = estimate(SEVEN, settings=counts_env)
    assert seven.n_comparable in (5, 10) and seven.n_comparable_note is None
    assert FEW_COMPARABLE not in seven.flags
    forty = estimate(FORTY, settings=counts_env)
    assert forty.n_comparable == 40 and forty.cohort.n == 40 and forty.confidence == "high"
    zero = estimate(ZERO, settings=counts_env)
    assert zero.n_comparable == 0 and zero.n_comparable_note is None
    assert zero.cohort.n == 30 and FEW_COMPARABLE not in zero.flags
    small_cohort = estimate(ZERO_SMALL_COHORT, settings=counts_env)
    assert small_cohort.n_comparable == 0
    assert small_cohort.cohort.n is None and FEW_COMPARABLE in small_cohort.flags


def test_the_threshold_comes_from_settings(counts_home: Path) -> None:
    strict = Settings(home=counts_home, privacy_threshold=8)
    seven = estimate(SEVEN, settings=strict)
    assert seven.n_comparable is None and "fewer than 8" in str(seven.n_comparable_note)
    assert estimate(FORTY, settings=strict).n_comparable == 40
    out = estimate_batch(pd.DataFrame([SEVEN, FORTY]), settings=strict)
    assert pd.isna(out["n_comparable"].iloc[0]) and out["n_comparable"].iloc[1] == 40


def test_evidence_grids_exist_only_for_cells_at_the_threshold(counts_env: Settings) -> None:
    ev = champion(counts_env).evidence
    assert ev.privacy_threshold == 5
    for cohort, grids in ev.pay_grids.items():
        for key in grids:
            assert ev.count(cohort, key) >= ev.privacy_threshold, (cohort, key)
    assert ev.pay_grid("role_family x level x country", "data_scientist|senior|DE") is None
    assert ev.pay_grid("level", "executive") is None
    assert ev.pay_grid("role_family x level x country", "data_scientist|mid|DE") is not None


def test_offer_check_never_ranks_within_a_small_cohort(counts_env: Settings) -> None:
    four = offer_check(FOUR, amount=420_000, settings=counts_env)
    assert four.comparable_cohort != "level"  # never a global cohort: the same country or region
    assert four.comparable_cohort.endswith(("country", "region"))
    assert four.comparable_n is None
    assert four.as_dict()["estimate"]["cohort"]["n"] is None
    three = offer_check(THREE, amount=95_000, settings=counts_env)
    # comparable records come from the profile's own country or region, never a global cohort;
    # a same-region cohort under the threshold is withheld like any other
    assert three.comparable_cohort.endswith(("country", "region"))
    assert three.comparable_n is None or three.comparable_n >= counts_env.privacy_threshold
    assert three.estimate.n_comparable is None


def test_batch_leaves_small_counts_empty(counts_env: Settings, tmp_path: Path) -> None:
    profiles = [THREE, FOUR, SEVEN, FORTY, ZERO, {"role": "ML Engineer", "country": "Atlantis"}]
    out = estimate_batch(pd.DataFrame(profiles), settings=counts_env)
    n = out["n_comparable"].tolist()
    seven = estimate(SEVEN, settings=counts_env).n_comparable  # 5 or 10: rounded, as here
    assert pd.isna(n[0]) and pd.isna(n[1]) and n[2:5] == [seven, 40, 0] and pd.isna(n[5])
    assert out["confidence"].iloc[:2].tolist() == ["low", "low"]
    assert out["confidence"].iloc[5] == "unresolved"
    src = tmp_path / "profiles.csv"
    pd.DataFrame(profiles).to_csv(src, index=False)
    result = estimate_file(src, settings=counts_env)
    dst = tmp_path / "out.csv"
    result.frame.to_csv(dst, index=False)
    lines = list(csv.DictReader(dst.open()))
    assert [r["n_comparable"] for r in lines] == ["", "", str(seven), "40", "0", ""]


def test_cli_json_and_table(counts_env: Settings, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(profile: dict[str, str], *extra: str) -> str:
        args = ["estimate", *(x for k, v in profile.items() for x in (f"--{k}", v)), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    three = json.loads(run(THREE, "--json"))
    assert three["n_comparable"] is None and "fewer than 5" in three["n_comparable_note"]
    assert FEW_COMPARABLE in three["flags"]
    four = json.loads(run(FOUR, "--json"))
    assert four["cohort"]["n"] is None and "fewer than 5" in four["cohort"]["note"]
    assert json.loads(run(ZERO, "--json"))["n_comparable"] == 0
    table = run(THREE)
    assert "comparable records (role family x level x country): fewer than 5" in table
    wide = estimate(THREE, settings=counts_env).cohort.n
    assert f"[data_scientist|senior]: {wide}" in table and "43" not in table
    table = run(FOUR)
    assert "country): fewer than 5" in table and "[executive]: fewer than 5" in table
    assert "country): 4" not in table and "[executive]: 4" not in table
    seven = estimate(SEVEN, settings=counts_env).n_comparable
    assert f"country): {seven};" in run(SEVEN) and "country): 0;" in run(ZERO)
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame([THREE, FORTY]).to_csv(src, index=False)
    done = runner.invoke(app, ["estimate", "--input", str(src), "--output", str(dst)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(dst.open()))
    assert [r["n_comparable"] for r in rows] == ["", "40"]


def test_cli_offer_never_shows_a_small_cohort(counts_env: Settings) -> None:
    args = ["offer", "--amount", "420000", "--role", "Prompt Engineer", "--level", "executive"]
    result = CliRunner().invoke(app, [*args, "--country", "NZ", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["comparable_n"] is None
    assert body["estimate"]["n_comparable"] is None


def test_team_planner_follows_the_same_rule(counts_env: Settings) -> None:
    """The team planner's model lines publish counts by the estimates' rule: withheld (with the
    note) for 1..threshold-1, 0 as 0, the count rounded to a multiple of the threshold above."""
    from payatlas.analytics import team_cost
    from payatlas.store import Store

    team = [
        {"role": "Data Scientist", "level": "senior", "headcount": 1},  # DE: 3, US: 40
        {"role": "ML Engineer", "level": "mid", "headcount": 1},  # DE: 0, US: 30
    ]
    with Store.open(counts_env, read_only=True) as store:
        result = team_cost(store, team=team, countries=["US", "DE"], settings=counts_env)
    lines = {(c.country, ln.line.role): ln for c in result.countries for ln in c.lines}
    assert all(ln.basis.startswith("champion model") for ln in lines.values())
    withheld = lines["DE", "data_scientist"]
    assert withheld.n_comparable is None
    assert (
        withheld.note is not None and "fewer than 5" in withheld.note and "3" not in withheld.note
    )
    assert lines["DE", "ml_engineer"].n_comparable == 0
    assert lines["US", "data_scientist"].n_comparable == 40
    assert lines["US", "ml_engineer"].n_comparable == 30
