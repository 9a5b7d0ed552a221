"""Light constants of the model package (importable without LightGBM)."""

from __future__ import annotations

#: the default backtest cutoff on arrival dates (``first_seen``)
DEFAULT_CUTOFF = "2024-07-01"
