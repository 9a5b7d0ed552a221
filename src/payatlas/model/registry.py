"""The model registry: one folder per model under ``settings.model_dir`` (the model's files),
registered in MLflow (:mod:`payatlas.model.tracking`), which names the champion (the registered
model's alias ``champion``) and keeps the promotion log.

Each model's ``meta.json`` keeps its backtest metrics with the split they come from
(``backtest``: data version, cutoff, train/test rows) and any re-scores of its training
procedure on other splits (``rescored``, written by the gate: :mod:`payatlas.model.gate`).
A folder counts as a model when it is complete and registered in MLflow.

This module is storage only: the promotion policy is :mod:`payatlas.model.gate` and the
promotion itself (gate, then record) :mod:`payatlas.model.promotion`.

Estimates always use the champion, loaded once per process and kept in memory (the alias is
read per estimate from the MLflow store's tables, cached on the file's mtime, so a promotion is
picked up by the next estimate).

Homes from before MLflow kept the champion and the log in ``models/registry.json``; the first
promotion, retrain or ``payatlas models`` on such a home registers its models in MLflow, replays
that log and renames the file ``registry.json.adopted``.
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

import payatlas.model.tracking as tracking
from payatlas.errors import ModelError, NoChampion
from payatlas.model.adaptive import ADAPTIVE_FILE
from payatlas.model.artifact import FILES, FittedModel, read_adaptation
from payatlas.model.cleanup import clean_models
from payatlas.settings import Settings, get_settings

#: the pre-MLflow registry file, adopted into MLflow when found
LEGACY_REGISTRY = "registry.json"
#: what a model's ``meta.json`` must hold for the folder to count as a model (it is written last)
MANIFEST_KEYS = ("model_id", "data_version", "created_at", "seed", "code_version", "params", "rows")
_lock = threading.Lock()
_loaded: dict[tuple[str, str], tuple[int, FittedModel]] = {}
#: parse LightGBM's boosters when a model is loaded (see :func:`preload_boosters`)
_preload = [False]


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
        adopt_unregistered(settings)
        _roll_forward(settings)
        yield


def _folders(settings: Settings) -> list[tuple[Path, dict[str, Any]]]:
    if not settings.model_dir.is_dir():
        return []
    found = ((f, read_manifest(f)) for f in settings.model_dir.iterdir())
    return [(f, m) for f, m in found if m is not None]


def adopt_unregistered(settings: Settings) -> list[str]:
    """Register in MLflow the complete model folders it does not know (a home from before
    MLflow) and replay a legacy ``registry.json`` (champion and log); returns the ids adopted.
    Call it holding :func:`registry_lock`."""
    known = tracking.read_versions(settings)
    todo = [(f, m) for f, m in _folders(settings) if m["model_id"] not in known]
    legacy = settings.model_dir / LEGACY_REGISTRY
    if not todo and not legacy.is_file():
        return []
    for folder, meta in sorted(todo, key=lambda fm: str(fm[1]["created_at"])):
        tracking.log_training(settings, meta, folder)
    if legacy.is_file():
        try:
            data = json.loads(legacy.read_text())
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the legacy model registry {legacy}: {exc}") from exc
        known = tracking.read_versions(settings)
        for entry in data.get("log", []):
            tracking.append_log(settings, "promotion", {**entry, "adopted_from": LEGACY_REGISTRY})
        if data.get("champion") in known:
            tracking.set_alias(settings, tracking.CHAMPION, str(data["champion"]))
        legacy.replace(legacy.with_name(LEGACY_REGISTRY + ".adopted"))
    return [m["model_id"] for _f, m in todo]


def _roll_forward(settings: Settings) -> None:
    """A promotion writes its log entry, then moves the alias: a process killed between the two
    left a decided promotion whose alias did not move; finish it."""
    log = tracking.read_log(settings, "promotion")
    if not log:
        return
    last = str(log[-1].get("model_id"))
    if last != read_champion(settings) and last in tracking.read_versions(settings):
        tracking.set_alias(settings, tracking.CHAMPION, last)


def champion_id(settings: Settings | None = None) -> str | None:
    """The champion's id (None before the first promotion): the MLflow alias ``champion``;
    cheap to call per estimate."""
    return tracking.read_alias(settings or get_settings(), tracking.CHAMPION)


def shadow_id(settings: Settings | None = None) -> str | None:
    """The model served in shadow beside the champion (the MLflow alias ``shadow``), if any."""
    return tracking.read_alias(settings or get_settings(), tracking.SHADOW)


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
    """Every complete model folder registered in MLflow, newest first (anything else there,
    such as a folder without a complete manifest, is not a model and is not listed)."""
    settings = settings or get_settings()
    if not settings.model_dir.is_dir():
        return []
    known = tracking.read_versions(settings)
    if (settings.model_dir / LEGACY_REGISTRY).is_file() or any(
        m["model_id"] not in known for _f, m in _folders(settings)
    ):
        with registry_lock(settings):  # a home from before MLflow: register its models
            known = tracking.read_versions(settings)
    champ = champion_id(settings)
    out = []
    for folder, meta in _folders(settings):
        if meta["model_id"] not in known:
            continue
        found = _record(meta, champion=meta["model_id"] == champ, folder=folder)
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
    if meta and model_id not in tracking.read_versions(settings):
        meta = None
    found = meta and _record(meta, champion=champion_id(settings) == model_id, folder=folder)
    if not found:
        raise ModelError(f"no model {model_id!r} in {settings.model_dir}")
    return found


def adaptation_stamp(model_id: str, settings: Settings) -> int:
    """When the model's range adaptation (``adaptive.json``) last changed (0: never)."""
    try:
        return (settings.model_dir / model_id / ADAPTIVE_FILE).stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return 0


def preload_boosters(on: bool = True) -> None:
    """Have this process parse LightGBM's boosters with every model it loads. A long-running
    server calls it: LightGBM evaluates a few rows faster than the compiled forest that a
    one-shot command (``payatlas estimate``) uses to start without importing LightGBM."""
    _preload[0] = on


def load_model(model_id: str, settings: Settings | None = None) -> FittedModel:
    """A model by id, loaded once per process (its range adaptation re-read when it
    changed)."""
    settings = settings or get_settings()
    key = (str(settings.model_dir), model_id)
    stamp = adaptation_stamp(model_id, settings)
    with _lock:
        hit = _loaded.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        if hit is None:
            get_record(model_id, settings)
            model = FittedModel.load(settings.model_dir / model_id, boosters=_preload[0])
        else:
            model = hit[1].with_adaptation(read_adaptation(settings.model_dir / model_id))
        _loaded[key] = (stamp, model)
        return model


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
    """The champion id read from the MLflow store now (uncached: for use under the lock)."""
    tracking.forget(settings)
    return champion_id(settings)


def record_promotion(settings: Settings, entry: dict[str, Any]) -> None:
    """Append ``entry`` to the promotion log, then point the ``champion`` alias at
    ``entry["model_id"]`` (call it holding :func:`registry_lock`; a kill between the two is
    finished by the next lock holder)."""
    tracking.append_log(settings, "promotion", entry)
    tracking.set_alias(settings, tracking.CHAMPION, entry["model_id"])


def promotion_log(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every promotion, oldest first."""
    return tracking.read_log(settings or get_settings(), "promotion")
