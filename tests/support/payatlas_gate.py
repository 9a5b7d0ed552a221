"""Small, fixed stores for the promotion gate's tests (#11).

Every third bundled survey submission (a fixed slice, about 17k records):

- ``v1``: the slice's records that arrived before 2024-08-01 (the "snapshot");
- ``later``: the slice's records that arrived on or after it, ingested as ``v2``, either as they
  are (``real``) or with pay shuffled across those records (``shuffled``: a dataset version
  whose labels are noise).
"""

from __future__ import annotations

import csv
import gzip
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.store import Store

SNAPSHOT_END = "2024-08-01"
STEP = 3
#: small and quick: the gate's tests check decisions, not accuracy
FAST: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 60, "learning_rate": 0.1}
#: deliberately worse: a few rounds of a slow learning rate leave the model near the mean
WORSE: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 3, "learning_rate": 0.05}
#: better than WORSE, clearly worse than the plain LightGBM challenger
MEDIOCRE: dict[str, Any] = {
    "objectives": ["regression"],
    "num_boost_round": 10,
    "learning_rate": 0.1,
}
PAY = ("salary", "salary_in_usd", "salary_currency")


@dataclass(frozen=True)
class GateStores:
    """Store files: ``v1`` holds the snapshot; ``real`` and ``shuffled`` add the later
    arrivals as v2 (as they are / with pay shuffled across them)."""

    v1: Path
    real: Path
    shuffled: Path
    later_rows: int


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(aijobs_path(), "rt", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)[::STEP]
        return list(reader.fieldnames or []), rows


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def build_stores(folder: Path) -> GateStores:
    """Write the three store files under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    fields, rows = _rows()
    old = [r for r in rows if r["first_seen"] < SNAPSHOT_END]
    later = [r for r in rows if r["first_seen"] >= SNAPSHOT_END]
    pay = [tuple(r[c] for c in PAY) for r in later]
    random.Random(11).shuffle(pay)
    shuffled = [{**r, **dict(zip(PAY, p, strict=True))} for r, p in zip(later, pay, strict=True)]
    v1 = folder / "v1.duckdb"
    with Store(v1) as store:
        ingest(_write(folder / "snapshot.csv", fields, old), store=store, source="aijobs")
    out = {}
    for name, data in (("real", later), ("shuffled", shuffled)):
        path = folder / f"{name}.duckdb"
        shutil.copyfile(v1, path)
        with Store(path) as store:
            report = ingest(
                _write(folder / f"{name}.csv", fields, data), store=store, source="aijobs-later"
            )
            assert report.dataset_version == 2, report
        out[name] = path
    return GateStores(v1=v1, real=out["real"], shuffled=out["shuffled"], later_rows=len(later))


@dataclass(frozen=True)
class GateRegistry:
    """A model registry over :class:`GateStores`: the champion (FAST on v1) and candidates."""

    stores: GateStores
    models: Path  # the registry folder (copy it before promoting)
    champion: str  # FAST, seed 7, data v1
    worse: str  # WORSE, seed 7, data v1
    shuffled: str  # FAST, seed 7, data v2 of the shuffled store
    real: str  # FAST, seed 7, data v2 of the real store
    weak_models: Path  # another registry: champion WORSE on v1, candidate MEDIOCRE on v1
    weak_champion: str
    mediocre: str


_BUILT: dict[Path, GateRegistry] = {}


def gate_registry(folder: Path) -> GateRegistry:
    """The stores and registries under ``folder``, built once per process."""
    if folder in _BUILT:
        return _BUILT[folder]
    from payatlas.model import promote, train_candidate
    from payatlas.settings import Settings

    stores = build_stores(folder / "stores")
    settings = Settings(home=folder / "main")
    with Store(stores.v1, read_only=True) as store:
        champion = train_candidate(store, settings, seed=7, params=FAST).model_id
        worse = train_candidate(store, settings, seed=7, params=WORSE).model_id
    promote(champion, settings)
    with Store(stores.shuffled, read_only=True) as store:
        shuffled = train_candidate(store, settings, seed=7, params=FAST).model_id
    with Store(stores.real, read_only=True) as store:
        real = train_candidate(store, settings, seed=7, params=FAST).model_id
    weak = Settings(home=folder / "weak")
    with Store(stores.v1, read_only=True) as store:
        weak_champion = train_candidate(store, weak, seed=7, params=WORSE).model_id
        mediocre = train_candidate(store, weak, seed=7, params=MEDIOCRE).model_id
    promote(weak_champion, weak)
    built = GateRegistry(
        stores=stores,
        models=settings.model_dir,
        champion=champion,
        worse=worse,
        shuffled=shuffled,
        real=real,
        weak_models=weak.model_dir,
        weak_champion=weak_champion,
        mediocre=mediocre,
    )
    _BUILT[folder] = built
    return built


def gate_home(home: Path, models: Path, store: Path) -> Path:
    """A PAYATLAS_HOME holding a copy of ``models`` (a registry) and of ``store``."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(models, home / "models")
    shutil.copyfile(store, home / "payatlas.duckdb")
    return home
