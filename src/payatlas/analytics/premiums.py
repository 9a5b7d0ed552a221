"""Pay premiums, measured two ways side by side.

* **Matched cohorts** (survey records, with the pay noise and count rounding of
  :mod:`payatlas.disclosure`): records are split into cells that match on the other factors
  (e.g. level x country for the AI/ML premium); in each cell where both sides have at least
  ``privacy_threshold`` records, the log ratio of the two medians is taken; cells are combined
  with weights n_a*n_b/(n_a+n_b). The 90% interval is a stratified bootstrap (resampling within
  each cell and side).
* **Model-adjusted**: the champion model's P50 with only the compared factor changed, averaged
  over the slice's own mix of profiles (see :mod:`payatlas.analytics.modelview`).

Where fewer than :data:`MIN_MATCHED` records per side can be matched, the premium says
"too few records" instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payatlas.analytics.filters import BY_FIELDS, Slice, resolve_version, where_sql
from payatlas.analytics.modelview import model_premiums
from payatlas.analytics.premium_specs import (
    MIN_MATCHED,
    SPEC_BY_KEY,
    PremiumSpec,
    PremiumView,
)
from payatlas.analytics.premiums_cache import MATCHED_CACHE, data_key, spec_key
from payatlas.analytics.privacy import COUNT_SQL, TOO_FEW, Basis, Interval, make_basis
from payatlas.analytics.stats import boot_medians, cohort_arrays, interval, rng_for
from payatlas.disclosure import Rule
from payatlas.errors import InvalidInput
from payatlas.normalize.families import FAMILY_BY_SLUG
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

BOOT_B = 500
#: a family's share of its side (in some year) from which its absence in a year is warned
GROUP_SHARE = 0.05
BOOT_CAP = 2000


@dataclass(frozen=True, slots=True)
class Premium:
    """A premium of side A over side B, measured on matched cohorts and by the model."""

    key: str
    label: str
    a: str
    b: str
    matched_on: tuple[str, ...]
    cohort: PremiumView
    model: PremiumView
    #: groups missing in some of the compared years (:func:`mix_warnings`)
    warnings: tuple[str, ...] = ()
    #: what the figure is, where another surface shows one of the same name (the spec's note)
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "a": self.a,
            "b": self.b,
            "matched_on": list(self.matched_on),
            "cohort": self.cohort.as_dict(),
            "model": self.model.as_dict(),
            "warnings": list(self.warnings),
            "note": self.note,
        }

    def row(self) -> dict[str, Any]:
        """Flat form: one row per premium with both views."""
        c, m = self.cohort.as_dict(), self.model.as_dict()
        return {
            "key": self.key,
            "label": self.label,
            **{f"cohort_{k}": v for k, v in c.items() if k != "method"},
            **{f"model_{k}": v for k, v in m.items() if k != "method"},
            "warnings": "; ".join(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class PremiumsResult:
    """The premiums for a slice, each with a matched-cohort and a model-adjusted view."""

    basis: Basis
    premiums: list[Premium]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "premiums",
            "basis": self.basis.as_dict(),
            "interval": "90%",
            "premiums": [p.as_dict() for p in self.premiums],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [p.row() for p in self.premiums]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows())

    def get(self, key: str) -> Premium:
        return next(p for p in self.premiums if p.key == key)


def premiums(
    store: Store,
    *,
    slice: Slice | None = None,
    which: tuple[str, ...] | list[str] | None = None,
    settings: Settings | None = None,
    model: bool = True,
) -> PremiumsResult:
    """Measure the premiums named in ``which`` (default: all of :data:`SPECS`) for a slice.

    The filter on the field a premium varies is ignored for that premium (e.g. ``level`` for
    the level premiums).
    """
    settings = settings or get_settings()
    slice_ = slice or Slice()
    keys = tuple(which) if which else tuple(SPEC_BY_KEY)
    for k in keys:
        if k not in SPEC_BY_KEY:
            raise InvalidInput(
                f"unknown premium {k!r}; use one of: {', '.join(SPEC_BY_KEY)}", field="premium"
            )
    version = resolve_version(store, slice_)
    where, params = where_sql(slice_, version)
    row = store.execute(f"SELECT {COUNT_SQL} FROM records WHERE {where}", params).fetchone()
    out = []
    specs = [SPEC_BY_KEY[key] for key in keys]
    views = model_premiums(store, specs, slice_, version, settings) if model else {}
    for i, spec in enumerate(specs):
        cohort = matched_premium(store, spec, slice_, version, settings, purpose=i)
        view = views.get(spec.key) or PremiumView(
            "model-adjusted", Interval(None, note="not requested")
        )
        warn = mix_warnings(store, spec, slice_, version, settings.disclosure)
        parts = (spec.key, spec.label, spec.a_label, spec.b_label, tuple(spec.cells))
        out.append(Premium(*parts, cohort, view, warn, spec.note))
    basis = make_basis(
        store,
        slice_,
        version,
        int(row[0]) if row else 0,
        row[1] if row else 0,
        rule=settings.disclosure,
    )
    return PremiumsResult(basis=basis, premiums=out)


def mix_warnings(
    store: Store, spec: PremiumSpec, slice_: Slice, version: int, rule: Rule
) -> tuple[str, ...]:
    """The role families of a side that are missing in some of the compared years.

    Only premiums that compare sets of families (their ``varies`` is the role) have groups. The
    compared years are the slice's years (all when unset) in which each side has at least
    ``MIN_MATCHED`` records. A family that makes up at least :data:`GROUP_SHARE` of its side in
    some year of the data (the slice's years or others) and has fewer records than the privacy
    threshold in a compared year is missing there: each year is matched on its own, so the
    premium is not moved by the change of mix, but the side compared is not the same in every
    year, and the warning says so.
    """
    if spec.varies != "role":
        return ()
    key = ("warnings", data_key(store, version), spec_key(spec), slice_, rule)
    return MATCHED_CACHE.get_or_compute(
        key, lambda: _mix_warnings(store, spec, slice_, version, rule)
    )


def _mix_warnings(
    store: Store, spec: PremiumSpec, slice_: Slice, version: int, rule: Rule
) -> tuple[str, ...]:
    where, params = where_sql(slice_, version, skip=[spec.varies, "year"])
    side = f"CASE WHEN {spec.side_a} THEN 'a' WHEN {spec.side_b} THEN 'b' END"
    rows = store.execute(
        f"SELECT {side} AS side, role_family, pay_year, count(*) FROM records "
        f"WHERE {where} AND {side} IS NOT NULL GROUP BY ALL",
        params,
    ).fetchall()
    groups: dict[tuple[str, str], dict[int, int]] = {}
    totals: dict[tuple[str, int], int] = {}
    for s_, family, year, n in rows:
        groups.setdefault((s_, family), {})[int(year)] = int(n)
        totals[(s_, int(year))] = totals.get((s_, int(year)), 0) + int(n)
    years = sorted({y for _, y in totals})
    lo, hi = slice_.years or (min(years, default=0), max(years, default=0))
    compared = [
        y
        for y in years
        if lo <= y <= hi and min(totals.get(("a", y), 0), totals.get(("b", y), 0)) >= MIN_MATCHED
    ]
    out = []
    for s_, side_label in (("a", spec.a_label), ("b", spec.b_label)):
        patterns: dict[tuple[tuple[int, ...], tuple[int, ...]], list[str]] = {}
        for (gs, family), by_year in sorted(groups.items()):
            big = any(n >= GROUP_SHARE * totals[(gs, y)] for y, n in by_year.items())
            if gs != s_ or max(by_year.values()) < MIN_MATCHED or not big:
                continue
            missing = tuple(y for y in compared if by_year.get(y, 0) < rule.threshold)
            present = tuple(sorted(y for y, n in by_year.items() if n >= rule.threshold))
            if missing and present:
                patterns.setdefault((missing, present), []).append(FAMILY_BY_SLUG[family].label)
        for (missing, present), labels in patterns.items():
            out.append(
                f"{side_label}: {', '.join(labels)} missing in {_years(missing)} (present in "
                f"{_years(present)}); each year is matched on its own, but the {side_label} "
                "compared are not the same in every year"
            )
    return tuple(out)


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years)


def matched_premium(
    store: Store,
    spec: PremiumSpec,
    slice_: Slice,
    version: int,
    settings: Settings,
    *,
    purpose: int = 0,
) -> PremiumView:
    """The matched-cohort premium of ``spec`` with a stratified bootstrap 90% interval.

    Cached in process (bounded, see :mod:`payatlas.analytics.premiums_cache`) under the data
    version, the premium's definition, the slice, the seed, the privacy threshold and
    ``purpose`` (which seeds the bootstrap): a repeated call returns the same view at once.
    """
    key = (
        data_key(store, version),
        spec_key(spec),
        slice_,
        settings.seed,
        settings.disclosure,
        purpose,
    )
    return MATCHED_CACHE.get_or_compute(
        key, lambda: _matched_premium(store, spec, slice_, version, settings, purpose)
    )


def _matched_premium(
    store: Store,
    spec: PremiumSpec,
    slice_: Slice,
    version: int,
    settings: Settings,
    purpose: int,
) -> PremiumView:
    method = "matched-cohort medians"
    where, params = where_sql(slice_, version, skip=[spec.varies])
    side = f"CASE WHEN {spec.side_a} THEN 'a' WHEN {spec.side_b} THEN 'b' END"
    cell_sql = [BY_FIELDS[c] for c in spec.cells]
    cols = ", ".join(f"{c} AS c{i}" for i, c in enumerate(cell_sql))
    n_cells = len(cell_sql)
    rule = settings.disclosure
    pay = rule.pay_sql()
    rows = store.execute(
        f"SELECT {cols}, {side} AS side, {COUNT_SQL}, median({pay}) AS med "
        f"FROM records WHERE {where} AND {side} IS NOT NULL GROUP BY ALL",
        params,
    ).fetchall()
    t = rule.threshold
    per_cell: dict[tuple[Any, ...], dict[str, tuple[int, float]]] = {}
    keys: dict[tuple[Any, ...], int] = {}
    for r in rows:
        per_cell.setdefault(tuple(r[:n_cells]), {})[r[n_cells]] = (
            int(r[n_cells + 1]),
            float(r[n_cells + 3]),
        )
        keys[(*r[:n_cells], r[n_cells])] = int(r[n_cells + 2])
    cells = {
        k: v
        for k, v in sorted(per_cell.items(), key=lambda kv: tuple(map(str, kv[0])))
        if "a" in v and "b" in v and v["a"][0] >= t and v["b"][0] >= t
    }
    n_a = sum(v["a"][0] for v in cells.values())
    n_b = sum(v["b"][0] for v in cells.values())
    if n_a < MIN_MATCHED or n_b < MIN_MATCHED:
        return PremiumView(method, Interval(None, note=TOO_FEW))
    counts = {(*k, s): v[s][0] for k, v in cells.items() for s in ("a", "b")}
    arrays = cohort_arrays(
        store,
        where=where,
        params=params,
        keys=[*cell_sql, side],
        counts=counts,
        seed=settings.seed,
        pay=pay,
        cap=BOOT_CAP,
    )
    rng = rng_for(settings.seed, 7, purpose)
    weights, logs, rep_logs = [], [], []
    for k, v in cells.items():
        (na, ma), (nb, mb) = v["a"], v["b"]
        ra = boot_medians(arrays[(*k, "a")], n_full=na, median_full=ma, rng=rng, b=BOOT_B)
        rb = boot_medians(arrays[(*k, "b")], n_full=nb, median_full=mb, rng=rng, b=BOOT_B)
        weights.append(na * nb / (na + nb))
        logs.append(np.log(ma / mb))
        rep_logs.append(np.log(ra / rb))
    w = np.asarray(weights) / np.sum(weights)
    point = float(np.exp(np.dot(w, logs)) - 1) * 100
    reps = (np.exp(w @ np.vstack(rep_logs)) - 1) * 100
    lo, hi = interval(reps)
    # the matched records of each side, as published (a multiple of the threshold)
    shown_a = rule.count(n_a, sum(keys[(*k, "a")] for k in cells))
    shown_b = rule.count(n_b, sum(keys[(*k, "b")] for k in cells))
    return PremiumView(method, Interval(point, lo, hi), shown_a, shown_b, len(cells))
