"""Demand from job postings: postings per month, family, seniority, country, state, city (hubs),
remote share, employer or board, with growth and bootstrap intervals.

Privacy rule for postings (docs/analytics.md, "Demand"): postings are public listings, not people,
but the project's one rule still holds: a group with fewer postings than the privacy threshold is
never published with its count, share or pay. Month, family, seniority, country, state and remote
rows show such a group as withheld; employer, city and board lists leave it out and report how
many groups (and, when that total is itself at least the threshold, how many postings) were left
out. Growth is shown only when both periods it compares reach the threshold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from payatlas.analytics.posting_slice import (
    KIND,
    LABEL,
    UNSTATED,
    PostingSlice,
    PostingSource,
    require_postings,
    sources_of,
)
from payatlas.errors import InvalidInput
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

#: grouping name -> SQL over the postings table ``p``
BY_FIELDS: dict[str, str] = {
    "month": "strftime(p.posted_date, '%Y-%m')",
    "family": "p.role_family",
    "seniority": f"coalesce(p.title_seniority, '{UNSTATED}')",
    "country": "p.country",
    "state": "p.state",
    "city": "p.city || ', ' || coalesce(p.state, p.country)",
    "remote": "CASE WHEN p.is_remote THEN 'remote' ELSE 'not remote' END",
    "employer": "p.company",
    "board": "p.board",
}
#: lists of many small groups: a withheld group is left out rather than shown as withheld
LISTS = frozenset({"city", "employer", "board"})
GROWTH_MONTHS = 3


@dataclass(frozen=True, slots=True)
class Growth:
    """Relative change in postings between two periods, with a bootstrap interval."""

    measure: str
    first_period: str
    last_period: str
    first: int
    last: int
    change: float
    low: float
    high: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (changes are fractions: 0.25 = +25%)."""
        out = asdict(self)
        for k in ("change", "low", "high"):
            out[k] = round(out[k], 4)
        return out


@dataclass(frozen=True, slots=True)
class DemandRow:
    """One group of postings; counts, shares and pay are None when withheld."""

    key: dict[str, str]
    postings: int | None
    share: float | None
    remote_share: float | None
    median_annual_usd: float | None
    growth: Growth | None = None

    @property
    def withheld(self) -> bool:
        return self.postings is None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.key,
            "postings": self.postings,
            "share": None if self.share is None else round(self.share, 4),
            "remote_share": None if self.remote_share is None else round(self.remote_share, 4),
            "median_annual_usd": self.median_annual_usd,
            "growth": self.growth.as_dict() if self.growth else None,
            "withheld": self.withheld,
        }


@dataclass(slots=True)
class DemandResult:
    """Postings counted by ``by`` for a slice of job postings."""

    slice: PostingSlice
    by: tuple[str, ...]
    postings: int
    rows: list[DemandRow]
    sources: list[PostingSource]
    privacy_threshold: int
    growth: Growth | None = None
    left_out_groups: int = 0
    left_out_postings: int | None = None
    kind: str = KIND
    label: str = LABEL
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``--json`` and ``GET /v1/demand`` return)."""
        return {
            "kind": self.kind,
            "label": self.label,
            "slice": self.slice.as_dict(),
            "by": list(self.by),
            "postings": self.postings,
            "sources": [s.as_dict() for s in self.sources],
            "privacy_threshold": self.privacy_threshold,
            "growth": self.growth.as_dict() if self.growth else None,
            "rows": [r.as_dict() for r in self.rows],
            "left_out_groups": self.left_out_groups,
            "left_out_postings": self.left_out_postings,
            "notes": self.notes,
        }

    def to_frame(self) -> Any:
        """The CSV rows as a pandas DataFrame (what ``--csv`` prints)."""
        import pandas as pd

        return pd.DataFrame(self.csv_rows())

    def csv_rows(self) -> list[dict[str, Any]]:
        """Flat rows for a CSV download (growth flattened)."""
        out = []
        for r in self.rows:
            row = r.as_dict()
            g = row.pop("growth")
            row.update(growth=g and g["change"], growth_low=g and g["low"],
                       growth_high=g and g["high"])  # fmt: skip
            out.append(row)
        return out


def _periods(store: Store, where: str, params: list[Any]) -> tuple[dt.date, dt.date] | None:
    row = store.execute(
        f"SELECT min(p.posted_date), max(p.posted_date) FROM postings p WHERE {where}", params
    ).fetchall()[0]
    return (row[0], row[1]) if row[0] is not None else None


def _boot_growth(
    first: np.ndarray, last: np.ndarray, total: int, reps: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap draws of (first, last) counts per group: resampling the ``total`` postings
    (multinomial over every group x period cell, the rest of the slice as one more cell)."""
    cells = np.concatenate([first, last]).astype(float)
    rest = max(total - cells.sum(), 0.0)
    p = np.append(cells, rest) / total
    draws = np.random.default_rng(seed).multinomial(total, p, size=reps)
    k = len(first)
    return draws[:, :k], draws[:, k : 2 * k]


def _growth_of(
    f: np.ndarray, la: np.ndarray, a: int, b: int, measure: str, periods: tuple[str, str]
) -> Growth:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(f > 0, la / np.maximum(f, 1) - 1, np.nan)
    lo, hi = np.nanpercentile(ratios, [2.5, 97.5])
    return Growth(measure, periods[0], periods[1], a, b, b / a - 1, float(lo), float(hi))


