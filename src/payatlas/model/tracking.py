"""Tracked experiments and the model registry on MLflow (``sqlite:///`` in PAYATLAS_HOME/models).

MLflow is the registry's source of truth: its store is ``models/mlflow.db`` and its artifacts
``models/.mlartifacts/`` (beside the model folders, so copying ``models/`` copies the registry):

- every trained model is an MLflow **run** (experiment ``payatlas``) with its parameters, data
  version and fingerprint, backtest split, metrics per group (``coverage.senior``,
  ``bias.region:Europe``...) and the model folder as its artifact (``model/``);
- the run is registered as a **version** of the registered model ``payatlas``, tagged with the
  PayAtlas model id (``model_id``);
- the champion is the registered model's **alias** ``champion`` (a challenger served in shadow,
  the alias ``shadow``); each promotion decision and each retrain verdict is a tag on the
  registered model (``promotion.0001``, ``retrain.0001``: JSON) and on its version.

Writes go through :class:`mlflow.MlflowClient`. Reads on the serving path (which model is the
champion, which ids are registered) are plain read-only SQL on the same sqlite file: importing
mlflow takes about 2 s (measured: ``python -X importtime -c "import mlflow"``), a read of the
alias table about 0.1 ms, and ``champion_id`` runs on every estimate. A test checks that
``MlflowClient`` and these reads agree. MLflow is imported only when something is written (never
by ``payatlas --help`` or an estimate).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from payatlas.errors import ModelError
from payatlas.settings import Settings

if TYPE_CHECKING:
    from mlflow import MlflowClient

DB_NAME = "mlflow.db"
ARTIFACTS = ".mlartifacts"  # hidden: not a model folder
EXPERIMENT = "payatlas"
REGISTERED = "payatlas"
CHAMPION, SHADOW = "champion", "shadow"
#: MLflow keeps tag values up to this length
TAG_MAX = 5000
_clients: dict[str, MlflowClient] = {}
_empty_db: list[bytes] = []  # a freshly migrated empty store, kept once per process
_lock = threading.Lock()


_db_paths: dict[Path, tuple[Path, str]] = {}


def db_path(settings: Settings) -> Path:
    """The MLflow sqlite file."""
    return _db(settings)[0]


def _db(settings: Settings) -> tuple[Path, str]:
    """(path, path as text) of the home's MLflow file, built once per home (read per request)."""
    found = _db_paths.get(settings.home)
    if found is None:
        path = settings.model_dir / DB_NAME
        found = _db_paths.setdefault(settings.home, (path, str(path)))
    return found


def tracking_uri(settings: Settings) -> str:
    """The ``sqlite:///`` URI of the home's MLflow store (what ``mlflow ui --backend-store-uri``
    and :class:`mlflow.MlflowClient` take)."""
    return f"sqlite:///{db_path(settings).resolve()}"


def client(settings: Settings) -> MlflowClient:
    """An MlflowClient on the home's store (created, with its experiment and registered model,
    on first use). MLflow's schema migrations take seconds, so after the first store a process
    creates, new stores start as a copy of that empty, migrated file."""
    uri = tracking_uri(settings)
    with _lock:
        found = _clients.get(uri)
        if found is not None and db_path(settings).is_file():
            return found
        os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
        os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
        from mlflow import MlflowClient

        for name in ("mlflow", "alembic"):  # MLflow sets its loggers' levels on import
            logging.getLogger(name).setLevel(logging.WARNING)

        path = db_path(settings)
        settings.model_dir.mkdir(parents=True, exist_ok=True)
        if not path.is_file() and _empty_db:
            staged = path.with_name(f".{DB_NAME}.{os.getpid()}.tmp")
            staged.write_bytes(_empty_db[0])
            os.replace(staged, path)
        fresh = not path.is_file()
        made = MlflowClient(uri, registry_uri=uri)
        if fresh and not _empty_db:
            _empty_db.append(path.read_bytes())
        _setup(made, settings)
        _clients[uri] = made
        return made


