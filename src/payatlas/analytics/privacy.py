"""Public result building blocks and the privacy rule.

The rule (one definition, :mod:`payatlas.disclosure`): a cohort with fewer records than
``settings.privacy_threshold`` is never published -- its row carries ``suppressed: true`` and a
note, and no pay figure and no count. Every published count is rounded to a multiple of the
threshold by its records' cell key, and every pay figure is computed from record-keyed perturbed
pay, so no combination of answers (a slice minus a narrower one, a region minus its countries)
pins a cohort under the threshold. Public results are built only from the types below; none of
them can hold an individual record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payatlas.analytics.filters import Slice
from payatlas.disclosure import Rule, record_key_sql
from payatlas.store import Store

#: the percentiles every pay summary carries
QUANTILES: tuple[float, ...] = (0.10, 0.25, 0.50, 0.75, 0.90)
PAY_KEYS: tuple[str, ...] = ("p10", "p25", "p50", "p75", "p90", "mean")
UNIT = "survey records"
TOO_FEW = "too few records"


def suppressed_note(threshold: int) -> str:
    """The text shown instead of a figure for a cohort under the threshold."""
    return f"suppressed (n < {threshold})"


#: SQL aggregates of a cell: ``n`` (its true size, used only to decide what to publish) and
#: ``k`` (the sum of its record keys: its cell key, salted in Python by :meth:`Rule.count`)
COUNT_SQL = f"count(*) AS n, sum({record_key_sql()}) AS k"


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
        key_sum: int | None,
        quantiles: Sequence[float] | None,
        mean: float | None,
        *,
        rule: Rule,
    ) -> PayStats:
        """Figures for a cohort of ``n`` records (cell key sum ``key_sum``): suppressed when
        ``n`` is under the threshold, else the count as published (:meth:`Rule.count`) and
        the pay figures (already computed from perturbed pay, :meth:`Rule.pay_sql`)."""
        shown = rule.count(n, int(key_sum or 0))
        if not shown or quantiles is None:
            return cls(n=None, suppressed=True, threshold=rule.threshold)
        q = [_num(v) for v in quantiles]
        return cls(
            n=shown,
            p10=q[0],
            p25=q[1],
            p50=q[2],
            p75=q[3],
            p90=q[4],
            mean=_num(mean),
            threshold=rule.threshold,
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


def make_basis(
    store: Store, slice_: Slice, version: int, records: int, key_sum: int | None, *, rule: Rule
) -> Basis:
    """The :class:`Basis` of a result over ``records`` rows of ``slice_`` (their key sum
    ``key_sum``): the record count as published (:meth:`Rule.count`)."""
    kind_sql = "IN" if slice_.record_kind == "job_posting" else "NOT IN"
    only = " AND source = ?" if slice_.source is not None else ""
    sources = tuple(
        r[0]
        for r in store.execute(
            "SELECT DISTINCT source FROM dataset_versions WHERE version <= ? AND version "
            f"{kind_sql} (SELECT version FROM dataset_sources WHERE kind = 'job_posting')"
            f"{only} ORDER BY 1",
            [version, *([slice_.source] if slice_.source is not None else [])],
        ).fetchall()
    )
    return Basis(
        dataset_version=version,
        row_policy=slice_.row_policy,
        outliers="excluded" if slice_.exclude_outliers else "included",
        records=rule.count(records, int(key_sum or 0)),
        filters=slice_.filters(),
        privacy_threshold=rule.threshold,
        sources=sources,
        unit=slice_.unit,
    )


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows (already privacy-safe dicts) as a DataFrame."""
    return pd.DataFrame(rows)
