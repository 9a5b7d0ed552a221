"""The promotion gate compares like with like: the champion's procedure is trained on its own
dataset version's arrivals before the candidate's cutoff and scored on the candidate's split (the
newest arrivals; recorded with the champion); a split that cannot be reproduced is refused unless
forced. Real stores: the bundled data as v1, an extra ingest as v2."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from payatlas.bundled import aijobs_path
from payatlas.errors import BacktestUnavailable, PromotionRefused
from payatlas.ingest import ingest
from payatlas.model import champion_id, promote, promotion_log, train_candidate
from payatlas.model.listing import registry_view
from payatlas.model.registry import ModelRecord, get_record
from payatlas.settings import Settings
from payatlas.store import Store

FAST: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 60, "learning_rate": 0.1}
WORSE: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 3, "learning_rate": 0.05}
#: the rolling test windows: the last 3 months of each version's arrivals
CUT1, CUT2 = "2024-07-07", "2024-07-20"
SPLIT = f"v2@{CUT2}"
EXE = Path(sys.executable).with_name("payatlas")


@dataclass(frozen=True)
class Versions:
    """A home (store + registry) where the champion was trained on v1, candidates on v2."""

    home: Path
    champion: ModelRecord  # FAST, seed 7, data v1
    same: ModelRecord  # the champion's procedure (FAST, seed 7) on data v2
    worse: ModelRecord  # WORSE, seed 7, data v2


def _extra_file(path: Path) -> Path:
    """Every 20th bundled row, paid 6% more, arriving a week after the bundled snapshot."""
    with gzip.open(aijobs_path(), "rt", newline="") as fh:
        rows = list(csv.DictReader(fh))[::20]
    start = dt.date(2024, 10, 13)
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for i, row in enumerate(rows):
            for col in ("salary", "salary_in_usd"):
                row[col] = str(round(float(row[col]) * 1.06))
            row["first_seen"] = (start + dt.timedelta(days=i % 7)).isoformat()
            writer.writerow(row)
    return path


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory, bundled_db: Path) -> Versions:
    home = tmp_path_factory.mktemp("versions_home")
    db = home / "payatlas.duckdb"
    shutil.copy(bundled_db, db)
    settings = Settings(home=home)
    with Store(db, read_only=True) as store:
        champ = train_candidate(store, settings, seed=7, params=FAST)
    promote(champ.model_id, settings)
    with Store(db) as store:
        report = ingest(_extra_file(home / "extra.csv"), store=store, source="aijobs-update")
    assert report.dataset_version == 2 and report.accepted > 2000
    with Store(db, read_only=True) as store:
        same = train_candidate(store, settings, seed=7, params=FAST)
        worse = train_candidate(store, settings, seed=7, params=WORSE)
    return Versions(home, get_record(champ.model_id, settings), same, worse)


def _copy(v: Versions, to: Path, *, with_store: bool = True) -> Settings:
    """A private copy of the registry (and the store) so each test starts from the same state."""
    home = to / "home"
    shutil.copytree(v.home / "models", home / "models")
    if with_store:
        shutil.copy(v.home / "payatlas.duckdb", home / "payatlas.duckdb")
    return Settings(home=home)


def test_each_model_records_its_backtest_split(versions: Versions) -> None:
    champ, same = versions.champion, versions.same
    assert champ.backtest["data_version"] == 1 and same.backtest["data_version"] == 2
    assert (champ.backtest["cutoff"], same.backtest["cutoff"]) == (CUT1, CUT2)
    assert champ.backtest["train_rows"] < same.backtest["train_rows"]  # the window moved on
    assert same.backtest["test_rows"] > 2000  # the new arrivals are all test records
    assert champ.metrics["rows"]["overall"] == champ.backtest["test_rows"]
    assert same.metrics["rows"]["overall"] == same.backtest["test_rows"]
    # the recorded metrics come from different test sets: comparing them is not like for like
    assert same.metrics["mae_log"] != pytest.approx(champ.metrics["mae_log"], abs=1e-9)


def test_promote_rescores_the_champion_on_the_candidates_split(
    versions: Versions, tmp_path: Path
) -> None:
    settings = _copy(versions, tmp_path)
    champ, same, worse = versions.champion, versions.same, versions.worse
    steps: list[str] = []
    with pytest.raises(PromotionRefused, match="worse than champion") as refused:
        promote(worse.model_id, settings, progress=steps.append)  # opens the store itself
    assert f"dataset v2 backtest (newest arrivals: test on or after {CUT2}" in str(refused.value)
    assert "champion on" in str(refused.value) and "of v1" in str(refused.value)
    assert any(s.startswith(f"scoring champion {champ.model_id}") for s in steps)
    assert champion_id(settings) == champ.model_id

    again = get_record(champ.model_id, settings).rescored[SPLIT]
    assert (again["data_version"], again["cutoff"]) == (2, CUT2)
    assert again["train_rows"] == worse.backtest["train_rows"]
    assert again["test_rows"] == worse.backtest["test_rows"] == again["metrics"]["rows"]["overall"]
    assert again["seed"] == champ.seed and again["trained_code_version"] == champ.code_version
    assert again["code_version"]
    # the champion's procedure on v2's split is exactly the v2 candidate with the same recipe
    assert again["metrics"]["mae_log"] == pytest.approx(same.metrics["mae_log"], rel=1e-9)
    assert again["metrics"]["coverage"] == pytest.approx(same.metrics["coverage"], rel=1e-9)
    assert again["metrics"]["mae_log"] != pytest.approx(champ.metrics["mae_log"], abs=1e-9)
    assert not (settings.model_dir / champ.model_id / "meta.json.tmp").exists()

    record = promote(same.model_id, settings)
    entry = promotion_log(settings)[-1]
    assert record.promotion == entry and entry["force"] is False
    if "instead_of" in entry:  # the plain LightGBM challenger beat the candidate
        assert entry["instead_of"] == same.model_id and "-plain-" in record.model_id
    else:
        assert record.model_id == same.model_id
        assert entry["reason"].startswith("no worse than the champion on the dataset v2 backtest")
    assert champion_id(settings) == record.model_id
    used = entry["backtest"]
    assert (used["data_version"], used["cutoff"]) == (2, CUT2)
    assert used["test_rows"] == same.backtest["test_rows"]
    assert used["champion_code_version"] == champ.code_version
    assert used["champion_mae_log"] == pytest.approx(again["metrics"]["mae_log"])
    assert used["candidate_mae_log"] == pytest.approx(same.metrics["mae_log"], rel=1e-9)

    # every promotion scores both models: without the store it cannot
    settings.store_path.unlink()
    with pytest.raises(BacktestUnavailable, match="configured store does not exist"):
        promote(worse.model_id, settings)
    assert champion_id(settings) == record.model_id


def test_a_missing_data_version_is_refused_unless_forced(
    versions: Versions, tmp_path: Path, bundled_store: Store
) -> None:
    settings = _copy(versions, tmp_path, with_store=False)
    champ, same = versions.champion, versions.same
    with pytest.raises(
        BacktestUnavailable, match=r"configured store does not exist, so dataset version 2"
    ):
        promote(same.model_id, settings)
    # the bundled store holds v1 only: the candidate's backtest data is gone
    with pytest.raises(BacktestUnavailable, match=r"dataset version 2 is not in the store") as e:
        promote(same.model_id, settings, store=bundled_store)
    assert "versions: 1" in str(e.value) and "force the promotion to override" in str(e.value)
    assert champion_id(settings) == champ.model_id
    assert get_record(champ.model_id, settings).rescored == {}

    record = promote(same.model_id, settings, store=bundled_store, force=True)
    assert record.champion and champion_id(settings) == same.model_id
    entry = promotion_log(settings)[-1]
    assert entry["force"] is True and entry["backtest"] is None
    assert entry["reason"].startswith("forced without a like-for-like backtest")
    assert "dataset version 2 is not in the store" in entry["reason"]


def test_a_split_that_cannot_be_reproduced_is_refused(versions: Versions, tmp_path: Path) -> None:
    settings = _copy(versions, tmp_path)
    meta_path = settings.model_dir / versions.same.model_id / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["backtest"]["test_rows"] += 1  # the store's v2 no longer gives that split
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(BacktestUnavailable, match="cannot reproduce the candidate's backtest"):
        promote(versions.same.model_id, settings)
    assert champion_id(settings) == versions.champion.model_id


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYATLAS_HOME": str(home), "COLUMNS": "160"}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=300)


def test_cli_and_api_name_the_backtest_of_each_model(versions: Versions, tmp_path: Path) -> None:
    settings = _copy(versions, tmp_path)
    champ, same, worse = versions.champion, versions.same, versions.worse
    refused = run(settings.home, "promote", worse.model_id)
    assert refused.returncode != 0
    assert "worse than champion" in refused.stderr and "dataset v2 backtest" in refused.stderr

    listed = json.loads(run(settings.home, "models", "--json").stdout)
    by_id = {m["model_id"]: m for m in listed}
    assert by_id[champ.model_id]["backtest"]["data_version"] == 1
    assert by_id[same.model_id]["backtest"]["data_version"] == 2
    assert by_id[champ.model_id]["backtest"]["cutoff"] == CUT1
    assert by_id[same.model_id]["backtest"]["cutoff"] == CUT2
    assert SPLIT in by_id[champ.model_id]["rescored"]
    table = run(settings.home, "models").stdout
    assert f"v1@{CUT1}" in table and f"v2@{CUT2}" in table
    assert f"{champ.model_id} re-scored on {SPLIT}" in table

    done = run(settings.home, "promote", same.model_id)
    assert done.returncode == 0, done.stderr
    assert "dataset v2 backtest" in done.stdout and "bias of the candidate" in done.stdout

    view = registry_view(settings).as_dict()  # what GET /v1/models returns
    assert view["champion"] in (same.model_id, view["promotions"][-1]["model_id"])
    models = {m["model_id"]: m for m in view["models"]}
    assert models[champ.model_id]["backtest"]["data_version"] == 1
    assert models[champ.model_id]["rescored"][SPLIT]["test_rows"] == same.backtest["test_rows"]
    assert view["promotions"][-1]["backtest"]["data_version"] == 2


def test_a_record_without_a_split_version_reads_as_its_own(
    versions: Versions, tmp_path: Path
) -> None:
    settings = _copy(versions, tmp_path, with_store=False)
    meta_path = settings.model_dir / versions.champion.model_id / "meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["backtest"]["data_version"]  # as recorded before the gate compared splits
    meta_path.write_text(json.dumps(meta))
    record = get_record(versions.champion.model_id, settings)
    assert record.backtest["data_version"] == 1 and record.backtest_label == f"v1@{CUT1}"


def test_a_promotion_in_another_process_waits_for_the_registry_lock(
    versions: Versions, tmp_path: Path
) -> None:
    """Read registry -> gate -> write is one critical section across processes: while the lock
    is held, a promotion from another process waits (even one that would return at once)."""
    import time

    from payatlas.model.registry import registry_lock

    settings = _copy(versions, tmp_path)
    code = (
        "import sys; from payatlas.model import promote; "
        "print(promote(sys.argv[1]).model_id, flush=True)"
    )
    env = {**os.environ, "PAYATLAS_HOME": str(settings.home)}
    champ = versions.champion.model_id  # promoting the champion again is instant once it runs
    with registry_lock(settings):
        child = subprocess.Popen(
            [sys.executable, "-c", code, champ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(4.0)  # importing payatlas takes about 1 s
        assert child.poll() is None, "the other process ran while the lock was held"
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode()
    assert out.decode().strip() == champ


def test_a_busy_store_is_not_a_reason_to_force(versions: Versions, tmp_path: Path) -> None:
    """A store locked by another process (a running server) is a StoreError without --force
    advice or file paths, and --force does not skip the gate because of it."""
    from payatlas.errors import StoreError

    settings = _copy(versions, tmp_path)
    hold = (
        "import sys, duckdb, time; c = duckdb.connect(sys.argv[1]); "
        "print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(settings.store_path)], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        for force in (False, True):
            with pytest.raises(StoreError, match="in use by another process") as busy:
                promote(versions.worse.model_id, settings, force=force)
            assert not isinstance(busy.value, BacktestUnavailable)
            assert str(settings.home) not in str(busy.value) and "--force" not in str(busy.value)
        assert champion_id(settings) == versions.champion.model_id
    finally:
        holder.kill()
        holder.wait()


def test_gate_compares_results_of_the_same_code(versions: Versions, tmp_path: Path) -> None:
    """A candidate scored by other code is refused (retrain it); the champion is scored again by
    this code at every promotion."""
    settings = _copy(versions, tmp_path)
    champ, worse = versions.champion, versions.worse
    steps: list[str] = []
    with pytest.raises(PromotionRefused, match="worse than champion"):
        promote(worse.model_id, settings, progress=steps.append)
    assert steps  # re-scored once
    meta_path = settings.model_dir / champ.model_id / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["rescored"][SPLIT]["code_version"] = "0.0.1+older"
    meta_path.write_text(json.dumps(meta))
    steps.clear()
    with pytest.raises(PromotionRefused, match="worse than champion"):
        promote(worse.model_id, settings, progress=steps.append)
    assert steps, "a re-score made by other code must not be reused"

    cand_path = settings.model_dir / worse.model_id / "meta.json"
    cand = json.loads(cand_path.read_text())
    cand["code_version"] = "0.0.1+older"
    cand_path.write_text(json.dumps(cand))
    with pytest.raises(BacktestUnavailable, match=r"retrain it"):
        promote(worse.model_id, settings)
    assert champion_id(settings) == champ.model_id


def test_gate_checks_the_data_behind_a_version_number(versions: Versions, tmp_path: Path) -> None:
    """A dataset version is identified by its ingest history, not its number alone: a candidate
    whose recorded data fingerprint the store no longer has is refused."""
    settings = _copy(versions, tmp_path)
    with Store.open(settings, read_only=True) as store:
        v1, v2 = store.fingerprint(1), store.fingerprint(2)
        assert v1 and v2 and v1 != v2 and store.fingerprint(3) is None
    assert versions.champion.backtest["data_fingerprint"] == v1
    assert versions.worse.backtest["data_fingerprint"] == v2
    cand_path = settings.model_dir / versions.worse.model_id / "meta.json"
    cand = json.loads(cand_path.read_text())
    cand["backtest"]["data_fingerprint"] = "0123456789abcdef"  # scored on another v2
    cand_path.write_text(json.dumps(cand))
    with pytest.raises(BacktestUnavailable, match="not the data the candidate was scored on"):
        promote(versions.worse.model_id, settings)
    assert champion_id(settings) == versions.champion.model_id
