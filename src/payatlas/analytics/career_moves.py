"""Common moves between families and their pay difference (the moves of
:mod:`payatlas.analytics.career`).

Moves compare two families' matched-cohort medians (the premium machinery of
:mod:`payatlas.analytics.premiums`): in the country matched on level x year, or, where the
country has too few records, across all countries matched on level x country x year (labelled).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from payatlas.analytics.filters import Slice
from payatlas.analytics.premium_specs import PremiumSpec, PremiumView
from payatlas.analytics.premiums import matched_premium
from payatlas.normalize.families import FAMILY_BY_SLUG
from payatlas.settings import Settings
from payatlas.store import Store

#: common moves between families (from, to, note); the career view of a family lists those
#: into and out of it
MOVES: tuple[tuple[str, str, str | None], ...] = (
    ("data_analyst", "data_scientist", None),
    ("data_scientist", "ml_engineer", None),
    ("data_engineer", "ml_engineer", None),
    ("software_engineer", "ml_engineer", None),
    ("data_engineer", "mlops_engineer", None),
    ("devops_engineer", "mlops_engineer", None),
    ("ml_engineer", "mlops_engineer", None),
    ("mlops_engineer", "ai_engineer", "ML and AI architects are in the AI Engineer family"),
    ("ml_engineer", "ai_engineer", "ML and AI architects are in the AI Engineer family"),
    ("ml_engineer", "research_engineer", None),
    ("research_engineer", "research_scientist", None),
    ("data_scientist", "applied_scientist", None),
    ("data_scientist", "research_scientist", None),
    ("ml_engineer", "ai_ml_manager", None),
    ("data_scientist", "data_manager", None),
    ("software_engineer", "engineering_manager", None),
)


@dataclass(frozen=True, slots=True)
class CareerMove:
    """Pay of ``to`` over ``from`` (percent, 90% interval), matched-cohort medians."""

    from_family: str
    to_family: str
    scope: str  # the country code, or "all countries" (matched on level x country)
    difference: PremiumView
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = self.difference.as_dict()
        return {
            "from_family": self.from_family,
            "from_label": FAMILY_BY_SLUG[self.from_family].label,
            "to_family": self.to_family,
            "to_label": FAMILY_BY_SLUG[self.to_family].label,
            "scope": self.scope,
            "difference_pct": d["premium_pct"],
            "low_pct": d["low_pct"],
            "high_pct": d["high_pct"],
            "n_from": d["n_b"],
            "n_to": d["n_a"],
            "cells": d["cells"],
            "method": d["method"],
            "note": "; ".join(x for x in (d["note"], self.note) if x) or None,
        }


def family_moves(family: str) -> list[tuple[str, str, str | None]]:
    """The common moves into and out of ``family`` (a slug), in :data:`MOVES` order."""
    return [m for m in MOVES if family in (m[0], m[1])]


def career_moves(store: Store, slice_: Slice, version: int, settings: Settings) -> list[CareerMove]:
    """The common moves into and out of the slice's family, each in the slice's country or,
    where that is too thin, across all countries."""
    assert slice_.role is not None and slice_.country is not None
    out = []
    for i, (src, dst, note) in enumerate(family_moves(slice_.role)):
        spec = PremiumSpec(
            f"move_{src}_to_{dst}",
            f"{FAMILY_BY_SLUG[dst].label} vs {FAMILY_BY_SLUG[src].label}",
            f"role_family = '{dst}'",
            f"role_family = '{src}'",
            ("level", "year"),
            "role",
            dst,
            src,
        )
        local = Slice(country=slice_.country, version=slice_.version)
        view = matched_premium(store, spec, local, version, settings, purpose=100 + i)
        scope = slice_.country
        if not view.premium.available:
            wide = replace(spec, cells=("level", "country", "year"))
            view = matched_premium(
                store, wide, Slice(version=slice_.version), version, settings, purpose=200 + i
            )
            scope = "all countries"
        out.append(CareerMove(src, dst, scope, view, note))
    return out


__all__ = ["MOVES", "CareerMove", "career_moves", "family_moves"]
