"""Talent demand vs supply per US metro: job postings per 1,000 people employed in the matched
occupation (OEWS May 2025), with the caveats that make it a rough signal, not a shortage measure.

Postings come as (location, title, count) rows from any postings source (a file, or the store's
postings once it keeps them). Each distinct location is resolved to a CBSA and each distinct title
to a role family once; remote, non-US and unresolvable rows are counted and left out. A metro
x family cell is ranked only with at least ``min_postings`` postings and published OEWS
employment for the family's SOC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from payatlas.errors import InvalidInput, UnknownRole
from payatlas.normalize.geodata import geo
from payatlas.normalize.places import resolve_places
from payatlas.normalize.titles import FAMILY_BY_SLUG, resolve_role
from payatlas.official.crosswalk import CROSSWALK, family_of
from payatlas.official.datasets import BLS
from payatlas.official.oews import LATEST_YEAR, query_official
from payatlas.store import Store

CAVEATS = (
    "Postings are a sample from one collection, not every vacancy; one job can be posted several "
    "times and remote jobs have no metro (left out).",
    "OEWS counts employees in the closest SOC occupation (a proxy for most AI roles), May 2025; "
    "the postings may be from another year.",
    "A high ratio means many postings relative to the people doing the work there: demand "
    "pressure or high turnover, not a measured shortage.",
)


@dataclass(frozen=True, slots=True)
class DemandCell:
    """Postings per 1,000 employed for one metro x family."""

    cbsa: str
    metro: str
    role_family: str
    soc: str
    postings: int
    employed: int
    per_1000: float

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["per_1000"] = round(self.per_1000, 2)
        return out


@dataclass(frozen=True, slots=True)
class DemandResult:
    """Ranked cells, the top and bottom metros, what was left out and why, and the caveats."""

    cells: list[DemandCell]
    top: list[DemandCell]
    bottom: list[DemandCell]
    left_out: dict[str, int]
    min_postings: int
    caveats: tuple[str, ...] = field(default=CAVEATS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "talent_demand",
            "measure": "job postings per 1,000 people employed in the matched OEWS occupation",
            "min_postings": self.min_postings,
            "cells": len(self.cells),
            "top": [c.as_dict() for c in self.top],
            "bottom": [c.as_dict() for c in self.bottom],
            "left_out": dict(self.left_out),
            "caveats": list(self.caveats),
            "credit": BLS,
        }


def _families(titles: Iterable[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for t in titles:
        try:
            out[t] = resolve_role(t)
        except UnknownRole:
            out[t] = None
    return out


def talent_demand(
    store: Store,
    *,
    postings: Iterable[tuple[str, str, int]],
    role: str | None = None,
    min_postings: int = 20,
    top: int = 10,
) -> DemandResult:
    """Postings per 1,000 employed per metro x family (see the module docstring)."""
    if min_postings < 1:
        raise InvalidInput("min_postings must be at least 1", field="min_postings")
    only = family_of(role) if role else None
    rows = [(str(loc), str(title), int(n)) for loc, title, n in postings]
    places = resolve_places(loc for loc, _, _ in rows)
    families = _families({title for _, title, _ in rows})
    counts: Counter[tuple[str, str]] = Counter()
    left: Counter[str] = Counter()
    for loc, title, n in rows:
        place, family = places.get(loc), families[title]
        if family is None:
            left["title without a role family"] += n
        elif only and family != only:
            left["other role families"] += n
        elif place is None or place.level == "remote":
            left["remote or no location"] += n
        elif place.country != "US":
            left["outside the US"] += n
        elif place.metro is None or not place.metro.official:
            left["no OEWS metro"] += n
        elif family not in CROSSWALK:
            left["no OEWS occupation for the family"] += n
        else:
            counts[(place.metro.code, family)] += n
    employed = _employment(store)
    cells = []
    for (cbsa, family), n in counts.items():
        emp = employed.get((cbsa, CROSSWALK[family].soc))
        if not emp:
            left["OEWS employment not published"] += n
        elif n < min_postings:
            left[f"cells under {min_postings} postings"] += n
        else:
            cells.append(DemandCell(cbsa, geo().cbsas[cbsa].title, family, CROSSWALK[family].soc,
                                    n, emp, n * 1000.0 / emp))  # fmt: skip
    cells.sort(key=lambda c: (-c.per_1000, c.cbsa, c.role_family))
    return DemandResult(cells=cells, top=cells[:top], bottom=cells[::-1][:top],
                        left_out=dict(left), min_postings=min_postings)  # fmt: skip


def _employment(store: Store) -> dict[tuple[str, str], int]:
    rows = query_official(store, "SELECT cbsa, soc, tot_emp FROM oews_metro WHERE year = ? AND "
                         "tot_emp > 0", [LATEST_YEAR])  # fmt: skip
    return {(str(c), str(s)): int(e) for c, s, e in rows}


def read_postings(path: str, *, location: str, title: str) -> list[tuple[str, str, int]]:
    """(location, title, postings) rows of a postings file (CSV, optionally gzip), one per
    distinct pair."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, usecols=[location, title], dtype=str)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read postings: {exc}", file=str(path)) from None
    grouped = frame.dropna().groupby([location, title]).size().reset_index(name="n")
    return [(str(a), str(b), int(n)) for a, b, n in grouped.itertuples(index=False)]


def family_label(slug: str) -> str:
    return FAMILY_BY_SLUG[slug].label
