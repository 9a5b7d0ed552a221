"""Pay benchmarks: P10-P90, mean and count of annual USD pay for any slice, grouped by <= 2 fields.

DuckDB does the work (``quantile_cont`` = linear interpolation, as numpy's default): one query
for the groups and one for the overall row, run side by side.
Cohorts under the privacy threshold are nulled in SQL before anything reaches Python. Pay
figures are computed from record-keyed perturbed pay and counts are published rounded to a
multiple of the threshold (:mod:`payatlas.disclosure`), so one answer minus another (a region
minus its countries, the overall row minus the groups) never pins a small cohort.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payatlas.analytics.filters import (
    BY_FIELDS,
    Slice,
    relation,
    resolve_by,
    resolve_version,
    where_sql,
)
from payatlas.analytics.privacy import COUNT_SQL, Basis, PayStats, make_basis
from payatlas.disclosure import Rule
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

_QSQL = "[0.1, 0.25, 0.5, 0.75, 0.9]"


@dataclass(frozen=True, slots=True)
class BenchmarkGroup:
    """One cohort: its group keys and its (possibly suppressed) pay figures."""

    keys: dict[str, Any]
    stats: PayStats

    def as_dict(self) -> dict[str, Any]:
        return {**self.keys, **self.stats.as_dict()}


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    """Pay percentiles for a slice, overall and per group."""

    basis: Basis
    by: tuple[str, ...]
    overall: PayStats
    groups: list[BenchmarkGroup] = field(default_factory=list)

    @property
    def suppressed_groups(self) -> int:
        return sum(g.stats.suppressed for g in self.groups)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: basis, overall figures and one object per group."""
        return {
            "kind": "benchmark",
            "basis": self.basis.as_dict(),
            "by": list(self.by),
            "overall": self.overall.as_dict(),
            "groups": [g.as_dict() for g in self.groups],
            "suppressed_groups": self.suppressed_groups,
        }

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows (one per group, or the overall row when not grouped)."""
        if not self.by:
            return [self.overall.as_dict()]
        return [g.as_dict() for g in self.groups]

    def to_frame(self) -> pd.DataFrame:
        """The group rows as a DataFrame (suppressed rows have no pay figures)."""
        return pd.DataFrame(self.rows())


def _fetch(store: Store, sql: str, params: list[Any]) -> list[Any]:
    """Run a query on its own cursor (safe beside another thread's query)."""
    cur = store.con.cursor()
    try:
        return list(cur.execute(sql, params).fetchall())
    finally:
        cur.close()


def _stats_sql(rule: Rule) -> str:
    t, pay = int(rule.threshold), rule.pay_sql()
    return (
        f"{COUNT_SQL}, "
        f"CASE WHEN count(*) >= {t} THEN quantile_cont({pay}, {_QSQL}) END AS q, "
        f"CASE WHEN count(*) >= {t} THEN avg({pay}) END AS mean"
    )


def _order_key(keys: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in keys.values())


def benchmark(
    store: Store,
    *,
    slice: Slice | None = None,
    by: Iterable[str] | str | None = (),
    settings: Settings | None = None,
    limit: int | None = None,
) -> BenchmarkResult:
    """Percentiles (P10, P25, P50, P75, P90), mean and count of annual USD pay.

    ``by`` names up to two of: role_family, level, country, region, company_size, remote,
    employment_type, year. Groups are ordered by published size (largest first, then by
    their keys; suppressed groups last); ``limit`` keeps the largest ones. Groups under
    ``settings.privacy_threshold`` are returned as suppressed rows; published counts and pay
    figures follow :attr:`Settings.disclosure`.
    """
    settings = settings or get_settings()
    slice_ = slice or Slice()
    fields = resolve_by(by)
    version = resolve_version(store, slice_)
    where, params = where_sql(slice_, version)
    rel = relation(store, slice_)
    rule = settings.disclosure
    stats_sql = _stats_sql(rule)

    total_sql = f"SELECT {stats_sql} FROM {rel} WHERE {where}"
    groups_sql = None
    if fields:
        keys_sql = ", ".join(f"{BY_FIELDS[f]} AS {f}" for f in fields)
        order = ", ".join(str(i + 1) for i in range(len(fields)))
        lim = f" LIMIT {int(limit)}" if limit else ""
        groups_sql = (
            f"SELECT {keys_sql}, {stats_sql} FROM {rel} WHERE {where} "
            f"GROUP BY {order} ORDER BY n DESC, {order}{lim}"
        )
    # the overall row is one big (mostly serial) quantile; the groups run beside it
    with ThreadPoolExecutor(max_workers=2) as pool:
        total_job = pool.submit(_fetch, store, total_sql, params)
        group_rows = _fetch(store, groups_sql, params) if groups_sql else []
        total = total_job.result()[0]
    overall = PayStats.build(int(total[0]), total[1], total[2], total[3], rule=rule)
    k = len(fields)
    groups = [
        BenchmarkGroup(
            dict(zip(fields, row[:k], strict=True)),
            PayStats.build(int(row[k]), row[k + 1], row[k + 2], row[k + 3], rule=rule),
        )
        for row in group_rows
    ]
    # ordered by the published count (then the keys): the true sizes' order is not published
    groups.sort(key=lambda g: (g.stats.n is None, -(g.stats.n or 0), _order_key(g.keys)))
    basis = make_basis(store, slice_, version, int(total[0]), total[1], rule=rule)
    return BenchmarkResult(basis=basis, by=fields, overall=overall, groups=groups)