def _setup(made: MlflowClient, settings: Settings) -> None:
    artifacts = (settings.model_dir.resolve() / ARTIFACTS).as_uri()
    found = made.get_experiment_by_name(EXPERIMENT)
    if found is not None and found.artifact_location != artifacts:
        # the home was moved or copied: new runs keep their files in this home
        made.rename_experiment(found.experiment_id, f"{EXPERIMENT}-{found.experiment_id}")
        found = None
    if found is None:
        made.create_experiment(EXPERIMENT, artifact_location=artifacts)
    from mlflow.exceptions import MlflowException

    try:
        made.get_registered_model(REGISTERED)
    except MlflowException:
        made.create_registered_model(
            REGISTERED, description="PayAtlas pay models (LightGBM + conformal ranges)"
        )


# -- writes --------------------------------------------------------------------------------------


def _flat(prefix: str, value: Any, out: dict[str, float]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        out[prefix] = float(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)


def run_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """A model's backtest metrics flattened to MLflow metric names (``coverage.senior``,
    ``rows.US``, ``bias.region:Europe``...); MLflow names allow ``:`` and ``.``."""
    out: dict[str, float] = {}
    _flat("", metrics, out)
    return {k.replace(" ", "_"): v for k, v in out.items()}


def log_training(settings: Settings, meta: dict[str, Any], folder: Path) -> str:
    """Record one trained model: a run with its parameters, data version and fingerprint,
    metrics per group and the model folder as artifact, registered as a version of
    ``payatlas`` tagged with its model id. Returns the run id."""
    made = client(settings)
    experiment = made.get_experiment_by_name(EXPERIMENT)
    assert experiment is not None  # made by client()
    backtest = meta.get("backtest", {})
    tags = {
        "model_id": meta["model_id"],
        "data_version": str(meta["data_version"]),
        "data_fingerprint": str(backtest.get("data_fingerprint")),
        "code_version": str(meta.get("code_version")),
        "backtest.cutoff": str(backtest.get("cutoff")),
        "mlflow.runName": meta["model_id"],
    }
    run = made.create_run(experiment.experiment_id, tags=tags)
    rid = run.info.run_id
    from mlflow.entities import Metric, Param

    params = {f"param.{k}": json.dumps(v) if not isinstance(v, str) else v
              for k, v in meta.get("params", {}).items()}  # fmt: skip
    params.update(
        seed=str(meta.get("seed")),
        data_version=str(meta["data_version"]),
        data_fingerprint=str(backtest.get("data_fingerprint")),
        rows=str(meta.get("rows")),
        train_rows=str(backtest.get("train_rows")),
        test_rows=str(backtest.get("test_rows")),
        cutoff=str(backtest.get("cutoff")),
    )
    stamp = _now_ms()
    made.log_batch(
        rid,
        metrics=[Metric(k, v, stamp, 0) for k, v in run_metrics(meta.get("metrics", {})).items()],
        params=[Param(k, str(v)[:6000]) for k, v in params.items()],
    )
    made.log_artifacts(rid, str(folder), "model")
    made.set_terminated(rid)
    made.create_model_version(
        REGISTERED,
        source=f"runs:/{rid}/model",
        run_id=rid,
        tags={"model_id": meta["model_id"], "data_version": str(meta["data_version"])},
        description=f"PayAtlas model {meta['model_id']}",
    )
    forget(settings)
    return rid


def _now_ms() -> int:
    import time

    return int(time.time() * 1000)


def _version(settings: Settings, model_id: str) -> str:
    found = read_versions(settings).get(model_id)
    if found is None:
        raise ModelError(f"model {model_id} is not registered in the MLflow store")
    return found


def set_alias(settings: Settings, alias: str, model_id: str) -> None:
    """Point ``alias`` (``champion``, ``shadow``) at the model's newest registered version."""
    client(settings).set_registered_model_alias(REGISTERED, alias, _version(settings, model_id))
    forget(settings)


def delete_alias(settings: Settings, alias: str) -> None:
    """Remove ``alias`` (no error when it is not set)."""
    if read_alias(settings, alias) is not None:
        client(settings).delete_registered_model_alias(REGISTERED, alias)
        forget(settings)


def append_log(settings: Settings, kind: str, entry: dict[str, Any]) -> None:
    """Append ``entry`` to the ``kind`` log (``promotion``, ``retrain``, ``shadow``): a JSON tag
    ``kind.NNNN`` on the registered model, and a tag on the version it names."""
    made = client(settings)
    forget(settings)
    n = len(read_log(settings, kind)) + 1
    text = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    if len(text) > TAG_MAX:  # the full gate backtest is in the promoted model's run artifacts
        slim = {k: v for k, v in entry.items() if k != "backtest"}
        text = json.dumps({**slim, "backtest": "truncated"}, sort_keys=True)[:TAG_MAX]
    made.set_registered_model_tag(REGISTERED, f"{kind}.{n:04d}", text)
    model_id = entry.get("model_id")
    version = read_versions(settings).get(str(model_id)) if model_id else None
    if version is not None:
        reason = str(entry.get("reason"))[:TAG_MAX]
        made.set_model_version_tag(REGISTERED, version, f"{kind}.reason", reason)
    forget(settings)


# -- reads (plain SQL on MLflow's tables: no mlflow import) ---------------------------------------


@dataclass(frozen=True, slots=True)
class _Snapshot:
    stamp: tuple[int, int]  # the file's mtime and size
    aliases: dict[str, str]  # alias -> model id
    versions: dict[str, str]  # model id -> newest version
    tags: dict[str, str]  # registered-model tags
    serving: str = ""  # the champion and how often ranges were adapted: a serving cache key
    home: Path | None = None  # the settings' home object it was read for


_snapshots: dict[str, _Snapshot] = {}
_last: list[_Snapshot | None] = [None]  # the snapshot read last in this process


def _read(settings: Settings) -> _Snapshot:
    path, key = _db(settings)
    try:
        st = os.stat(key)
    except FileNotFoundError:
        return _Snapshot((0, 0), {}, {}, {})
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _snapshots.get(key)
    if hit is not None and hit.stamp == stamp:
        _last[0] = hit
        return hit
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            versions = dict(
                con.execute(
                    "SELECT value, MAX(CAST(version AS INTEGER)) FROM model_version_tags "
                    "WHERE name = ? AND key = 'model_id' GROUP BY value",
                    [REGISTERED],
                ).fetchall()
            )
            by_version = {str(v): m for m, v in versions.items()}
            aliases = {
                a: by_version[str(v)]
                for a, v in con.execute(
                    "SELECT alias, version FROM registered_model_aliases WHERE name = ?",
                    [REGISTERED],
                ).fetchall()
                if str(v) in by_version
            }
            tags = dict(
                con.execute(
                    "SELECT key, value FROM registered_model_tags WHERE name = ?", [REGISTERED]
                ).fetchall()
            )
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # being created by another process
            return _Snapshot((0, 0), {}, {}, {})
        raise ModelError(f"cannot read the MLflow model registry: {exc}") from exc
    adapted = sum(1 for k in tags if k.startswith("adaptive."))
    serving = f"{aliases.get(CHAMPION, '')}@{adapted}"
    snap = _Snapshot(
        stamp, aliases, {m: str(v) for m, v in versions.items()}, tags, serving, settings.home
    )
    _snapshots[key] = snap
    _last[0] = snap
    return snap


def read_alias(settings: Settings, alias: str) -> str | None:
    """The model id an alias names (None when unset); cheap: cached on the file's mtime."""
    return _read(settings).aliases.get(alias)


def serving_key(settings: Settings) -> str:
    """What a cached estimate depends on in the registry: the champion and the number of
    range adaptations recorded (one ``stat`` of the store file per call)."""
    return _read(settings).serving


def last_alias(settings: Settings, alias: str) -> str | None:
    """Like :func:`read_alias` from the last snapshot read, without checking the file again
    (for a second look in the same request)."""
    last = _last[0]
    if last is not None and last.home is settings.home:  # the same settings object: no lookup
        return last.aliases.get(alias)
    hit = _snapshots.get(_db(settings)[1])
    return None if hit is None else hit.aliases.get(alias)


def read_versions(settings: Settings) -> dict[str, str]:
    """Registered model ids -> their newest version number."""
    return dict(_read(settings).versions)


def read_log(settings: Settings, kind: str) -> list[dict[str, Any]]:
    """The ``kind`` log, oldest first."""
    tags = _read(settings).tags
    keys = sorted(k for k in tags if k.startswith(f"{kind}."))
    out = []
    for k in keys:
        try:
            out.append(dict(json.loads(tags[k])))
        except ValueError:
            continue
    return out


def forget(settings: Settings) -> None:
    """Drop this process's cached reads of the store (after a write)."""
    _snapshots.pop(_db(settings)[1], None)
