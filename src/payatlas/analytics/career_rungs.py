"""Pay by career rung for a family in a country (the rungs of :mod:`payatlas.analytics.career`).

Rungs (junior, mid, senior, staff/principal, lead/manager, director/head) are derived from title
words and the level by :func:`payatlas.normalize.seniority.career_rung`; :func:`rung_sql` is the
same rule over stored records (one definition: it is generated from the same tables).

Pay by rung (survey submissions, published with :mod:`payatlas.disclosure`):

* **measured** when the family x country has at least :data:`MIN_RUNG` records of the rung: its
  P10-P90 with a *measured coverage*: the range of one half of the records (split by record key)
  checked on the other half, both ways;
* else **extrapolated** (flagged): the anchor rung's figures (senior for the upper rungs, mid
  for junior and senior, senior for mid) times the rung-to-anchor pay ratio measured within
  family cells -- in the country when it holds :data:`MIN_RUNG` records of the rung, else across
  all countries -- with that ratio's evidence;
* else, when the family x country has no anchor figure, **extrapolated** from the family's rung
  across all countries times the country's pay ratio to the other countries (measured within
  family x rung cells of every role there);
* else no figure, with a note.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from payatlas.analytics.filters import Slice, where_sql
from payatlas.analytics.privacy import COUNT_SQL, suppressed_note
from payatlas.disclosure import Rule, record_key_sql
from payatlas.normalize.levels import normalize_level, years_to_level
from payatlas.normalize.seniority import (
    CAREER_RUNGS,
    LEVEL_RUNG,
    RUNG_LABELS,
    RUNG_LEVEL,
    SENIORITY_RUNG,
    career_rung,
)
from payatlas.normalize.titles import ROLE_FAMILIES, classify_title
from payatlas.store import Store

#: a cell's (records, key sum, median pay)
Cell = tuple[int, int, float]

MANAGER_FAMILIES: tuple[str, ...] = tuple(f.slug for f in ROLE_FAMILIES if f.group == "management")
#: records of a rung in the family x country needed for a measured figure (and in a scope, for
#: a measured rung ratio)
MIN_RUNG = 30
#: the rung an unmeasured rung is extrapolated from (resolved in :data:`_ORDER`)
ANCHOR: dict[str, str] = {
    "mid": "senior", "senior": "mid", "junior": "mid", "staff_principal": "senior",
    "lead_manager": "senior", "director_head": "senior",
}  # fmt: skip
_ORDER = ("senior", "mid", "junior", "staff_principal", "lead_manager", "director_head")
_Q = (0.10, 0.25, 0.50, 0.75, 0.90)


def title_rung(title: str, *, level: str | None = None, years: float | None = None) -> str | None:
    """The rung of a free-text title with an optional explicit level and years of experience.

    An explicit level wins over years; either wins over the level the title's intern/junior/senior
    word implies; title words above senior win over both (see ``career_rung``)."""
    info = classify_title(title)
    lv = normalize_level(level) if level is not None else None
    if lv is None and years is not None:
        lv = years_to_level(years)
    manager = info.family in MANAGER_FAMILIES
    return career_rung(seniority=info.seniority, level=lv or info.level, manager=manager)


def rung_sql() -> str:
    """SQL (over ``records``) for a record's rung, the rule of ``career_rung`` (the stored
    ``level`` already applies the field-over-title precedence)."""
    words = " ".join(f"WHEN title_seniority = '{w}' THEN '{r}'" for w, r in SENIORITY_RUNG.items())
    managers = ", ".join(f"'{f}'" for f in MANAGER_FAMILIES)
    levels = " ".join(f"WHEN level = '{lv}' THEN '{r}'" for lv, r in LEVEL_RUNG.items())
    return (
        f"(CASE {words} WHEN role_family IN ({managers}) THEN "
        "(CASE WHEN level = 'executive' THEN 'director_head' ELSE 'lead_manager' END) "
        f"{levels} END)"
    )


@dataclass(frozen=True, slots=True)
class RungRatio:
    """The pay ratio of a rung to its anchor, measured within family cells of a scope."""

    anchor: str
    ratio: float  # rung median / anchor median (weighted geometric mean over cells)
    records: int | None  # rung records in the matched cells (published)
    cells: int
    scope: str  # a country code, or "all countries"


@dataclass(frozen=True, slots=True)
class RungPay:
    """Annual USD pay of one rung in a family x country."""

    rung: str
    level: str
    records: int | None  # the rung's records in the family x country (published; None: 1..t-1)
    method: str  # "measured" | "extrapolated" | "unavailable"
    p10: float | None = None
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    coverage: float | None = None  # measured: held-out share inside P10-P90 (nominal 0.80)
    ratio: RungRatio | None = None
    note: str | None = None

    @property
    def extrapolated(self) -> bool:
        return self.method != "measured"

    def scaled(self, rung: str, records: int | None, ratio: RungRatio) -> RungPay:
        """This rung's figures times ``ratio``: the extrapolated figures of ``rung``."""
        qs = [None if v is None else round(v * ratio.ratio, 2) for v in self.quantiles]
        note = (
            f"extrapolated (fewer than {MIN_RUNG} records of its own): "
            f"{RUNG_LABELS[ratio.anchor]} figures x {ratio.ratio:.3f}, the "
            f"pay ratio of {RUNG_LABELS[rung]} to {RUNG_LABELS[ratio.anchor]} in {ratio.cells} "
            f"family cells ({ratio.scope})"
        )
        return _pay(rung, records, "extrapolated", qs, ratio=ratio, note=note)

    @property
    def quantiles(self) -> tuple[float | None, ...]:
        return (self.p10, self.p25, self.p50, self.p75, self.p90)

    def as_dict(self) -> dict[str, Any]:
        r = self.ratio
        return {
            "rung": self.rung,
            "label": RUNG_LABELS[self.rung],
            "level": self.level,
            "records": self.records,
            "method": self.method,
            "extrapolated": self.extrapolated,
            "p10": self.p10,
            "p25": self.p25,
            "p50": self.p50,
            "p75": self.p75,
            "p90": self.p90,
            "coverage": self.coverage,
            "anchor": r.anchor if r else None,
            "ratio": round(r.ratio, 4) if r else None,
            "ratio_records": r.records if r else None,
            "ratio_cells": r.cells if r else None,
            "ratio_scope": r.scope if r else None,
            "note": self.note,
        }


