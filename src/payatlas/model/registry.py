"""The local model registry: one folder per model under ``settings.model_dir``, a registry file
naming the champion, and a promotion log.

``registry.json``::

    {"champion": "v1-3f9c...", "log": [{"at": ..., "model_id": ..., "previous": ...,
                                         "force": false, "reason": "...", "backtest": {...}}]}

Each model's ``meta.json`` keeps its backtest metrics with the split they come from
(``backtest``: data version, cutoff, train/test rows) and any re-scores of its training
procedure on other splits (``rescored``, written by the gate: :mod:`payatlas.model.gate`).

This module is storage only: the promotion policy is :mod:`payatlas.model.gate` and the
promotion itself (gate, then record) :mod:`payatlas.model.promotion`.

Estimates always use the champion, loaded once per process and kept in memory (the cache is
keyed on the champion id, so a promotion is picked up by the next estimate).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock

from payatlas.durable import atomic_write_text, tmp_dir
from payatlas.errors import ModelError, NoChampion
from payatlas.model.artifact import FILES, FittedModel, json_text
from payatlas.model.cleanup import clean_models
from payatlas.settings import Settings, get_settings

REGISTRY = "registry.json"
#: what a model's ``meta.json`` must hold for the folder to count as a model (it is written last)
MANIFEST_KEYS = ("model_id", "data_version", "created_at", "seed", "code_version", "params", "rows")
_lock = threading.Lock()
_loaded: dict[tuple[str, str], FittedModel] = {}
_champion_id: dict[str, tuple[int, str | None]] = {}


@dataclass(slots=True)
class ModelRecord:
    """A trained model as the registry lists it."""

    model_id: str
    data_version: int
    created_at: str
    seed: int
    code_version: str
    params: dict[str, Any]
    metrics: dict[str, Any]
    rows: int
    champion: bool = False
    path: str = ""
    backtest: dict[str, Any] = field(default_factory=dict)
    rescored: dict[str, dict[str, Any]] = field(default_factory=dict)
    promotion: dict[str, Any] | None = None  # set by :func:`promote`: the decision it made

    @property
    def backtest_label(self) -> str:
        """Which backtest the metrics come from, e.g. ``v2@2024-07-01``."""
        return f"v{self.backtest.get('data_version', '?')}@{self.backtest.get('cutoff', '?')}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = {
            "model_id": self.model_id,
            "data_version": self.data_version,
            "created_at": self.created_at,
            "seed": self.seed,
            "code_version": self.code_version,
            "params": self.params,
            "metrics": self.metrics,
            "rows": self.rows,
            "champion": self.champion,
            "path": self.path,
            "backtest": self.backtest,
            "rescored": self.rescored,
        }
        if self.promotion is not None:
            out["promotion"] = self.promotion
        return out

    @classmethod
    def from_meta(cls, meta: dict[str, Any], *, champion: bool, path: Path) -> ModelRecord:
        """The record stored in a model's ``meta.json`` (a backtest recorded without its data
        version was run on the model's own)."""
        data_version = int(meta["data_version"])
        return cls(
            model_id=meta["model_id"],
            data_version=data_version,
            created_at=meta["created_at"],
            seed=int(meta["seed"]),
            code_version=meta["code_version"],
            params=meta["params"],
            metrics=meta.get("metrics", {}),
            rows=int(meta["rows"]),
            champion=champion,
            path=str(path),
            backtest={"data_version": data_version, **meta.get("backtest", {})},
            rescored=meta.get("rescored", {}),
        )


def _read_registry(settings: Settings) -> dict[str, Any]:
    path = settings.model_dir / REGISTRY
    if not path.is_file():
        return {"champion": None, "log": []}
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model registry {path}: {exc}") from exc


@contextmanager
def registry_lock(settings: Settings) -> Iterator[None]:
    """Hold the registry's inter-process lock (a promotion reads the registry, runs the gate and
    writes it back; two at once must not lose one or skip the gate). A ``filelock`` file lock:
    portable, released by the OS if the holder dies. It first clears what killed writers left
    (:func:`payatlas.model.cleanup.clean_models`)."""
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    clean_models(settings)
    # a new lock object per call holds its own descriptor, so threads of a process wait too
    with FileLock(settings.model_dir / ".registry.lock", thread_local=False):
        yield


