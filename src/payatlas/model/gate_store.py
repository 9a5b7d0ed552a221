"""The gate's store access: the dataset versions it scores on, and the champion's re-scores.

:func:`open_store` opens the configured store read-only for a promotion (or uses the caller's);
:func:`version_frame` loads a dataset version, naming it when the store lacks it;
:func:`record_rescore` keeps a champion's figures on a split in its ``meta.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from payatlas.errors import BacktestUnavailable, StoreError
from payatlas.model.artifact import dump_json
from payatlas.model.data import load_frame
from payatlas.model.registry import ModelRecord
from payatlas.settings import Settings
from payatlas.store import Store


def split_key(data_version: int, cutoff: str) -> str:
    """The key of a re-scored backtest in a model's ``rescored`` map."""
    return f"v{data_version}@{cutoff}"


def version_frame(store: Store, dv: int, who: str) -> pd.DataFrame:
    have = [v.version for v in store.versions()]
    if dv not in have:
        listed = ", ".join(map(str, have)) or "none"
        raise BacktestUnavailable(
            f"cannot score {who} on the candidate's backtest: dataset version {dv} is not in "
            f"the store (versions: {listed})"
        )
    return load_frame(store, version=dv)


@contextmanager
def open_store(store: Store | None, settings: Settings, candidate: ModelRecord) -> Iterator[Store]:
    """``store``, or the configured store opened read-only for the gate (closed after)."""
    if store is not None:
        yield store
        return
    if not settings.store_path.is_file():
        raise BacktestUnavailable(
            f"cannot re-score the champion on model {candidate.model_id}'s backtest: the "
            f"configured store does not exist, so dataset version "
            f"{candidate.backtest['data_version']} is not available"
        )
    try:
        opened = Store.open(settings, read_only=True)
    except StoreError as exc:
        # a busy store is not a missing split: no --force advice, and no path in the message
        raise StoreError(
            "cannot open the store to re-score the champion: it is in use by another process "
            "(a running `payatlas serve`?); promote through that server "
            "(POST /v1/models/{id}/promote) or stop it and retry"
        ) from exc
    try:
        yield opened
    finally:
        opened.close()


def record_rescore(champion: ModelRecord, entry: dict[str, Any]) -> None:
    """Keep a re-scored backtest in the champion's ``meta.json`` (atomic replace)."""
    meta_path = Path(champion.path) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.setdefault("rescored", {})[split_key(entry["data_version"], entry["cutoff"])] = entry
    dump_json(meta, meta_path)  # atomic: staged, fsynced, replaced
    champion.rescored = meta["rescored"]
