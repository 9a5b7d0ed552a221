"""Evidence saved with a model: how many survey records stand behind each cell.

Counts (all accepted records, duplicates included, as stored) per role family x level x country
and its parents, and per role family x level x country the distinct records (duplicates once),
so an estimate can say how many comparable records it rests on without a query per call. Pay
distributions are kept only as 5%-step percentile grids of cells with at least the privacy
threshold of records (no individual record is kept).

The counts are published by the one disclosure rule (:class:`payatlas.disclosure.Rule`, see
docs/methodology.md): 0 as 0 (no comparable records reveals no one); 1 .. threshold - 1 withheld
(``None``, explained by :func:`withheld_note`: "fewer than 5 ..."); larger counts rounded to a
multiple of the threshold by the cell's key -- the sum of its records' keys, kept per cell in
``keys`` -- so the same records get the same published count here and in the analytics, and no
difference of published counts can equal the size of a cohort under the threshold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from payatlas.disclosure import MASK, Rule
from payatlas.model.features import SEP

if TYPE_CHECKING:
    import pandas as pd

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
    #: per cohort cell: the sum of its records' keys (mod 2^31), its cell key
    keys: dict[str, dict[str, int]] = field(default_factory=dict)
    #: per role family x level x country cell: records counted once (duplicates left out), the
    #: effective sample size the confidence label follows
    distinct: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "counts": self.counts,
            "pay_grids": self.pay_grids,
            "country_counts": self.country_counts,
            "privacy_threshold": self.privacy_threshold,
            "total": self.total,
            "keys": self.keys,
            "distinct": self.distinct,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        """Inverse of :meth:`as_dict`."""
        return cls(**data)

    def count(self, cohort: str, key: str) -> int:
        """Records in one cell (0 when unseen)."""
        return self.counts[cohort].get(key, 0)

    def effective(self, key: str) -> int:
        """Distinct records (duplicates once) in a role family x level x country cell (a model
        saved before distinct counts existed: all its records)."""
        if not self.distinct:
            return self.count(COHORTS[0][0], key)
        return self.distinct.get(key, 0)

    def effective_counts(self, frame: pd.DataFrame) -> np.ndarray:
        """:meth:`effective` of each row's role family x level x country cell."""
        keys = _keys(frame, COHORTS[0][1])
        table = self.distinct or self.counts[COHORTS[0][0]]
        return keys.map(table).fillna(0).to_numpy(dtype="int64")

    def key_sum(self, cohort: str, key: str) -> int:
        """A cell's key (saved with the model; a model saved before keys existed keys its cells
        by their name)."""
        got = self.keys.get(cohort, {}).get(key)
        if got is None:
            digest = hashlib.blake2b(f"{cohort}|{key}".encode(), digest_size=4).digest()
            return int.from_bytes(digest, "big") & MASK
        return got

    def published_count(self, cohort: str, key: str, *, rule: Rule) -> int | None:
        """A cell's record count as an estimate publishes it (:meth:`Rule.count`)."""
        return rule.count(self.count(cohort, key), self.key_sum(cohort, key))

    def published_counts(self, frame: pd.DataFrame, *, rule: Rule) -> np.ndarray:
        """:meth:`published_count` of each row's role family x level x country cell (-1 where
        withheld)."""
        name, cols = COHORTS[0]
        keys = _keys(frame, cols)
        n = keys.map(self.counts[name]).fillna(0).to_numpy(dtype="int64")
        k = np.array([self.key_sum(name, str(c)) for c in keys], dtype="int64")
        return rule.counts(n, k)

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
    """Count records per cohort cell of ``frame`` (which has ``y``, and ``rkey`` for the cell
    keys: :func:`payatlas.model.data.load_frame` selects it)."""
    import pandas as pd

    counts: dict[str, dict[str, int]] = {}
    grids: dict[str, dict[str, list[float]]] = {}
    key_sums: dict[str, dict[str, int]] = {}
    for name, cols in COHORTS:
        keys = _keys(frame, cols)
        g = pd.DataFrame({"k": keys, "y": frame["y"]}).groupby("k", sort=True)["y"]
        sizes = g.size()
        counts[name] = {str(k): int(v) for k, v in sizes.items()}
        if "rkey" in frame:
            sums = pd.Series(frame["rkey"].to_numpy(dtype="int64")).groupby(keys.to_numpy()).sum()
            key_sums[name] = {str(k): int(v) & MASK for k, v in sums.items()}
        big = sizes[sizes >= privacy_threshold].index
        quant = g.quantile(PCT_GRID.tolist()).unstack() if len(big) else pd.DataFrame()
        grids[name] = {str(k): quant.loc[k].round(5).tolist() for k in big}
    country = frame["country"].value_counts()
    once = ~frame["is_duplicate"].to_numpy(dtype=bool) if "is_duplicate" in frame else None
    distinct: dict[str, int] = {}
    if once is not None:
        cells = _keys(frame.loc[once], COHORTS[0][1]).value_counts()
        distinct = {str(k): int(v) for k, v in sorted(cells.items())}
    return Evidence(
        counts=counts,
        pay_grids=grids,
        country_counts={str(k): int(v) for k, v in sorted(country.items())},
        privacy_threshold=privacy_threshold,
        total=len(frame),
        keys=key_sums,
        distinct=distinct,
    )
