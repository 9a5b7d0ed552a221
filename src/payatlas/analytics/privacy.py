"""Public result building blocks and the privacy rule.

The rule: a cohort with fewer records than ``settings.privacy_threshold`` is never published.
Its row carries ``suppressed: true`` and a note, and no pay figure and no count. Public results
are built only from the types below; none of them can hold an individual record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payatlas.analytics.filters import Slice
from payatlas.store import Store

#: the percentiles every pay summary carries
QUANTILES: tuple[float, ...] = (0.10, 0.25, 0.50, 0.75, 0.90)
PAY_KEYS: tuple[str, ...] = ("p10", "p25", "p50", "p75", "p90", "mean")
UNIT = "survey records"
TOO_FEW = "too few records"


def suppressed_note(threshold: int) -> str:
    """The text shown instead of a figure for a cohort under the threshold."""
    return f"suppressed (n < {threshold})"


def suppression_pattern(sizes: Sequence[int], total: int, *, threshold: int) -> list[bool]:
    """Which of a result's groups to suppress (True) so no group under ``threshold`` can be
    recovered from the published ones.

    Primary: every group under the threshold. Complementary: when the published total minus the
    published groups leaves 1..threshold-1 records (one small cohort, or a few, that subtraction
    would reveal -- their count and, through the means, their pay), the smallest published groups
    are suppressed too until the remainder reaches the threshold. ``total`` is the size of
    everything the groups partition (rows not listed in ``sizes``, e.g. cut by a limit, count as
    unpublished). Applies within one result; see docs/analytics.md for what it does not cover.
    """
    t = int(threshold)
    hidden = [n < t for n in sizes]
    rest = int(total) - sum(n for n, h in zip(sizes, hidden, strict=True) if not h)
    order = sorted((n, i) for i, n in enumerate(sizes) if not hidden[i])
    for n, i in order:
        if rest == 0 or rest >= t:
            break
        hidden[i] = True
        rest += n
    return hidden


def _num(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 2)


@dataclass(frozen=True, slots=True)
class PayStats:
    """Annual USD pay of one cohort: count, percentiles and mean -- or suppressed (no figures)."""

    n: int | None
    p10: float | None = None
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    mean: float | None = None
    suppressed: bool = False
    threshold: int = 5

    @classmethod
    def build(
        cls,
        n: int,
        quantiles: Sequence[float] | None,
        mean: float | None,
        *,
        threshold: int,
        suppress: bool = False,
    ) -> PayStats:
        """Figures for a cohort of ``n`` records; suppressed when ``n < threshold`` or
        ``suppress`` (complementary suppression, :func:`suppression_pattern`)."""
        if suppress or n < threshold or quantiles is None:
            return cls(n=None, suppressed=True, threshold=threshold)
        q = [_num(v) for v in quantiles]
        return cls(
            n=int(n),
            p10=q[0],
            p25=q[1],
            p50=q[2],
            p75=q[3],
            p90=q[4],
            mean=_num(mean),
            threshold=threshold,
        )

    def as_dict(self) -> dict[str, Any]:
        """``n`` and the pay figures, or ``suppressed: true`` with a note and nothing else."""
        if self.suppressed:
            return {"suppressed": True, "note": suppressed_note(self.threshold)}
        return {"n": self.n, **{k: getattr(self, k) for k in PAY_KEYS}, "suppressed": False}


@dataclass(frozen=True, slots=True)
class Interval:
    """A point figure with its 90% interval (or a note saying why there is no figure)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    note: str | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": _num(self.value),
            "low": _num(self.low),
            "high": _num(self.high),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class Basis:
    """What a result is computed from: dataset version, row policy, record count, filters."""

    dataset_version: int
    row_policy: str
    outliers: str
    records: int | None
    filters: dict[str, Any] = field(default_factory=dict)
    privacy_threshold: int = 5
    unit: str = UNIT
    pay: str = "annual gross pay in USD"
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = {
            "dataset_version": self.dataset_version,
            "row_policy": self.row_policy,
            "outliers": self.outliers,
            "records": self.records,
            "unit": self.unit,
            "pay": self.pay,
            "filters": dict(self.filters),
            "privacy_threshold": self.privacy_threshold,
            "sources": list(self.sources),
        }
        if self.records is None:
            out["note"] = suppressed_note(self.privacy_threshold)
        return out

    def describe(self) -> str:
        """One line for tables: 'dataset v1, all rows, outliers excluded: 51,081 survey records'."""
        n = (
            f"{self.records:,}"
            if self.records is not None
            else suppressed_note(self.privacy_threshold)
        )
        scope = ", ".join(f"{k}={v}" for k, v in self.filters.items() if k != "version")
        return (
            f"dataset v{self.dataset_version}, {self.row_policy}, outliers {self.outliers}"
            + (f", {scope}" if scope else "")
            + f": {n} {self.unit}"
        )


def make_basis(store: Store, slice_: Slice, version: int, records: int, *, threshold: int) -> Basis:
    """The :class:`Basis` of a result over ``records`` rows of ``slice_``."""
    sources = tuple(
        r[0]
        for r in store.execute(
            "SELECT DISTINCT source FROM dataset_versions WHERE version <= ? ORDER BY 1", [version]
        ).fetchall()
    )
    return Basis(
        dataset_version=version,
        row_policy=slice_.row_policy,
        outliers="excluded" if slice_.exclude_outliers else "included",
        records=int(records) if records >= threshold else None,
        filters=slice_.filters(),
        privacy_threshold=threshold,
        sources=sources,
    )


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows (already privacy-safe dicts) as a DataFrame."""
    return pd.DataFrame(rows)