def _write_registry(settings: Settings, data: dict[str, Any]) -> None:
    """Replace ``registry.json`` atomically (staged under ``PAYATLAS_HOME/tmp``, fsynced)."""
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    path = settings.model_dir / REGISTRY
    atomic_write_text(path, json_text(data), staging=tmp_dir(settings.home))


def champion_id(settings: Settings | None = None) -> str | None:
    """The champion's id (None before the first promotion); cheap to call per estimate."""
    settings = settings or get_settings()
    path = settings.model_dir / REGISTRY
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    key = str(path)
    cached = _champion_id.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    found = _read_registry(settings).get("champion")
    _champion_id[key] = (mtime, found)
    return found


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """A model folder's ``meta.json`` when the folder is a complete model (every file present, a
    manifest naming the folder with every key); None for anything else (debris, a hidden or
    half-copied folder). Never raises."""
    if folder.name.startswith(".") or not folder.is_dir():
        return None
    if any(not (folder / name).is_file() for name in FILES):
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or any(meta.get(k) in (None, "") for k in MANIFEST_KEYS):
        return None
    if meta["model_id"] != folder.name:
        return None
    return meta


def _record(meta: dict[str, Any], *, champion: bool, folder: Path) -> ModelRecord | None:
    try:
        return ModelRecord.from_meta(meta, champion=champion, path=folder)
    except (KeyError, TypeError, ValueError):
        return None


def list_models(settings: Settings | None = None) -> list[ModelRecord]:
    """Every complete model in the registry folder, newest first (anything else there, such as
    a folder without a complete manifest, is not a model and is not listed)."""
    settings = settings or get_settings()
    if not settings.model_dir.is_dir():
        return []
    champ = champion_id(settings)
    out = []
    for folder in settings.model_dir.iterdir():
        meta = read_manifest(folder)
        found = meta and _record(meta, champion=meta["model_id"] == champ, folder=folder)
        if found:
            out.append(found)
    return sorted(out, key=lambda r: (r.created_at, r.model_id), reverse=True)


def get_record(model_id: str, settings: Settings | None = None) -> ModelRecord:
    """One model's record; raises ModelError for an unknown id."""
    settings = settings or get_settings()
    folder = settings.model_dir / model_id
    meta = None
    if model_id and "/" not in model_id and "\\" not in model_id:
        meta = read_manifest(folder)
    found = meta and _record(meta, champion=champion_id(settings) == model_id, folder=folder)
    if not found:
        raise ModelError(f"no model {model_id!r} in {settings.model_dir}")
    return found


def load_model(model_id: str, settings: Settings | None = None) -> FittedModel:
    """A model by id, loaded once per process."""
    settings = settings or get_settings()
    key = (str(settings.model_dir), model_id)
    with _lock:
        hit = _loaded.get(key)
        if hit is None:
            get_record(model_id, settings)
            hit = FittedModel.load(settings.model_dir / model_id)
            _loaded[key] = hit
        return hit


def champion(settings: Settings | None = None) -> FittedModel:
    """The champion model (in memory after the first call); raises NoChampion."""
    settings = settings or get_settings()
    found = champion_id(settings)
    if found is None:
        raise NoChampion(
            "no champion model yet: run `payatlas init` or `payatlas train` then "
            "`payatlas promote ID`"
        )
    return load_model(found, settings)


def read_champion(settings: Settings) -> str | None:
    """The champion id read from the registry file now (uncached: for use under the lock)."""
    found = _read_registry(settings).get("champion")
    return None if found is None else str(found)


def record_promotion(settings: Settings, entry: dict[str, Any]) -> None:
    """Write ``entry["model_id"]`` as the champion and append ``entry`` to the promotion log
    (call it holding :func:`registry_lock`)."""
    registry = _read_registry(settings)
    registry["champion"] = entry["model_id"]
    registry.setdefault("log", []).append(entry)
    _write_registry(settings, registry)


def promotion_log(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every promotion, oldest first."""
    return list(_read_registry(settings or get_settings()).get("log", []))
