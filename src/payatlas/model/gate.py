"""The promotion gate's backtest: candidate and champion scored on the same split.

A model's recorded backtest (``meta.json``: ``metrics`` and ``backtest``) was run on the dataset
version it was trained on, at its cutoff. When the champion's backtest and the candidate's differ
in data version or cutoff (the champion trained on v1, the candidate on v2 after a new ingest),
their metrics are not comparable. The gate then re-scores the champion's training procedure (its
recorded parameters and seed, run by the current code) on the candidate's split, and records the
result with the champion (``meta.json`` -> ``rescored["v2@2024-07-01"]``) so it is done once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from payatlas.errors import BacktestUnavailable, EmptyStore, StoreError
from payatlas.model.artifact import dump_json
from payatlas.model.backtest import score_payatlas, split
from payatlas.model.codeversion import code_version
from payatlas.model.data import load_frame
from payatlas.model.fairness import fairness_refusal
from payatlas.model.registry import ModelRecord
from payatlas.settings import Settings
from payatlas.store import Store

Progress = Callable[[str], None]
#: where the champion's metrics came from
RECORDED, RESCORED, RESCORED_EARLIER = "recorded", "re-scored", "re-scored earlier"


@dataclass(frozen=True, slots=True)
class GateBacktest:
    """The one backtest split a promotion decision compares candidate and champion on."""

    data_version: int
    cutoff: str
    train_rows: int
    test_rows: int
    candidate: dict[str, Any]
    champion: dict[str, Any]
    champion_source: str = RECORDED
    code_version: str = ""  # the code that re-scored the champion (when re-scored)
    champion_code_version: str = ""  # the code the champion was trained with

    def describe(self) -> str:
        """One phrase naming the backtest, for messages and the promotion log."""
        how = {
            RECORDED: "both models' recorded backtests",
            RESCORED: "champion re-scored on this split",
            RESCORED_EARLIER: "champion re-scored on this split earlier",
        }[self.champion_source]
        return (
            f"the dataset v{self.data_version} backtest (cutoff {self.cutoff}: "
            f"{self.train_rows:,} train / {self.test_rows:,} test records; {how})"
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (what the promotion log keeps)."""
        out: dict[str, Any] = {
            "data_version": self.data_version,
            "cutoff": self.cutoff,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "champion_metrics": self.champion_source,
            "candidate_mae_log": self.candidate["mae_log"],
            "candidate_coverage_gap": self.candidate["coverage_gap"],
            "champion_mae_log": self.champion["mae_log"],
            "champion_coverage_gap": self.champion["coverage_gap"],
        }
        if self.champion_source != RECORDED:
            out["rescore_code_version"] = self.code_version
            out["champion_code_version"] = self.champion_code_version
        return out


def gate_score(metrics: dict[str, Any]) -> tuple[float, float]:
    """(MAE of log pay, worst distance of an 80% coverage from 0.80 over the gated groups)."""
    return float(metrics["mae_log"]), float(metrics["coverage_gap"])


def compare(candidate: dict[str, Any], current: dict[str, Any]) -> str | None:
    """Why ``candidate`` is worse than ``current`` on the backtest (None when it is not)."""
    c_mae, c_gap = gate_score(candidate)
    m_mae, m_gap = gate_score(current)
    problems = []
    if c_mae > m_mae + 1e-6:
        problems.append(f"MAE(log) {c_mae:.4f} > champion's {m_mae:.4f}")
    if c_gap > max(m_gap, 0.02) + 1e-6:
        problems.append(f"coverage gap {c_gap:.3f} > champion's {m_gap:.3f} (and > 0.02)")
    problems += [r] if (r := fairness_refusal(candidate, current)) else []
    return "; ".join(problems) or None


def split_key(data_version: int, cutoff: str) -> str:
    """The key of a re-scored backtest in a model's ``rescored`` map."""
    return f"v{data_version}@{cutoff}"


