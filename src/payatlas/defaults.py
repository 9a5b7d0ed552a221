"""Light constants shared by the model package and the surfaces (no heavy imports: the CLI
reads them to build its options before any command runs)."""

from __future__ import annotations

#: the default backtest cutoff on arrival dates (``first_seen``)
DEFAULT_CUTOFF = "2024-07-01"
