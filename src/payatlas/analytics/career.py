"""Career view: pay by career rung for a family in a country, and common moves between families.

The rungs and their figures are :mod:`payatlas.analytics.career_rungs` (measured, extrapolated
from an anchor rung by a measured ratio, or unavailable); the moves and their matched-cohort pay
differences are :mod:`payatlas.analytics.career_moves`. This module puts them together in one
:class:`CareerView`, with the basis of the family x country.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from payatlas.analytics.career_moves import MOVES, CareerMove, career_moves, family_moves
from payatlas.analytics.career_rungs import (
    ANCHOR,
    CAREER_RUNGS,
    MANAGER_FAMILIES,
    MIN_RUNG,
    RungPay,
    RungRatio,
    rung_pays,
    rung_sql,
    title_rung,
)
from payatlas.analytics.filters import Slice, resolve_version, where_sql
from payatlas.analytics.privacy import COUNT_SQL, Basis, make_basis
from payatlas.errors import UnknownRole
from payatlas.normalize.families import FAMILY_BY_SLUG
from payatlas.settings import Settings, get_settings
from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class CareerView:
    """Pay by rung for a family in a country, and the common moves into and out of it."""

    basis: Basis
    family: str
    country: str
    rungs: list[RungPay]
    moves: list[CareerMove]

    def get(self, rung: str) -> RungPay:
        return next(r for r in self.rungs if r.rung == rung)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "career",
            "basis": self.basis.as_dict(),
            "family": self.family,
            "family_label": FAMILY_BY_SLUG[self.family].label,
            "country": self.country,
            "interval": "90%",
            "min_records": MIN_RUNG,
            "rungs": [r.as_dict() for r in self.rungs],
            "moves": [m.as_dict() for m in self.moves],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per rung."""
        return [r.as_dict() for r in self.rungs]

    def to_frame(self) -> pd.DataFrame:
        """The rung rows as a DataFrame."""
        return pd.DataFrame(self.rows())


def career_view(
    store: Store,
    *,
    family: str,
    country: str,
    settings: Settings | None = None,
    version: int | None = None,
    moves: bool = True,
) -> CareerView:
    """Pay by career rung for ``family`` (a slug, label or title) in ``country``, and the
    common moves into and out of the family with their pay difference (module docstring).

    Raises UnknownRole / UnknownCountry for input that does not resolve, EmptyStore for an
    empty store.
    """
    settings = settings or get_settings()
    try:
        slice_ = Slice(role=family, country=country, version=version)
    except UnknownRole as exc:  # named after this function's option, not the slice's field
        raise UnknownRole(exc.reason, field="family") from None
    assert slice_.role is not None and slice_.country is not None
    ver = resolve_version(store, slice_)
    rule = settings.disclosure
    where, params = where_sql(slice_, ver)
    total = store.execute(f"SELECT {COUNT_SQL} FROM records WHERE {where}", params).fetchone()
    basis = make_basis(
        store, slice_, ver, int(total[0]) if total else 0, total[1] if total else 0, rule=rule
    )
    rungs = rung_pays(store, slice_, ver, rule)
    out_moves = career_moves(store, slice_, ver, settings) if moves else []
    return CareerView(basis, slice_.role, slice_.country, rungs, out_moves)


__all__ = [
    "ANCHOR",
    "CAREER_RUNGS",
    "MANAGER_FAMILIES",
    "MIN_RUNG",
    "MOVES",
    "CareerMove",
    "CareerView",
    "RungPay",
    "RungRatio",
    "career_view",
    "family_moves",
    "rung_sql",
    "title_rung",
]
