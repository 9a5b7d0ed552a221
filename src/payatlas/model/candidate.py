"""Train a candidate model on the current dataset version and record it in the registry."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import payatlas.model.tracking as tracking
from payatlas.durable import publish_dir, remove, staging_name, tmp_dir
from payatlas.errors import EmptyStore
from payatlas.model.artifact import FittedModel, dump_json
from payatlas.model.backtest import rolling_cutoff, score_payatlas, split
from payatlas.model.cleanup import clean_models
from payatlas.model.codeversion import code_version
from payatlas.model.data import load_frame
from payatlas.model.registry import ModelRecord, get_record, read_manifest
from payatlas.model.train import fit_model, is_plain
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

Progress = Callable[[str], None]


def _model_id(model: FittedModel, data_version: int, folder: Path) -> str:
    digest = hashlib.sha256()
    for name in ("encoders.json", "calibration.json", "evidence.json"):
        digest.update((folder / name).read_bytes())
    for path in sorted(folder.glob("booster-*.txt")):
        digest.update(path.read_bytes())
    plain = "plain-" if is_plain(model.meta.get("params", {})) else ""
    return f"v{data_version}-{plain}{digest.hexdigest()[:10]}"


def train_candidate(
    store: Store,
    settings: Settings | None = None,
    *,
    seed: int | None = None,
    params: dict[str, Any] | None = None,
    cutoff: str | None = None,
    data_version: int | None = None,
    progress: Progress | None = None,
) -> ModelRecord:
    """Backtest the configuration (train before ``cutoff``, test after; by default the test
    window is the version's newest arrivals, :func:`~payatlas.model.backtest.rolling_cutoff`),
    then fit it on the whole current dataset (``data_version``, default the latest) and save it
    as a candidate. Same seed + same data -> same files and id."""
    settings = settings or get_settings()
    clean_models(settings)  # what a killed train or promote left behind
    seed = settings.seed if seed is None else seed
    step = progress or (lambda _msg: None)
    if data_version is None:
        data_version = store.latest_version()
    if data_version is None:
        raise EmptyStore("the store is empty: run `payatlas init` or `payatlas ingest FILE`")
    frame = load_frame(store, version=data_version)
    day = rolling_cutoff(frame) if cutoff is None else dt.date.fromisoformat(cutoff)
    train, test, note = split(frame, day)
    if note:
        day = dt.date.fromisoformat(note.rsplit(" ", 2)[-2])
    cutoff = day.isoformat()
    step(
        f"backtest: cutoff {cutoff} (newest arrivals test): {len(train):,} train / "
        f"{len(test):,} test records"
    )
    metrics = score_payatlas(
        train,
        test,
        params=params,
        seed=seed,
        threads=settings.threads,
        privacy_threshold=settings.privacy_threshold,
    )
    step(f"training on {len(frame):,} records (dataset version {data_version})")
    model = fit_model(
        frame,
        params=params,
        seed=seed,
        threads=settings.threads,
        privacy_threshold=settings.privacy_threshold,
    )
    # staged outside the listed tree, published in one rename: a kill leaves no half a model
    staging = tmp_dir(settings.home) / staging_name("model", suffix="")
    try:
        model.meta.update(data_version=data_version, model_id="")
        model.save(staging)
        model_id = _model_id(model, data_version, staging)
        model.meta.update(
            model_id=model_id,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            code_version=code_version(),
            metrics=metrics,
            backtest={
                "data_version": data_version,
                "cutoff": cutoff,
                "train_rows": len(train),
                "test_rows": len(test),
                "data_fingerprint": store.fingerprint(data_version),
                "note": note,
            },
        )
        dump_json(model.meta, staging / "meta.json")  # the manifest, last
        target = settings.model_dir / model_id
        if read_manifest(target) is None or model_id not in tracking.read_versions(settings):
            # the MLflow run (parameters, data, metrics per group, the files) comes first: a
            # folder is listed only once it is registered
            tracking.log_training(settings, model.meta, staging)
        # False when the same seed and data gave this model before: the first record is kept
        publish_dir(staging, target)
    except BaseException:
        remove(staging)
        raise
    step(f"candidate {model_id}")
    return get_record(model_id, settings)
