"""Trends: median pay per pay year with a bootstrap 90% interval and the year-over-year change;
survey submissions per arrival month (``first_seen``) per role family.

Submissions are survey records arriving in the source -- never job postings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from payatlas.analytics.filters import Slice, relation, resolve_version, where_sql
from payatlas.analytics.privacy import (
    COUNT_SQL,
    TOO_FEW,
    Basis,
    Interval,
    make_basis,
    suppressed_note,
)
from payatlas.analytics.stats import boot_medians, cohort_arrays, interval, rng_for
from payatlas.disclosure import Rule
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

#: fewer records than this in a year: no median or interval ("too few records")
MIN_RECORDS = 20
SUBMISSIONS_LABEL = "survey submissions per arrival month (not job postings)"


@dataclass(frozen=True, slots=True)
class YearPoint:
    """One pay year: median with 90% interval and the change from the previous year."""

    year: int
    n: int | None
    median: Interval
    yoy: Interval | None
    suppressed: bool
    threshold: int

    def as_dict(self) -> dict[str, Any]:
        if self.suppressed:
            return {"year": self.year, "suppressed": True, "note": suppressed_note(self.threshold)}
        out: dict[str, Any] = {"year": self.year, "n": self.n, "suppressed": False}
        if self.median.available:
            out.update(
                p50=self.median.as_dict()["value"],
                p50_low=self.median.as_dict()["low"],
                p50_high=self.median.as_dict()["high"],
            )
        else:
            out["note"] = self.median.note
        if self.yoy is not None:
            y = self.yoy.as_dict()
            out.update(yoy_pct=y["value"], yoy_low=y["low"], yoy_high=y["high"])
        return out


@dataclass(frozen=True, slots=True)
class SubmissionCount:
    """Survey submissions that arrived in one month for one role family."""

    month: str
    role_family: str
    n: int | None
    threshold: int

    def as_dict(self) -> dict[str, Any]:
        if self.n is None:
            return {
                "month": self.month,
                "role_family": self.role_family,
                "suppressed": True,
                "note": suppressed_note(self.threshold),
            }
        return {
            "month": self.month,
            "role_family": self.role_family,
            "n": self.n,
            "suppressed": False,
        }


@dataclass(frozen=True, slots=True)
class TrendResult:
    """Median pay per year (with intervals) and survey submissions per arrival month."""

    basis: Basis
    years: list[YearPoint] = field(default_factory=list)
    submissions: list[SubmissionCount] = field(default_factory=list)
    interval_level: float = 0.90
    submissions_label: str = SUBMISSIONS_LABEL

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "trend",
            "basis": self.basis.as_dict(),
            "interval": f"bootstrap {self.interval_level:.0%} interval of the median",
            "years": [y.as_dict() for y in self.years],
            "submissions_label": self.submissions_label,
            "submissions": [s.as_dict() for s in self.submissions],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [y.as_dict() for y in self.years]

    def to_frame(self) -> pd.DataFrame:
        """Pay per year as a DataFrame (use ``submissions_frame`` for arrivals)."""
        return pd.DataFrame(self.rows())

    def submissions_frame(self) -> pd.DataFrame:
        return pd.DataFrame([s.as_dict() for s in self.submissions])


def trend(
    store: Store,
    *,
    slice: Slice | None = None,
    settings: Settings | None = None,
    submissions: bool = True,
) -> TrendResult:
    """Median annual USD pay per pay year for a slice, with bootstrap 90% intervals and YoY.

    A year under the privacy threshold is suppressed; a year with fewer than
    :data:`MIN_RECORDS` records says "too few records" instead of a number. Counts are
    published rounded and medians computed from perturbed pay (:attr:`Settings.disclosure`).
    """
    settings = settings or get_settings()
    slice_ = slice or Slice()
    version = resolve_version(store, slice_)
    where, params = where_sql(slice_, version)
    rel = relation(store, slice_)
    rule = settings.disclosure
    threshold = rule.threshold
    rows = store.execute(
        f"SELECT pay_year, {COUNT_SQL}, median({rule.pay_sql()}) FROM {rel} WHERE {where} "
        "GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()
    total = sum(int(r[1]) for r in rows)
    total_key = sum(int(r[2]) for r in rows)
    enough = {(int(y),): int(n) for y, n, _, _ in rows if n >= max(threshold, MIN_RECORDS)}
    arrays = cohort_arrays(
        store,
        where=where,
        params=params,
        keys=["pay_year"],
        counts=enough,
        seed=settings.seed,
        pay=rule.pay_sql(),
        rel=rel,
    )
    years: list[YearPoint] = []
    prev: tuple[int, float, np.ndarray] | None = None
    for year, n, key, med in rows:
        year, n = int(year), int(n)
        shown = rule.count(n, int(key))
        if not shown:
            years.append(YearPoint(year, None, Interval(None), None, True, threshold))
            prev = None
            continue
        if (year,) not in enough:
            years.append(
                YearPoint(year, shown, Interval(None, note=TOO_FEW), None, False, threshold)
            )
            prev = None
            continue
        reps = boot_medians(
            arrays[(year,)], n_full=n, median_full=float(med), rng=rng_for(settings.seed, year)
        )
        lo, hi = interval(reps)
        yoy = None
        if prev is not None and prev[0] == year - 1:
            ratio = reps / prev[2] - 1
            ylo, yhi = interval(ratio * 100)
            yoy = Interval((float(med) / prev[1] - 1) * 100, ylo, yhi)
        years.append(YearPoint(year, shown, Interval(float(med), lo, hi), yoy, False, threshold))
        prev = (year, float(med), reps)
    subs = _submissions(store, where, params, rule, rel) if submissions else []
    basis = make_basis(store, slice_, version, total, total_key, rule=rule)
    return TrendResult(basis=basis, years=years, submissions=subs)


def _submissions(
    store: Store, where: str, params: list[Any], rule: Rule, rel: str = "records"
) -> list[SubmissionCount]:
    rows = store.execute(
        # per day first (cheap), then per month
        "SELECT date_trunc('month', d) AS m, f, sum(n)::BIGINT AS n, sum(k) AS k FROM ("
        f"SELECT first_seen AS d, role_family AS f, {COUNT_SQL} FROM {rel} "
        f"WHERE {where} AND first_seen IS NOT NULL GROUP BY 1, 2) "
        "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        params,
    ).fetchall()
    out = []
    for month, family, n, key in rows:
        label = month.strftime("%Y-%m") if isinstance(month, dt.date) else str(month)[:7]
        shown = rule.count(int(n), int(key))
        out.append(SubmissionCount(label, family, shown or None, rule.threshold))
    # by month, then published count (the true counts' order is not published), then family
    out.sort(key=lambda s: (s.month, s.n is None, -(s.n or 0), s.role_family))
    return out
