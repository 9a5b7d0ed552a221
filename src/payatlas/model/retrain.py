"""The retraining loop: train a challenger on the latest data, gate it, promote only on a win.

``payatlas retrain`` (and, with ``PAYATLAS_RETRAIN_ON_INGEST=1``, every survey ingest) trains
a challenger on the store's latest dataset version
(:func:`~payatlas.model.candidate.train_candidate`), runs the promotion gate
(:mod:`payatlas.model.gate`: challenger and champion trained independently and scored on the
newest arrivals, with the gate's baselines) through
:func:`~payatlas.model.promotion.promote`, and records the verdict and why in the MLflow
registry (the ``retrain.NNNN`` log, :mod:`payatlas.model.tracking`). A refused challenger can be
served in shadow (:mod:`payatlas.model.shadow`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import payatlas.model.tracking as tracking
from payatlas.errors import PromotionRefused
from payatlas.model.registry import ModelRecord, champion_id, registry_lock
from payatlas.settings import Settings, get_settings

if TYPE_CHECKING:
    from payatlas.store import Store

Progress = Callable[[str], None]
PROMOTED, REFUSED, UNCHANGED, FIRST = "promoted", "refused", "unchanged", "first champion"


@dataclass(frozen=True, slots=True)
class RetrainResult:
    """What one retrain did: the challenger, the verdict and why."""

    at: str
    data_version: int
    challenger: str
    champion_before: str | None
    champion_after: str | None
    verdict: str  # promoted, refused, unchanged, first champion
    reason: str
    shadow: bool
    challenger_metrics: dict[str, Any]
    gate: dict[str, Any] | None

    @property
    def promoted(self) -> bool:
        """True when the challenger is the champion now."""
        return self.verdict in (PROMOTED, FIRST)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what the retrain log keeps)."""
        return {
            "at": self.at,
            "data_version": self.data_version,
            "model_id": self.challenger,
            "champion_before": self.champion_before,
            "champion_after": self.champion_after,
            "verdict": self.verdict,
            "promoted": self.promoted,
            "reason": self.reason,
            "shadow": self.shadow,
            "challenger_backtest": {
                k: self.challenger_metrics.get(k) for k in ("mae_log", "coverage_gap", "bias_log")
            },
            "gate": self.gate,
        }


def retrain(
    store: Store,
    settings: Settings | None = None,
    *,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    shadow: bool = False,
    progress: Progress | None = None,
) -> RetrainResult:
    """Train a challenger on ``store``'s latest version, gate it against the champion and
    promote it only when the gate lets it through; record the verdict in the MLflow registry.
    ``shadow``: serve a refused challenger in shadow beside the champion."""
    from payatlas.model.candidate import train_candidate  # LightGBM only when training
    from payatlas.model.promotion import promote

    settings = settings or get_settings()
    step = progress or (lambda _msg: None)
    before = champion_id(settings)
    step(f"retrain: challenger on the latest data (champion {before or 'none'})")
    record: ModelRecord = train_candidate(
        store, settings, seed=seed, params=params, progress=progress
    )
    gate: dict[str, Any] | None = None
    in_shadow = False
    if record.model_id == before:
        verdict, reason = UNCHANGED, "the challenger is the champion (same data and parameters)"
    else:
        try:
            promoted = promote(record.model_id, settings, store=store, progress=progress)
        except PromotionRefused as exc:
            verdict, reason = REFUSED, str(exc)
            if shadow:
                from payatlas.model.shadow import set_shadow

                set_shadow(settings, record.model_id)
                in_shadow = True
        else:
            entry = promoted.promotion or {}
            gate = entry.get("backtest")
            verdict = FIRST if before is None else PROMOTED
            reason = str(entry.get("reason", verdict))
    result = RetrainResult(
        at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        data_version=record.data_version,
        challenger=record.model_id,
        champion_before=before,
        champion_after=champion_id(settings),
        verdict=verdict,
        reason=reason,
        shadow=in_shadow,
        challenger_metrics=record.metrics,
        gate=gate,
    )
    with registry_lock(settings):
        tracking.append_log(settings, "retrain", result.as_dict())
    step(f"retrain: {verdict}: {reason}")
    return result


def retrain_log(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every retrain verdict, oldest first."""
    return tracking.read_log(settings or get_settings(), "retrain")


def after_survey_ingest(
    store: Store, settings: Settings, *, version: int, progress: Progress | None = None
) -> RetrainResult | None:
    """What runs after a survey ingest (nothing for another kind of version): the champion's
    ranges adapted to the new records (:func:`~payatlas.model.recalibrate.adapt_champion`),
    then a retrain when ``settings.retrain_on_ingest`` is on (its result; None otherwise)."""
    from payatlas.model.recalibrate import adapt_champion

    kinds = {v.version: v.kind for v in store.versions()}
    if kinds.get(version) != "survey_submission":
        return None
    update = adapt_champion(store, settings, version=version)
    if update is not None and progress is not None:
        progress(
            f"ranges adapted to {update.rows:,} new survey submissions (the static 80% range "
            f"covered {update.static_coverage:.3f} of them)"
        )
    if not settings.retrain_on_ingest:
        return None
    return retrain(store, settings, shadow=settings.shadow_refused, progress=progress)
