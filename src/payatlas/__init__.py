"""PayAtlas: open compensation and market intelligence for AI/ML roles.

The library is the product; the CLI, the API and the dashboard are thin layers over it::

    import payatlas
    store = payatlas.Store.open()
    report = payatlas.ingest("survey.csv", store=store, mapping="survey.toml")
    est = payatlas.estimate(payatlas.Profile(role="ML Engineer", level="senior", country="DE"))
    table = payatlas.benchmark(store, slice=payatlas.Slice(role="ML Engineer"), by=["country"])

Heavy parts (models, analytics) are imported on first use so the CLI starts fast.

The exported names are stable: ``payatlas.ingest`` is the ingest function however often it is
called and whatever was imported before (``import payatlas.ingest`` loads the subpackage, which
stays importable by name: ``from payatlas.ingest import ingest, load_mapping``).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Settings": "payatlas.settings",
    "get_settings": "payatlas.settings",
    "Store": "payatlas.store",
    "Profile": "payatlas.schema",
    "ingest": "payatlas.ingest",
    "IngestReport": "payatlas.ingest",
    "load_mapping": "payatlas.ingest",
    "init_home": "payatlas.home",
    "data_summary": "payatlas.store.summary",
    # estimates (#3)
    "estimate": "payatlas.model",
    "estimate_batch": "payatlas.model",
    "offer_check": "payatlas.model",
    "evaluate": "payatlas.model",
    "train_candidate": "payatlas.model",
    "promote": "payatlas.model",
    "list_models": "payatlas.model",
    "champion": "payatlas.model",
    "Estimate": "payatlas.model",
    # market analytics (#4)
    "Slice": "payatlas.analytics",
    "benchmark": "payatlas.analytics",
    "trend": "payatlas.analytics",
    "premiums": "payatlas.analytics",
    "team_cost": "payatlas.analytics",
    "indicators": "payatlas.analytics",
    "compare_indicators": "payatlas.analytics",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'payatlas' has no attribute {name!r}")
    return getattr(import_module(module), name)


class _Package(ModuleType):
    """The ``payatlas`` module. Python binds a submodule on its package when it is first
    imported (``import payatlas.ingest`` sets ``payatlas.ingest``); for a name that is both an
    export and a submodule, that binding is skipped, so the name keeps meaning the export (the
    submodule stays in ``sys.modules`` under its full name)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
