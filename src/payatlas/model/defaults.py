"""Light constants of the model package (defined in :mod:`payatlas.defaults`)."""

from __future__ import annotations

from payatlas.defaults import DEFAULT_CUTOFF

__all__ = ["DEFAULT_CUTOFF"]
