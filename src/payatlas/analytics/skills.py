"""Skills in demand: the share of a slice's job postings asking for each skill, its change between
the halves of the period (with an interval), the skills that come with another ("with PyTorch"),
and each skill's advertised-pay premium (:mod:`~payatlas.analytics.skill_pay`).

Shares are of the postings that list skills (a posting without a skills list says nothing about
any skill). A skill asked for by fewer postings than the privacy threshold is left out (counted
in ``left_out``); so is a change whose halves are under it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from payatlas.analytics.posting_slice import (
    KIND,
    LABEL,
    PAY_LABEL,
    PostingSlice,
    PostingSource,
    require_postings,
    sources_of,
)
from payatlas.analytics.skill_pay import SkillPremium, skill_premiums
from payatlas.normalize.skills import canonical_skill, taxonomy
from payatlas.settings import Settings, get_settings
from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class SkillRow:
    """One skill in a slice of postings."""

    skill: str
    label: str
    category: str
    postings: int
    share: float
    change_pp: float | None  # share in the second half minus the first, percentage points
    change_low: float | None
    change_high: float | None
    lift: float | None  # with ``with_skill``: share here / share in the whole slice
    premium: SkillPremium | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (premium fields flattened; None when not estimated)."""
        p = self.premium
        return {
            "skill": self.skill,
            "label": self.label,
            "category": self.category,
            "postings": self.postings,
            "share": round(self.share, 4),
            "change_pp": _r(self.change_pp),
            "change_low": _r(self.change_low),
            "change_high": _r(self.change_high),
            "lift": _r(self.lift),
            "premium": round(p.premium, 4) if p else None,
            "premium_low": round(p.low, 4) if p else None,
            "premium_high": round(p.high, 4) if p else None,
            "p_value": p.as_dict()["p_value"] if p else None,
            "p_adjusted": p.as_dict()["p_adjusted"] if p else None,
            "support_with": p.support_with if p else None,
            "support_without": p.support_without if p else None,
        }


def _r(v: float | None, digits: int = 4) -> float | None:
    return None if v is None else round(v, digits)


