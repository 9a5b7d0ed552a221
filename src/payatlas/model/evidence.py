"""Evidence saved with a model: how many survey records stand behind each cell.

Counts (all accepted records, duplicates included, as stored) per role family x level x country
and its parents, so an estimate can say how many comparable records it rests on without a query
per call. Pay distributions are kept only as 5%-step percentile grids of cells with at least the
privacy threshold of records (no individual record is kept).

The counts are published with the privacy rule of :func:`shown_count`: a count of comparable
records is shown when it is 0 (no comparable records: it reveals no one) or at least the privacy
threshold; a count from 1 to threshold - 1 is withheld (``None``) and explained by
:func:`withheld_note` ("fewer than 5 ..."), because a cohort smaller than the privacy threshold is
never published -- not its pay, not its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from payatlas.model.features import SEP

BORROW_MIN = 30  # a cell with fewer records borrows its evidence from a wider cohort
PCT_GRID = np.round(np.arange(5, 100, 5) / 100.0, 2)
# cohort name -> key columns, from narrowest to widest
COHORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("role_family x level x country", ("role_family", "level", "country")),
    ("role_family x level x region", ("role_family", "level", "region")),
    ("role_family x level", ("role_family", "level")),
    ("level x country", ("level", "country")),
    ("level", ("level",)),
)


def shown_count(n: int, *, threshold: int) -> int | None:
    """``n`` as published: 0 and counts of at least ``threshold`` as they are, ``None`` for
    1 .. threshold - 1 (see the module docstring)."""
    return int(n) if n == 0 or n >= threshold else None


def withheld_mask(counts: np.ndarray, *, threshold: int) -> np.ndarray:
    """:func:`shown_count` for an array: True where the count is withheld (1 .. threshold-1)."""
    return (counts > 0) & (counts < threshold)


def withheld_note(threshold: int) -> str:
    """The text published instead of a withheld count."""
    return f"fewer than {threshold} (under the privacy threshold, not published)"


def _keys(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.Series:
    out = frame[cols[0]].astype(str)
    for col in cols[1:]:
        out = out + SEP + frame[col].astype(str)
    return out


@dataclass(slots=True)
class Evidence:
    """Record counts per cohort cell, and percentile grids of cells large enough to publish."""

    counts: dict[str, dict[str, int]]
    pay_grids: dict[str, dict[str, list[float]]]
    country_counts: dict[str, int]
    privacy_threshold: int
    total: int
    _published: dict[int, dict[str, dict[str, tuple[int, bool]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "counts": self.counts,
            "pay_grids": self.pay_grids,
            "country_counts": self.country_counts,
            "privacy_threshold": self.privacy_threshold,
            "total": self.total,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        """Inverse of :meth:`as_dict`."""
        return cls(**data)

    def count(self, cohort: str, key: str) -> int:
        """Records in one cell (0 when unseen)."""
        return self.counts[cohort].get(key, 0)

    def published_count(self, cohort: str, key: str, *, threshold: int) -> tuple[int | None, bool]:
        """A cohort's record count as an estimate may publish it, and whether records were left
        out. The narrow cell follows :func:`shown_count`. A wider cohort's count is the sum of
        its narrow cells that are published themselves (at least ``threshold`` records): its
        exact size minus its published cells would otherwise give the withheld cells' sizes."""
        if cohort == COHORTS[0][0]:
            return shown_count(self.count(cohort, key), threshold=threshold), False
        table = self._published.get(threshold)
        if table is None:
            table = self._published[threshold] = self._published_sums(threshold)
        return table[cohort].get(key, (0, False))

    def _published_sums(self, threshold: int) -> dict[str, dict[str, tuple[int, bool]]]:
        from payatlas.normalize.countries import region_of

        out: dict[str, dict[str, list[int]]] = {name: {} for name, _ in COHORTS[1:]}
        for cell, n in self.counts[COHORTS[0][0]].items():
            family, level, country = cell.split(SEP)
            keys = {
                COHORTS[1][0]: SEP.join((family, level, region_of(country))),
                COHORTS[2][0]: SEP.join((family, level)),
                COHORTS[3][0]: SEP.join((level, country)),
                COHORTS[4][0]: level,
            }
            for name, key in keys.items():
                acc = out[name].setdefault(key, [0, 0])
                acc[0 if n >= threshold else 1] += n
        return {
            name: {k: (v[0], v[1] > 0) for k, v in cells.items()} for name, cells in out.items()
        }

    def cohort_for(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: n in the narrow cell, and the (name, n) of the narrowest cohort with at
        least ``BORROW_MIN`` records (the narrow cell itself when it has enough)."""
        n_cell = _keys(frame, COHORTS[0][1]).map(self.counts[COHORTS[0][0]]).fillna(0)
        names = np.full(len(frame), COHORTS[-1][0], dtype=object)
        sizes = np.zeros(len(frame), dtype="int64")
        done = np.zeros(len(frame), dtype=bool)
        for name, cols in COHORTS:
            n = _keys(frame, cols).map(self.counts[name]).fillna(0).to_numpy(dtype="int64")
            take = ~done & (n >= BORROW_MIN)
            names[take] = name
            sizes[take] = n[take]
            done |= take
        last = _keys(frame, COHORTS[-1][1]).map(self.counts[COHORTS[-1][0]]).fillna(0)
        sizes[~done] = last.to_numpy(dtype="int64")[~done]
        return n_cell.to_numpy(dtype="int64"), names, sizes

    def pay_grid(self, cohort: str, key: str) -> list[float] | None:
        """The percentile grid (log USD) of a cell, or None when it is under the threshold."""
        return self.pay_grids.get(cohort, {}).get(key)


def build_evidence(frame: pd.DataFrame, *, privacy_threshold: int) -> Evidence:
    """Count records per cohort cell of ``frame`` (which has ``y``)."""
    counts: dict[str, dict[str, int]] = {}
    grids: dict[str, dict[str, list[float]]] = {}
    for name, cols in COHORTS:
        keys = _keys(frame, cols)
        g = pd.DataFrame({"k": keys, "y": frame["y"]}).groupby("k", sort=True)["y"]
        sizes = g.size()
        counts[name] = {str(k): int(v) for k, v in sizes.items()}
        big = sizes[sizes >= privacy_threshold].index
        quant = g.quantile(PCT_GRID.tolist()).unstack() if len(big) else pd.DataFrame()
        grids[name] = {str(k): quant.loc[k].round(5).tolist() for k in big}
    country = frame["country"].value_counts()
    return Evidence(
        counts=counts,
        pay_grids=grids,
        country_counts={str(k): int(v) for k, v in sorted(country.items())},
        privacy_threshold=privacy_threshold,
        total=len(frame),
    )