def rung_pays(store: Store, slice_: Slice, version: int, rule: Rule) -> list[RungPay]:
    """Every rung of the slice's family x country: measured, extrapolated or unavailable (see
    the module docstring), each rung count published by ``rule``."""
    where, params = where_sql(slice_, version)
    pay, rung, t = rule.pay_sql(), rung_sql(), rule.threshold
    qs = ", ".join(str(q) for q in _Q)
    rows = store.execute(
        f"SELECT {rung} AS rung, {COUNT_SQL}, CASE WHEN count(*) >= {MIN_RUNG} THEN "
        f"quantile_cont({pay}, [{qs}]) END AS q FROM records WHERE {where} GROUP BY 1",
        params,
    ).fetchall()
    cohort = {r[0]: (int(r[1]), int(r[2] or 0), r[3]) for r in rows if r[0] is not None}
    coverage = _coverage(store, where, params, rule)
    got: dict[str, RungPay] = {}
    published: dict[str, int | None] = {}
    for name in CAREER_RUNGS:
        n, k, q = cohort.get(name, (0, 0, None))
        published[name] = rule.count(n, k)
        if n >= MIN_RUNG and q is not None:
            figures = [round(float(v), 2) for v in q]
            got[name] = _pay(
                name, published[name], "measured", figures, coverage=coverage.get(name)
            )
    ratios = _ratios(store, slice_, version, rule, set(got))
    borrowed: dict[str, RungPay] | None = None
    for name in _ORDER:
        if name in got:
            continue
        anchor, ratio = got.get(ANCHOR[name]), ratios.get(name)
        if anchor is not None and anchor.p50 is not None and ratio is not None:
            got[name] = anchor.scaled(name, published[name], ratio)
            continue
        if borrowed is None:
            borrowed = _borrowed(store, slice_, version, rule)
        if name in borrowed:
            got[name] = replace(borrowed[name], records=published[name])
            continue
        why = "no anchor figure" if anchor is None else "too few records for a rung ratio"
        got[name] = RungPay(name, RUNG_LEVEL[name], published[name], "unavailable", note=why)
    out = [got[name] for name in CAREER_RUNGS]
    return [
        r if r.records is not None else _with_note(r, suppressed_note(t) + " for the rung count")
        for r in out
    ]


