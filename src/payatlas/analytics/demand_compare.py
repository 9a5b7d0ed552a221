"""Reports vs data, demand side: published posting-growth and share figures beside what the
bundled job postings measure (#12 item 7).

Where the postings can speak to a published demand figure, a comparison is made on job postings
(never survey records), with a 90% interval and the postings count:

- **posting growth** (``ai_job_postings``, ``ai_ml_job_postings``: two published counts ->
  the published growth between them): US postings of the AI/ML role families and data
  scientists (:data:`AI_POSTING_FAMILIES`) in the last period of the data against the one the
  report's span earlier (or the first), quarters or months, as a percent change;
- **GenAI skill growth** (``genai_posting_growth``, "core IT roles"): the share of US postings
  asking for a generative-AI skill (taxonomy category ``genai``) in the second half-year against
  the first, as a ratio ("times");
- **seniority shares** (``share_of_openings``): the share of those AI postings whose title says
  entry (intern/junior), mid (no seniority word) or senior (senior/staff/principal/lead and
  head/director/vp/chief);
- **title shares** (``title_share_in_sample``): Machine Learning Engineer and Data Scientist
  postings per 1,000 of those AI postings.

Intervals: counts are resampled as Poisson (growth) or binomial (shares) draws, 2,000 times,
seeded by the settings' seed; the 5th and 95th percentiles. A count under the privacy threshold
withholds the figure. Every row carries the caveat that this is one year (2023) of one
collector's postings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from payatlas.analytics.indicators import Indicator, find
from payatlas.analytics.premium_specs import AI_ML_FAMILIES
from payatlas.analytics.privacy import Interval, suppressed_note
from payatlas.model.posting_evidence import LEVEL_WORDS
from payatlas.settings import Settings
from payatlas.store import Store

REPS = 2000
PURPOSE = 67  # seeds the resampling (with the settings seed)
SOURCE = "job postings"


def _caveat(credits: str) -> str:
    return (
        f"one year (2023) of one collector's job postings ({credits}), US-heavy: a sample of "
        "advertised openings, not a census, and not the reports' population or period"
    )


#: the postings the demand rows count as AI roles: the AI/ML role families and data scientists
AI_POSTING_FAMILIES = (*AI_ML_FAMILIES, "data_scientist")


def _families_sql() -> tuple[str, list[str]]:
    marks = ", ".join("?" for _ in AI_POSTING_FAMILIES)
    return f"role_family IN ({marks})", list(AI_POSTING_FAMILIES)


def _rng(settings: Settings) -> np.random.Generator:
    return np.random.default_rng([settings.seed, PURPOSE])


def _derived(a: Indicator, b: Indicator) -> Indicator:
    """The published growth from two published counts (a -> b), as percent."""
    change = (b.value_low / a.value_low - 1) * 100
    return Indicator(
        f"{a.indicator}_growth",
        a.segment,
        a.region,
        f"{a.period}..{b.period}",
        round(change, 1),
        round(change, 1),
        "percent (computed from the two published counts)",
        a.cited_source,
        a.published_in,
    )


def _growth(
    store: Store, grain: str, span: int, settings: Settings
) -> tuple[Interval, int | None, str]:
    """US AI/ML postings: the last ``grain`` ('quarter'/'month') of the data against the one
    ``span`` periods earlier (the first when ``span`` reaches past it)."""
    fam, params = _families_sql()
    rows = store.execute(
        f"SELECT date_trunc('{grain}', posted_date) AS p, count(*) FROM postings "
        f"WHERE country = 'US' AND {fam} GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()
    if len(rows) < 2:
        return Interval(None, note="too few periods of postings"), None, ""
    last = rows[-1]
    first = rows[max(0, len(rows) - 1 - span)]
    a, b = int(first[1]), int(last[1])
    period = f"{_label(first[0], grain)} vs {_label(last[0], grain)}"
    t = settings.privacy_threshold
    if a < t or b < t:
        return Interval(None, note=suppressed_note(t)), None, period
    rng = _rng(settings)
    ra, rb = rng.poisson(a, REPS), rng.poisson(b, REPS)
    draws = (rb / np.maximum(ra, 1) - 1) * 100
    lo, hi = np.percentile(draws, [5, 95])
    return Interval((b / a - 1) * 100, float(lo), float(hi)), a + b, period


def _label(day: Any, grain: str) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if grain == "quarter" else f"{day:%Y-%m}"


def _share(k: int, n: int, settings: Settings, scale: float = 100.0) -> Interval:
    draws = _rng(settings).binomial(n, k / n, REPS) / n * scale
    lo, hi = np.percentile(draws, [5, 95])
    return Interval(k / n * scale, float(lo), float(hi))


def _genai_ratio(store: Store, settings: Settings) -> tuple[Interval, int | None, str]:
    """Share of US postings asking for a GenAI skill, second half-year over the first."""
    rows = store.execute(
        "SELECT year(p.posted_date) * 10 + (month(p.posted_date) > 6)::INT + 1 AS h, count(*), "
        "count(*) FILTER (g.posting_id IS NOT NULL) FROM postings p LEFT JOIN "
        "(SELECT DISTINCT posting_id, dataset_version FROM posting_skills WHERE category = 'genai')"
        " g ON g.posting_id = p.posting_id AND g.dataset_version = p.dataset_version "
        "WHERE p.country = 'US' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    if len(rows) < 2:
        return Interval(None, note="too few periods of postings"), None, ""
    (h0, n0, k0), (h1, n1, k1) = rows[0], rows[-1]
    period = f"{h0 // 10}-H{h0 % 10} vs {h1 // 10}-H{h1 % 10}"
    t = settings.privacy_threshold
    if min(k0, k1) < t:
        return Interval(None, note=suppressed_note(t)), None, period
    rng = _rng(settings)
    s0 = rng.binomial(n0, k0 / n0, REPS) / n0
    s1 = rng.binomial(n1, k1 / n1, REPS) / n1
    lo, hi = np.percentile(s1 / np.maximum(s0, 1e-12), [5, 95])
    return Interval((k1 / n1) / (k0 / n0), float(lo), float(hi)), int(n0 + n1), period


def _level_counts(store: Store) -> tuple[dict[str, int], int]:
    fam, params = _families_sql()
    rows = store.execute(
        f"SELECT title_seniority, count(*) FROM postings WHERE {fam} GROUP BY 1", params
    ).fetchall()
    level = {w: lv for lv, words in LEVEL_WORDS.items() for w in words}
    out: dict[str, int] = {}
    for word, n in rows:
        lv = "mid" if word is None else level.get(word, "mid")
        lv = "senior" if lv == "executive" else lv
        out[lv] = out.get(lv, 0) + int(n)
    return out, sum(out.values())


def demand_comparisons(store: Store, settings: Settings, make: Callable[..., Any]) -> list[Any]:
    """The demand rows of the reports-vs-data view (empty without job postings), each built by
    ``make`` (:class:`payatlas.analytics.compare.Comparison`, passed in by its module)."""
    from payatlas.analytics.posting_slice import has_postings

    Comparison = make

    if not has_postings(store):
        return []
    credits = ", ".join(
        str(r[0])
        for r in store.execute(
            "SELECT DISTINCT coalesce(s.credit, p.source) FROM (SELECT DISTINCT dataset_version, "
            "source FROM postings) p LEFT JOIN dataset_sources s ON s.version = p.dataset_version"
        ).fetchall()
    )
    caveat = _caveat(credits)
    t = settings.privacy_threshold
    out: list[Any] = []
    for name, grain in (("ai_job_postings", "quarter"), ("ai_ml_job_postings", "month")):
        found = sorted(find(store, name, region="US"), key=lambda i: i.period)
        if len(found) < 2:
            continue
        first, last = found[0], found[-1]
        span = _span(first.period, last.period, grain)
        value, n, period = _growth(store, grain, span, settings)
        out.append(
            Comparison(
                _derived(first, last), value, "percent", n,
                f"change in US AI/ML and data-science job postings, {period} (the report's span is "
                f"{span} {grain}s; the data's at most its one year)",
                f"postings {period}", caveat, source=SOURCE,
            )
        )  # fmt: skip
    genai = (
        ", ".join(
            str(r[0])
            for r in store.execute(
                "SELECT skill FROM posting_skills WHERE category = 'genai' GROUP BY 1 ORDER BY "
                "count(*) DESC LIMIT 5"
            ).fetchall()
        )
        or "none found"
    )
    for ind in find(store, "genai_posting_growth", segment="core IT roles"):
        value, n, period = _genai_ratio(store, settings)
        out.append(
            Comparison(
                ind, value, "times", n,
                f"share of US postings asking for a generative-AI skill ({genai}), {period}: the "
                "second half-year's share over the first's",
                f"postings {period}",
                caveat + "; the reports span 2022-2025, the data one year", source=SOURCE,
            )
        )  # fmt: skip
    counts, total = _level_counts(store)
    for ind in find(store, "share_of_openings"):
        level = ind.segment.split("-")[0]
        k = counts.get(level, 0)
        if total < t or k < t:
            value, n = Interval(None, note=suppressed_note(t)), None
        else:
            value, n = _share(k, total, settings), total
        words = {"entry": "intern/junior", "mid": "no seniority word",
                 "senior": "senior/staff/principal/lead/head/director/vp/chief"}[level]  # fmt: skip
        out.append(
            Comparison(
                ind, value, "share percent", n,
                f"share of AI/ML and data-science postings whose title says {level} ({words})",
                "postings 2023", caveat + "; levels read from title words only", source=SOURCE,
            )
        )  # fmt: skip
    fam, params = _families_sql()
    titles = dict(
        store.execute(
            f"SELECT role_family, count(*) FROM postings WHERE {fam} GROUP BY 1", params
        ).fetchall()
    )
    n_ai = sum(int(v) for v in titles.values())
    for ind in find(store, "title_share_in_sample"):
        slug = {"Machine Learning Engineer": "ml_engineer", "Data Scientist": "data_scientist"}
        family = slug.get(ind.segment)
        if family is None:
            continue
        k = int(titles.get(family, 0))
        if n_ai < t or k < t:
            value, n = Interval(None, note=suppressed_note(t)), None
        else:
            value, n = _share(k, n_ai, settings, scale=1000.0), n_ai
        out.append(
            Comparison(
                ind, value, "per 1,000", n,
                f"{ind.segment} postings per 1,000 AI/ML and data-science postings",
                "postings 2023", caveat + "; the report's sample is AI job posts of 2024-2025",
                source=SOURCE,
            )
        )  # fmt: skip
    return out


def _span(a: str, b: str, grain: str) -> int:
    """Periods between two published periods ('2024-Q1', '2025-Q1' or '2025-01', '2025-04')."""
    if grain == "quarter":
        (ya, qa), (yb, qb) = (p.split("-Q") for p in (a, b))
        return (int(yb) - int(ya)) * 4 + int(qb) - int(qa)
    (ya, ma), (yb, mb) = (p.split("-") for p in (a, b))
    return (int(yb) - int(ya)) * 12 + int(mb) - int(ma)