@dataclass(slots=True)
class SkillsResult:
    """Skill shares, trends and premiums for a slice of job postings."""

    slice: PostingSlice
    with_skill: str | None
    postings: int  # postings in the slice
    postings_with_skills: int  # of which list skills (the shares' denominator)
    rows: list[SkillRow]
    sources: list[PostingSource]
    privacy_threshold: int
    min_support: int
    left_out: int = 0
    periods: tuple[str, str] | None = None
    kind: str = KIND
    label: str = LABEL
    pay_label: str = PAY_LABEL
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``--json`` and ``GET /v1/skills`` return)."""
        return {
            "kind": self.kind,
            "label": self.label,
            "pay_label": self.pay_label,
            "slice": self.slice.as_dict(),
            "with_skill": self.with_skill,
            "postings": self.postings,
            "postings_with_skills": self.postings_with_skills,
            "sources": [s.as_dict() for s in self.sources],
            "privacy_threshold": self.privacy_threshold,
            "min_support": self.min_support,
            "periods": list(self.periods) if self.periods else None,
            "left_out": self.left_out,
            "skills": [r.as_dict() for r in self.rows],
            "notes": self.notes,
        }

    def to_frame(self) -> Any:
        """The CSV rows as a pandas DataFrame (what ``--csv`` prints)."""
        import pandas as pd

        return pd.DataFrame(self.csv_rows())

    def csv_rows(self) -> list[dict[str, Any]]:
        """Flat rows for a CSV download."""
        return [r.as_dict() for r in self.rows]


def skills(
    store: Store,
    *,
    slice: PostingSlice | None = None,
    with_skill: str | None = None,
    top: int | None = None,
    min_support: int = 30,
    reps: int = 200,
    premiums: bool = True,
    settings: Settings | None = None,
) -> SkillsResult:
    """Skills asked for by the slice's postings, most asked first."""
    settings = settings or get_settings()
    slice = slice or PostingSlice()
    with_slug = canonical_skill(with_skill).slug if with_skill else None
    require_postings(store)
    threshold = settings.privacy_threshold
    where, params = slice.where()
    listed = "p.skill_count > 0"
    base = (
        "SELECT p.posting_id, p.posted_date, p.dataset_version, p.skill_set FROM postings p "
        f"WHERE {where} AND {listed}"
    )
    # postings are counted per skill set, then joined to the sets' rows (a few thousand), not
    # to every posting x skill row: the same counts
    by_set = "JOIN posting_skill_sets s USING (dataset_version, skill_set)"
    total, n_listed, lo, hi = store.execute(
        f"SELECT count(*), count(*) FILTER ({listed}), min(p.posted_date), max(p.posted_date) "
        f"FROM postings p WHERE {where}",
        params,
    ).fetchall()[0]
    result = SkillsResult(slice, with_slug, int(total), int(n_listed), [],
                          sources_of(store, slice), threshold, min_support)  # fmt: skip
    result.notes.append(
        "Shares are of the job postings that list skills; premiums are "
        f"{PAY_LABEL}, adjusted for family, seniority, location and remote."
    )
    if not n_listed:
        return result
    mid = lo + (hi - lo) / 2
    result.periods = (f"{lo}..{mid}", f"{mid + dt.timedelta(days=1)}..{hi}")
    scope = base
    overall: dict[str, float] = {}
    if with_slug:
        overall = {
            k: n / n_listed
            for k, n in store.execute(
                f"WITH b AS ({base}) SELECT s.skill, sum(c.n) FROM (SELECT dataset_version, "
                f"skill_set, count(*) AS n FROM b GROUP BY ALL) c {by_set} GROUP BY 1",
                params,
            ).fetchall()
        }
        scope = (
            f"{base} AND EXISTS (SELECT 1 FROM posting_skill_sets w WHERE "
            "w.dataset_version = p.dataset_version AND w.skill_set = p.skill_set "
            f"AND w.skill = '{with_slug}')"
        )
    n1, n2 = store.execute(
        f"WITH b AS ({scope}) SELECT count(*) FILTER (posted_date <= ?), "
        "count(*) FILTER (posted_date > ?) FROM b",
        [*params, mid, mid],
    ).fetchall()[0]
    counts = store.execute(
        f"WITH b AS ({scope}), c AS (SELECT dataset_version, skill_set, count(*) AS n, "
        "count(*) FILTER (posted_date <= ?) AS a, count(*) FILTER (posted_date > ?) AS z "
        f"FROM b GROUP BY ALL) SELECT s.skill, sum(c.n), sum(c.a), sum(c.z) FROM c {by_set} "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        [*params, mid, mid],
    ).fetchall()
    denominator = n1 + n2
    if denominator < threshold:
        result.notes.append(f"fewer than {threshold} job postings: nothing published")
        return result
    kept = [c for c in counts if c[1] >= threshold and c[0] != with_slug]
    result.left_out = sum(1 for c in counts if c[1] < threshold and c[0] != with_slug)
    if top is not None:
        kept = kept[:top]
    prem = (
        skill_premiums(store, slice=slice, min_support=min_support, reps=reps,
                       seed=settings.seed)
        if premiums and not with_slug else {}
    )  # fmt: skip
    rng = np.random.default_rng(settings.seed)
    tax = taxonomy()
    for skill, n, a, b in kept:
        change = low = high = None
        if a >= threshold and b >= threshold and n1 and n2:
            d1 = rng.binomial(n1, a / n1, size=2000) / n1
            d2 = rng.binomial(n2, b / n2, size=2000) / n2
            change = 100 * (b / n2 - a / n1)
            low, high = (float(v) for v in 100 * np.percentile(d2 - d1, [2.5, 97.5]))
        info = tax.get(skill)
        result.rows.append(
            SkillRow(
                skill=skill,
                label=info.label if info else skill,
                category=info.category if info else "other",
                postings=int(n),
                share=n / denominator,
                change_pp=change,
                change_low=low,
                change_high=high,
                lift=(n / denominator) / overall[skill] if with_slug and overall.get(skill)
                else None,
                premium=prem.get(skill),
            )
        )  # fmt: skip
    if with_slug:
        result.notes.append(
            f"Among the {denominator:,} job postings asking for {tax[with_slug].label}; lift = "
            "share here / share in the whole slice."
        )
    return result