def _borrowed(store: Store, slice_: Slice, version: int, rule: Rule) -> dict[str, RungPay]:
    """Rungs of a country too thin for its own anchor: the family's rung measured across all
    countries times the country's pay ratio to the other countries, measured within family x
    rung cells of all roles (a country effect learned from every role there)."""
    assert slice_.role is not None and slice_.country is not None
    pay, rung, t = rule.pay_sql(), rung_sql(), rule.threshold
    qs = ", ".join(str(q) for q in _Q)
    fam_where, fam_params = where_sql(Slice(role=slice_.role, version=slice_.version), version)
    family = {
        r[0]: [round(float(v), 2) for v in r[2]]
        for r in store.execute(
            f"SELECT {rung} AS rung, count(*) AS n, quantile_cont({pay}, [{qs}]) FROM records "
            f"WHERE {fam_where} GROUP BY 1 HAVING count(*) >= {MIN_RUNG}",
            fam_params,
        ).fetchall()
        if r[0] is not None
    }
    if not family:
        return {}
    where, params = where_sql(Slice(version=slice_.version), version)
    rows = store.execute(
        f"SELECT role_family, {rung} AS rung, country = ? AS here, {COUNT_SQL}, median({pay}) "
        f"FROM records WHERE {where} GROUP BY ALL HAVING count(*) >= {t}",
        [slice_.country, *params],
    ).fetchall()
    cells: dict[tuple[str, str], dict[bool, Cell]] = {}
    for fam, r, here, n, k, med in rows:
        if r is not None:
            cells.setdefault((fam, r), {})[bool(here)] = (int(n), int(k or 0), float(med))
    pairs = [(s[True], s[False]) for _, s in sorted(cells.items()) if True in s and False in s]
    country = _pooled_ratio(pairs, "", f"{slice_.country} vs other countries", rule)
    if country is None:
        return {}
    factor = country.ratio
    out = {}
    for name, figures in family.items():
        ratio = replace(country, anchor=name)
        note = (
            f"extrapolated (no anchor rung with {MIN_RUNG} records in {slice_.country}): the "
            f"family's {RUNG_LABELS[name]} figures across all countries x {factor:.3f}, the pay "
            f"ratio of {slice_.country} to other countries in {ratio.cells} family x rung cells"
        )
        scaled = [round(v * factor, 2) for v in figures]
        out[name] = _pay(name, None, "extrapolated", scaled, ratio=ratio, note=note)
    return out


def _with_note(r: RungPay, note: str) -> RungPay:
    return replace(r, note="; ".join(x for x in (r.note, note) if x))


def _pay(
    rung: str,
    records: int | None,
    method: str,
    qs: Sequence[float | None],
    *,
    coverage: float | None = None,
    ratio: RungRatio | None = None,
    note: str | None = None,
) -> RungPay:
    p10, p25, p50, p75, p90 = qs
    return RungPay(
        rung, RUNG_LEVEL[rung], records, method, p10, p25, p50, p75, p90,
        coverage=coverage, ratio=ratio, note=note,
    )  # fmt: skip


