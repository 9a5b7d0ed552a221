"""PayAtlas: open compensation and market intelligence for AI/ML roles.

The library is the product; the CLI, the API and the dashboard are thin layers over it::

    import payatlas
    store = payatlas.Store.open()
    report = payatlas.ingest("survey.csv", store=store, mapping="survey.toml")

Heavy parts (models, analytics) are imported on first use so the CLI starts fast.
"""

from __future__ import annotations

from importlib import import_module
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
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'payatlas' has no attribute {name!r}")
    return getattr(import_module(module), name)