def demand(
    store: Store,
    *,
    slice: PostingSlice | None = None,
    by: tuple[str, ...] | list[str] = ("month",),
    top: int | None = None,
    reps: int = 400,
    settings: Settings | None = None,
) -> DemandResult:
    """Count the slice's job postings by one or two of :data:`BY_FIELDS`."""
    settings = settings or get_settings()
    slice = slice or PostingSlice()
    by = tuple(by)
    bad = [b for b in by if b not in BY_FIELDS]
    if not by or len(by) > 2 or bad or len(set(by)) != len(by):
        raise InvalidInput(
            f"by must be one or two of {', '.join(BY_FIELDS)}; got {', '.join(by) or 'nothing'}",
            field="by",
        )
    require_postings(store)
    threshold = settings.privacy_threshold
    where, params = slice.where()
    span = _periods(store, where, params)
    sources = sources_of(store, slice)
    if span is None:
        return DemandResult(slice, by, 0, [], sources, threshold,
                            notes=["no job postings match this slice"])  # fmt: skip
    mid = span[0] + (span[1] - span[0]) / 2
    keys = ", ".join(f"{BY_FIELDS[b]} AS k{i}" for i, b in enumerate(by))
    notnull = " AND ".join(f"{BY_FIELDS[b]} IS NOT NULL" for b in by)
    rows = store.execute(
        f"SELECT {keys}, count(*), count(*) FILTER (p.is_remote), median(p.annual_usd), "
        f"count(*) FILTER (p.posted_date <= ?), count(*) FILTER (p.posted_date > ?) "
        f"FROM postings p WHERE {where} AND {notnull} GROUP BY ALL",
        [mid, mid, *params],
    ).fetchall()
    total = int(
        store.execute(f"SELECT count(*) FROM postings p WHERE {where}", params).fetchall()[0][0]
    )
    n_keys = len(by)
    published = [r for r in rows if r[n_keys] >= threshold]
    small = [r for r in rows if r[n_keys] < threshold]
    growth_rows: dict[tuple[Any, ...], Growth] = {}
    if by != ("month",) and len(by) == 1 and published:
        first = np.array([r[n_keys + 3] for r in published])
        last = np.array([r[n_keys + 4] for r in published])
        f, la = _boot_growth(first, last, total, reps, settings.seed)
        halves = (f"{span[0]}..{mid}", f"{mid + dt.timedelta(days=1)}..{span[1]}")
        for j, r in enumerate(published):
            if first[j] >= threshold and last[j] >= threshold:
                growth_rows[r[:n_keys]] = _growth_of(
                    f[:, j], la[:, j], int(first[j]), int(last[j]), "second half vs first half",
                    halves,
                )  # fmt: skip
    out_rows = [
        DemandRow(
            key={b: str(r[i]) for i, b in enumerate(by)},
            postings=int(r[n_keys]),
            share=r[n_keys] / total,
            remote_share=r[n_keys + 1] / r[n_keys],
            median_annual_usd=round(float(r[n_keys + 2]), 0),
            growth=growth_rows.get(r[:n_keys]),
        )
        for r in published
    ]
    lists = any(b in LISTS for b in by)
    left_groups, left_postings = 0, None
    if lists:
        left_groups = len(small)
        hidden = sum(int(r[n_keys]) for r in small)
        left_postings = hidden if hidden >= threshold else None
    else:
        out_rows += [
            DemandRow({b: str(r[i]) for i, b in enumerate(by)}, None, None, None, None)
            for r in small
        ]
    if "month" in by:
        out_rows.sort(key=lambda r: tuple(r.key.values()))
    else:
        out_rows.sort(key=lambda r: (-(r.postings or 0), tuple(r.key.values())))
    if top is not None:
        out_rows = out_rows[:top]
    result = DemandResult(slice, by, total, out_rows, sources, threshold,
                          left_out_groups=left_groups, left_out_postings=left_postings)  # fmt: skip
    result.growth = _month_growth(store, where, params, total, reps, settings.seed, threshold)
    result.notes.append(
        "Counts of job postings (one collector's 2023 listings with pay), not of jobs or hires; "
        "the collection's own intensity varies by month."
    )
    return result


def _month_growth(
    store: Store, where: str, params: list[Any], total: int, reps: int, seed: int, threshold: int
) -> Growth | None:
    """Postings in the slice's last three months against its first three, with an interval."""
    months = store.execute(
        f"SELECT strftime(p.posted_date, '%Y-%m') m, count(*) FROM postings p WHERE {where} "
        "GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()
    if len(months) < 2 * GROWTH_MONTHS:
        return None
    head, tail = months[:GROWTH_MONTHS], months[-GROWTH_MONTHS:]
    a, b = sum(n for _, n in head), sum(n for _, n in tail)
    if a < threshold or b < threshold:
        return None
    f, la = _boot_growth(np.array([a]), np.array([b]), total, reps, seed)
    return _growth_of(
        f[:, 0], la[:, 0], a, b, f"last {GROWTH_MONTHS} months vs first {GROWTH_MONTHS}",
        (f"{head[0][0]}..{head[-1][0]}", f"{tail[0][0]}..{tail[-1][0]}"),
    )  # fmt: skip
