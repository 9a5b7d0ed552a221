"""Compensation estimates with measured ranges, reasons and evidence; backtests; a registry.

Library entry points (all keyword options, typed results):

- :func:`estimate`, :func:`estimate_batch`, :func:`offer_check`: estimates from the champion;
- :func:`train_candidate`, :func:`evaluate`: training and the time-ordered backtest;
- :func:`list_models`, :func:`champion`, :func:`promote`, :func:`ensure_champion`: the registry.
"""

from __future__ import annotations

from payatlas.model.backtest import BacktestReport, evaluate
from payatlas.model.batch import OUTPUT_COLUMNS, estimate_batch
from payatlas.model.candidate import train_candidate
from payatlas.model.defaults import DEFAULT_CUTOFF
from payatlas.model.estimate import Cohort, Estimate, LocalRange, estimate
from payatlas.model.offer import OfferCheck, offer_check
from payatlas.model.promotion import ensure_champion, promote
from payatlas.model.reasons import Reason
from payatlas.model.registry import (
    ModelRecord,
    champion,
    champion_id,
    list_models,
    promotion_log,
)

__all__ = [
    "DEFAULT_CUTOFF",
    "OUTPUT_COLUMNS",
    "BacktestReport",
    "Cohort",
    "Estimate",
    "LocalRange",
    "ModelRecord",
    "OfferCheck",
    "Reason",
    "champion",
    "champion_id",
    "ensure_champion",
    "estimate",
    "estimate_batch",
    "evaluate",
    "list_models",
    "offer_check",
    "promote",
    "promotion_log",
    "train_candidate",
]