def _same_split(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("data_version", "cutoff", "train_rows", "test_rows")
    same_data = a.get("data_fingerprint") == b.get("data_fingerprint") or None in (
        a.get("data_fingerprint"),
        b.get("data_fingerprint"),
    )  # records made before fingerprints were kept compare on the rest
    return same_data and all(a.get(k) == b.get(k) for k in keys)


def gate_backtest(
    candidate: ModelRecord,
    champion: ModelRecord,
    *,
    settings: Settings,
    store: Store | None = None,
    progress: Progress | None = None,
) -> GateBacktest:
    """Candidate and champion metrics on the candidate's backtest split, both by this code.
    Uses the champion's recorded backtest when it is the same split and code version, else a
    re-score by this code recorded earlier, else re-scores the champion now (and records it).
    Raises BacktestUnavailable when the candidate was scored by other code (retrain it) or the
    split cannot be reproduced (dataset version not in the store, different rows, too few
    rows)."""
    want = candidate.backtest
    missing = [k for k in ("cutoff", "train_rows", "test_rows") if k not in want]
    if missing:
        raise BacktestUnavailable(
            f"model {candidate.model_id} has no recorded backtest split ({', '.join(missing)})"
        )
    dv, cutoff = int(want["data_version"]), str(want["cutoff"])
    current = code_version()
    if candidate.code_version != current:
        raise BacktestUnavailable(
            f"model {candidate.model_id} was trained and scored by code version "
            f"{candidate.code_version}, this is {current}: retrain it (`payatlas train`) so "
            "candidate and champion are scored by the same code"
        )

    def result(metrics: dict[str, Any], source: str, code: str = "") -> GateBacktest:
        return GateBacktest(
            data_version=dv,
            cutoff=cutoff,
            train_rows=int(want["train_rows"]),
            test_rows=int(want["test_rows"]),
            candidate=candidate.metrics,
            champion=metrics,
            champion_source=source,
            code_version=code,
            champion_code_version=champion.code_version,
        )

    if _same_split(champion.backtest, want) and champion.code_version == current:
        return result(champion.metrics, RECORDED)
    earlier = champion.rescored.get(split_key(dv, cutoff))
    if earlier and _same_split(earlier, want) and earlier.get("code_version") == current:
        return result(earlier["metrics"], RESCORED_EARLIER, earlier["code_version"])
    with _store(store, settings, candidate) as opened:
        entry = rescore(champion, want, store=opened, settings=settings, progress=progress)
    record_rescore(champion, entry)
    return result(entry["metrics"], RESCORED, entry["code_version"])


@contextmanager
def _store(store: Store | None, settings: Settings, candidate: ModelRecord) -> Iterator[Store]:
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


def rescore(
    champion: ModelRecord,
    backtest: dict[str, Any],
    *,
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Backtest the champion's procedure (its parameters and seed, this code) on the split
    ``backtest`` describes (``data_version``, ``cutoff``, and the row counts it must give)."""
    dv, cutoff = int(backtest["data_version"]), str(backtest["cutoff"])
    where = f"dataset version {dv}, cutoff {cutoff}"
    have = [v.version for v in store.versions()]
    if dv not in have:
        listed = ", ".join(map(str, have)) or "none"
        raise BacktestUnavailable(
            f"cannot re-score champion {champion.model_id} on the candidate's backtest: "
            f"dataset version {dv} is not in the store (versions: {listed})"
        )
    recorded, found = backtest.get("data_fingerprint"), store.fingerprint(dv)
    if recorded is not None and recorded != found:
        raise BacktestUnavailable(
            f"cannot re-score champion {champion.model_id} on the candidate's backtest: the "
            f"store's dataset version {dv} is not the data the candidate was scored on "
            "(another ingest history)"
        )
    step = progress or (lambda _msg: None)
    step(f"re-scoring champion {champion.model_id} on {where}")
    train, test, note = split(load_frame(store, version=dv), dt.date.fromisoformat(cutoff))
    sizes, expected = (len(train), len(test)), (backtest["train_rows"], backtest["test_rows"])
    if sizes != tuple(expected):
        raise BacktestUnavailable(
            f"cannot reproduce the candidate's backtest split ({where}): the store gives "
            f"{sizes[0]:,} train / {sizes[1]:,} test records, the candidate was scored on "
            f"{expected[0]:,} / {expected[1]:,}"
        )
    try:
        metrics = score_payatlas(
            train,
            test,
            params=champion.params,
            seed=champion.seed,
            threads=settings.threads,
            privacy_threshold=settings.privacy_threshold,
        )
    except EmptyStore as exc:
        raise BacktestUnavailable(f"cannot re-score the champion on {where}: {exc}") from exc
    return {
        "data_version": dv,
        "cutoff": cutoff,
        "train_rows": sizes[0],
        "test_rows": sizes[1],
        "data_fingerprint": found,
        "note": note,
        "metrics": metrics,
        "seed": champion.seed,
        "code_version": code_version(),
        "trained_code_version": champion.code_version,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def record_rescore(champion: ModelRecord, entry: dict[str, Any]) -> None:
    """Keep a re-scored backtest in the champion's ``meta.json`` (atomic replace)."""
    meta_path = Path(champion.path) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.setdefault("rescored", {})[split_key(entry["data_version"], entry["cutoff"])] = entry
    dump_json(meta, meta_path)  # atomic: staged, fsynced, replaced
    champion.rescored = meta["rescored"]
