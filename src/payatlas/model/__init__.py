"""Compensation estimates with measured ranges, reasons and evidence; backtests; a registry.

Library entry points (all keyword options, typed results):

- :func:`estimate`, :func:`estimate_batch`, :func:`offer_check`: estimates from the champion;
- :func:`train_candidate`, :func:`evaluate`: training and the time-ordered backtest;
- :func:`list_models`, :func:`champion`, :func:`promote`, :func:`ensure_champion`: the registry.

The names below are imported on first use, so ``payatlas estimate`` loads only what an estimate
needs (not DuckDB, nor the backtest). :func:`estimate` shares its name with its module: importing
``payatlas.model.estimate`` does not replace the function here (see :class:`_Package`).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: public name -> (module, attribute)
_LAZY: dict[str, tuple[str, str]] = {
    "BacktestReport": ("payatlas.model.backtest", "BacktestReport"),
    "evaluate": ("payatlas.model.backtest", "evaluate"),
    "OUTPUT_COLUMNS": ("payatlas.model.batch", "OUTPUT_COLUMNS"),
    "estimate_batch": ("payatlas.model.batch", "estimate_batch"),
    "train_candidate": ("payatlas.model.candidate", "train_candidate"),
    "DEFAULT_CUTOFF": ("payatlas.model.defaults", "DEFAULT_CUTOFF"),
    "Cohort": ("payatlas.model.estimate", "Cohort"),
    "Estimate": ("payatlas.model.estimate", "Estimate"),
    "LocalRange": ("payatlas.model.estimate", "LocalRange"),
    "estimate": ("payatlas.model.estimate", "estimate"),
    "OfferCheck": ("payatlas.model.offer", "OfferCheck"),
    "offer_check": ("payatlas.model.offer", "offer_check"),
    "ensure_champion": ("payatlas.model.promotion", "ensure_champion"),
    "promote": ("payatlas.model.promotion", "promote"),
    "Reason": ("payatlas.model.reasons", "Reason"),
    "ModelRecord": ("payatlas.model.registry", "ModelRecord"),
    "champion": ("payatlas.model.registry", "champion"),
    "champion_id": ("payatlas.model.registry", "champion_id"),
    "list_models": ("payatlas.model.registry", "list_models"),
    "promotion_log": ("payatlas.model.registry", "promotion_log"),
}

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


def __getattr__(name: str) -> Any:
    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(found[0]), found[1])
    globals()[name] = value
    return value


class _Package(ModuleType):
    """This package's module type: a submodule import does not overwrite an exported name
    (``payatlas.model.estimate`` stays the function, as with eager imports)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