def _coverage(store: Store, where: str, params: list[Any], rule: Rule) -> dict[str, float]:
    """Per rung with >= MIN_RUNG records: the share of each half's records (split by record
    key) inside the other half's P10-P90, both halves pooled (nominal 0.80)."""
    pay, rung, key = rule.pay_sql(), rung_sql(), record_key_sql()
    rows = store.execute(
        f"WITH r AS (SELECT {rung} AS rung, {pay} AS v, {key} % 2 AS h FROM records "
        f"WHERE {where}), q AS (SELECT rung, h, count(*) AS n, quantile_cont(v, 0.1) AS lo, "
        "quantile_cont(v, 0.9) AS hi FROM r GROUP BY ALL) "
        "SELECT r.rung, avg(CASE WHEN r.v BETWEEN q.lo AND q.hi THEN 1.0 ELSE 0.0 END), "
        f"count(*), min(q.n) FROM r JOIN q ON r.rung = q.rung AND r.h <> q.h GROUP BY 1 "
        f"HAVING count(DISTINCT q.h) = 2 AND sum(1) >= {MIN_RUNG}",
        params,
    ).fetchall()
    return {
        r[0]: round(float(r[1]), 3) for r in rows if r[0] is not None and r[3] >= rule.threshold
    }


def _ratios(
    store: Store, slice_: Slice, version: int, rule: Rule, measured: set[str]
) -> dict[str, RungRatio]:
    """Rung-to-anchor pay ratios for the rungs not measured, within family cells (the
    country's first, all countries' when the country has too few records)."""
    wanted = [r for r in CAREER_RUNGS if r not in measured]
    if not wanted:
        return {}
    base = Slice(version=slice_.version)
    where, params = where_sql(base, version)
    pay, rung = rule.pay_sql(), rung_sql()
    rows = store.execute(
        f"SELECT role_family, country, {rung} AS rung, {COUNT_SQL}, median({pay}) AS med "
        f"FROM records WHERE {where} GROUP BY ALL HAVING count(*) >= {rule.threshold}",
        params,
    ).fetchall()
    cells: dict[tuple[str, str], dict[str, Cell]] = {}
    for fam, ctry, r, n, k, med in rows:
        if r is not None:
            cells.setdefault((fam, ctry), {})[r] = (int(n), int(k or 0), float(med))
    out: dict[str, RungRatio] = {}
    for name in wanted:
        anchor = ANCHOR[name]
        for scope in (slice_.country, None):
            got = _ratio(cells, name, anchor, scope, rule)
            if got is not None:
                out[name] = got
                break
    return out


def _ratio(
    cells: dict[tuple[str, str], dict[str, Cell]],
    name: str,
    anchor: str,
    scope: str | None,
    rule: Rule,
) -> RungRatio | None:
    pairs = [
        (by_rung[name], by_rung[anchor])
        for (_, ctry), by_rung in sorted(cells.items())
        if (scope is None or ctry == scope) and name in by_rung and anchor in by_rung
    ]
    return _pooled_ratio(pairs, anchor, scope if scope is not None else "all countries", rule)


def _pooled_ratio(
    pairs: Iterable[tuple[Cell, Cell]], anchor: str, scope: str, rule: Rule
) -> RungRatio | None:
    """The pay ratio of the first side of matched cells to the second: the geometric mean of
    the cells' median ratios weighted by ``n_a * n_b / (n_a + n_b)``, with the first side's
    records (published); None when that side holds fewer than :data:`MIN_RUNG` records."""
    logs, weights, n, k = [], [], 0, 0
    for (na, ka, ma), (nb, _, mb) in pairs:
        logs.append(math.log(ma / mb))
        weights.append(na * nb / (na + nb))
        n, k = n + na, k + ka
    if n < MIN_RUNG:
        return None
    mean = sum(w * x for w, x in zip(weights, logs, strict=True)) / sum(weights)
    return RungRatio(anchor, math.exp(mean), rule.count(n, k), len(logs), scope)


__all__ = [
    "ANCHOR",
    "CAREER_RUNGS",
    "MANAGER_FAMILIES",
    "MIN_RUNG",
    "RungPay",
    "RungRatio",
    "rung_pays",
    "rung_sql",
    "title_rung",
]
