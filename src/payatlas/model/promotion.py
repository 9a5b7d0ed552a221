"""Promotion: run the gate (:mod:`payatlas.model.gate`, the policy) and record the decision in
the registry (:mod:`payatlas.model.registry`, the storage), under the registry lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from payatlas.errors import BacktestUnavailable, PromotionRefused
from payatlas.model.registry import (
    ModelRecord,
    champion_id,
    get_record,
    read_champion,
    record_promotion,
    registry_lock,
)
from payatlas.settings import Settings, get_settings

if TYPE_CHECKING:
    from payatlas.model.gate import GateBacktest
    from payatlas.store import Store

Progress = Callable[[str], None]


def promote(
    model_id: str,
    settings: Settings | None = None,
    *,
    force: bool = False,
    store: Store | None = None,
    progress: Progress | None = None,
) -> ModelRecord:
    """Make ``model_id`` the champion unless it is worse than the current champion beyond
    noise on the candidate's backtest split (the newest arrivals; both models trained
    independently and scored on the same records, see :mod:`payatlas.model.gate`), or does not
    beat a global-median predictor by 2% MAE(log).

    When the champion was backtested on another dataset version or cutoff, its training
    procedure is re-scored on the candidate's split first (loaded from ``store``, opened
    read-only from the settings when None) and recorded with the champion; a split that cannot
    be reproduced raises :class:`~payatlas.errors.BacktestUnavailable`. ``force`` overrides the
    gate (and an unavailable backtest); the promotion log records it and which backtest the
    decision used. The returned record's ``promotion`` is that log entry.

    The plain LightGBM is always a challenger: when the candidate passes the gate but the plain
    LightGBM, trained on the same rows and scored on the same split, passes it too and beats the
    candidate beyond noise (:meth:`~payatlas.model.gate.GateBacktest.plain_wins`), the plain
    LightGBM is trained on the candidate's dataset version and promoted instead (not when
    forced: ``force`` promotes ``model_id``); the returned record is then the plain model's and
    the log entry names the candidate it beat (``instead_of``). Promotions hold the
    registry lock (:func:`~payatlas.model.registry.registry_lock`), so concurrent ones run one
    after the other."""
    settings = settings or get_settings()
    with registry_lock(settings):
        return _promote(model_id, settings, force=force, store=store, progress=progress)


def _promote(
    model_id: str,
    settings: Settings,
    *,
    force: bool,
    store: Store | None,
    progress: Progress | None,
) -> ModelRecord:
    from payatlas.model.gate import gate_backtest  # LightGBM only when gating

    record = get_record(model_id, settings)
    previous = read_champion(settings)
    if previous == model_id:
        return record
    reason, used, instead_of = "first champion", None, None
    if previous is not None:
        current = get_record(previous, settings)
        try:
            gate = gate_backtest(record, current, settings=settings, store=store, progress=progress)
        except BacktestUnavailable as exc:
            if not force:
                raise BacktestUnavailable(
                    f"{exc}; force the promotion to override (recorded)"
                ) from exc
            reason = f"forced without a like-for-like backtest: {exc}"
        else:
            used = gate.as_dict()
            worse = gate.verdict()
            if worse and not force:
                raise PromotionRefused(
                    f"model {model_id} is worse than champion {previous} on "
                    f"{gate.describe()}: {worse}; force the promotion to override (recorded)"
                )
            reason = (
                (
                    f"forced: {worse} on {gate.describe()}"
                    if worse
                    else f"no worse than the champion on {gate.describe()}"
                )
                + f" ({gate.summary()}); "
                + "; ".join(gate.bias_lines())
            )
            if not force and gate.plain_wins():
                plain = _train_plain(
                    record, gate, settings=settings, store=store, progress=progress
                )
                diff = gate.plain_vs_candidate
                reason = (
                    f"the plain LightGBM challenger beat candidate {model_id} beyond noise "
                    f"(MAE(log) difference {diff[0]:+.4f}, {gate.describe_interval(diff)}) and is "
                    f"no worse than the champion; " + reason
                )
                instead_of, record, model_id = model_id, plain, plain.model_id
    entry: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model_id": model_id,
        "previous": previous,
        "force": force,
        "reason": reason,
        "backtest": used,
    }
    if instead_of is not None:
        entry["instead_of"] = instead_of
    record_promotion(settings, entry)
    record.champion = True
    record.promotion = entry
    return record


def _train_plain(
    candidate: ModelRecord,
    gate: GateBacktest,
    *,
    settings: Settings,
    store: Store | None,
    progress: Progress | None,
) -> ModelRecord:
    """The plain LightGBM challenger trained on the candidate's dataset version and split."""
    from payatlas.model.candidate import train_candidate
    from payatlas.model.gate import open_store
    from payatlas.model.train import PLAIN_PARAMS

    with open_store(store, settings, candidate) as opened:
        return train_candidate(
            opened,
            settings,
            seed=gate.seed,
            params=PLAIN_PARAMS,
            cutoff=gate.cutoff,
            data_version=gate.data_version,
            progress=progress,
        )


def ensure_champion(
    store: Store, settings: Settings | None = None, *, progress: Progress | None = None
) -> ModelRecord:
    """The champion's record, training and promoting a first model when there is none."""
    from payatlas.model.candidate import train_candidate  # LightGBM only when training

    settings = settings or get_settings()
    found = champion_id(settings)
    if found is not None:
        return get_record(found, settings)
    record = train_candidate(store, settings, progress=progress)
    return promote(record.model_id, settings)
