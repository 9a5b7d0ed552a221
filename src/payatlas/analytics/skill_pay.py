"""Skills that pay: a skill's premium on the advertised pay of job postings, adjusted for role
family, seniority, location and remote by a fixed-effects (within) log-pay regression.

Method (docs/analytics.md, "Skills that pay"). Each posting falls in one cell: family x seniority
x country x state x remote. For a skill ``s`` the premium is the within-cell slope of log
advertised annual pay on "the posting asks for s"::

    beta_s = sum_c (S_cs - m_cs * ybar_c) / sum_c m_cs * (1 - m_cs / n_c)

(``n_c`` postings and mean log pay ``ybar_c`` in cell c, ``m_cs`` of them asking for s with log-pay
sum ``S_cs``): the least-squares coefficient of a regression with one dummy per cell, so only
comparisons inside a cell count, and a cell where every or no posting asks for s adds nothing.
One skill at a time: the premium includes what the skills that come with it bring (PyTorch
postings also ask for Python); it is "postings asking for s advertise x% more than comparable
postings that do not". Reported as ``exp(beta) - 1``.

Why a within estimator over cells rather than matching: with binary treatment and exact cells it
*is* exact matching on those cells, weighted by each cell's variance of the skill dummy, and its
sufficient statistics are sums, so it runs on millions of postings in one pass.

Intervals: a Poisson bootstrap over postings (each posting drawn Poisson(1) times, i.e.
resampling postings), 2.5-97.5 percentiles; p-values from the bootstrap standard error (normal),
Benjamini-Hochberg adjusted across the skills tested. A skill is tested only with at least
``min_support`` postings with it and without it inside cells where it varies. Above ``max_rows``
postings the bootstrap runs on a seeded random
subsample of ``max_rows`` postings, its spread scaled by sqrt(m/n) (m-out-of-n bootstrap); the
point estimates and supports come from SQL sums over the cells, so they read every posting.

Data access (#12): postings are grouped by (cell, skill set) in one pass over the slice, and the
sums per (skill, cell) come from joining those groups to the version's few thousand skill-set
rows (``posting_skill_sets``), never the posting x skill rows; the bootstrap sample's skill rows
are its postings' sets, expanded in numpy. The sums, and so every figure, are the same.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from payatlas.analytics.posting_slice import PostingSlice
from payatlas.store import Store

CELL_SQL = (
    "hash(p.role_family, coalesce(p.title_seniority, ''), p.country, coalesce(p.state, ''), "
    "p.is_remote)"
)


@dataclass(frozen=True, slots=True)
class SkillPremium:
    """The adjusted advertised-pay premium of postings asking for one skill."""

    skill: str
    premium: float  # exp(beta) - 1: 0.08 = +8%
    low: float
    high: float
    p_value: float
    p_adjusted: float
    support_with: int
    support_without: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = asdict(self)
        for k in ("premium", "low", "high"):
            out[k] = round(out[k], 4)
        out["p_value"] = float(f"{self.p_value:.4g}")
        out["p_adjusted"] = float(f"{self.p_adjusted:.4g}")
        return out


@dataclass(frozen=True, slots=True)
class _Sample:
    cell: np.ndarray  # cell index per posting
    y: np.ndarray  # log advertised annual pay per posting
    row_post: np.ndarray  # posting index per skill row
    row_skill: np.ndarray  # skill index per skill row
    skills: list[str]


#: the postings a premium reads: advertised pay, not implausible, listing skills (a posting
#: without flags, most of them, skips the list test)
_SAMPLE = (
    "p.annual_usd > 0 AND (len(p.flags) = 0 OR NOT list_contains(p.flags, 'pay_implausible')) "
    "AND p.skill_count > 0"
)


def _base(slice: PostingSlice) -> tuple[str, list[Any]]:
    """SQL selecting the sample (posting_id, cell, y, version, skill set) and its parameters."""
    where, params = slice.where()
    return (
        f"SELECT p.posting_id, {CELL_SQL} AS cell, ln(p.annual_usd) AS y, p.dataset_version, "
        f"p.skill_set FROM postings p WHERE {where} AND {_SAMPLE}"
    ), params


def _set_key(version: Any, skill_set: Any) -> np.ndarray:
    return np.asarray(version, dtype=np.int64) * (1 << 32) + np.asarray(skill_set, np.int64)


def _load(
    store: Store,
    slice: PostingSlice,
    limit: int | None,
    seed: int,
    names: list[str],
    total: int = 0,
) -> _Sample:
    """The sample's postings and skill rows as arrays (a seeded random ``limit`` of them: those
    with the smallest ``hash(posting_id, seed)`` of the slice's ``total`` postings).

    Vectorised end to end: the sampled postings come back as arrays once, in posting order;
    their skill rows are their skill sets' rows (read once per set, each skill already coded as
    its index in ``names`` by DuckDB), expanded per posting in numpy."""
    base, params = _base(slice)
    wheres, top = [""], ""
    if limit is not None:
        key = f"hash(posting_id, {int(seed)})"
        # the smallest keys are among those under a cut that keeps about twice the sample: one
        # comparison per posting instead of a heap over the slice; the exact top ``limit`` of
        # them is then the same sample (a short draw, never expected, reads the whole slice)
        cut = min(2**64 - 1, int(2**64 * min(1.0, 2.0 * limit / max(total, 1))))
        wheres, top = [f"WHERE {key} < {cut}::UBIGINT ", ""], f"ORDER BY {key} LIMIT {int(limit)}"
    posts: dict[str, Any] = {}
    for where in wheres:
        sql = f"SELECT * FROM ({base}) {where}{top}"
        posts = store.execute(f"SELECT * FROM ({sql}) ORDER BY posting_id", params).fetchnumpy()
        if limit is None or len(posts["posting_id"]) >= min(limit, total):
            break
    version = np.asarray(posts["dataset_version"], dtype=np.int64)
    sets = np.asarray(posts["skill_set"], dtype=np.int64)
    used = np.unique(_set_key(version, sets))
    con = store.con.cursor()  # its own cursor: the registrations stay local to it
    try:
        con.register("_pa_sample_sets", pa.table({"k": pa.array(used)}))
        codes = pa.table({"skill": pa.array(names, pa.string()), "code": np.arange(len(names))})
        con.register("_pa_skill_names", codes)
        rows = con.execute(
            "SELECT s.dataset_version, s.skill_set, n.code FROM posting_skill_sets s "
            "SEMI JOIN _pa_sample_sets u ON u.k = s.dataset_version::BIGINT * 4294967296 "
            "+ s.skill_set JOIN _pa_skill_names n ON n.skill = s.skill"
        ).fetchnumpy()
    finally:
        con.close()
    row_key = _set_key(rows["dataset_version"], rows["skill_set"])
    order = np.argsort(row_key, kind="stable")
    row_key, row_code = row_key[order], np.asarray(rows["code"], dtype=np.int64)[order]
    post_key = _set_key(version, sets)
    start = np.searchsorted(row_key, post_key, side="left")
    count = np.searchsorted(row_key, post_key, side="right") - start
    row_post = np.repeat(np.arange(len(post_key), dtype=np.int64), count)
    offsets = np.repeat(start - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    row_skill = row_code[np.arange(len(row_post), dtype=np.int64) + offsets]
    _, cell = np.unique(np.asarray(posts["cell"]), return_inverse=True)
    return _Sample(np.asarray(cell, dtype=np.int64), np.asarray(posts["y"], dtype=float), row_post,
                   row_skill, list(names))  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Full:
    """The point estimates and supports on every posting of the sample, from SQL sums."""

    postings: int
    beta: dict[str, float]
    with_: dict[str, int]
    without: dict[str, int]


def _full(store: Store, slice: PostingSlice) -> _Full:
    base, params = _base(slice)
    # one pass over the slice: postings grouped by (cell, skill set); the cells' sizes and sums
    # and the per (skill, cell) sums both come from those groups (materialised once: DuckDB
    # would otherwise group twice); the skill comes back coded (its rank among the slice's
    # skills), so the arrays below are integers
    pairs = store.execute(
        f"WITH b AS ({base}), c AS MATERIALIZED (SELECT dataset_version, skill_set, cell, "
        "count(*) AS n, sum(y) AS sy FROM b GROUP BY ALL), "
        "t AS (SELECT cell, sum(n) AS n_c, sum(sy) AS sy_c FROM c GROUP BY cell), "
        "g AS (SELECT k.skill, c.cell, sum(c.n) AS m, sum(c.sy) AS sy FROM c "
        "JOIN posting_skill_sets k USING (dataset_version, skill_set) GROUP BY ALL) "
        "SELECT dense_rank() OVER (ORDER BY g.skill) - 1 AS k, g.skill, g.m, g.sy, t.n_c, "
        "t.sy_c, (SELECT sum(n_c) FROM t) AS total FROM g JOIN t USING (cell)",
        params,
    ).fetchnumpy()
    if len(pairs["k"]) == 0:
        return _Full(0, {}, {}, {})
    n_p = np.asarray(pairs["n_c"], dtype=float)
    ybar = np.asarray(pairs["sy_c"], dtype=float) / np.maximum(n_p, 1)
    m, sy = np.asarray(pairs["m"], dtype=float), np.asarray(pairs["sy"], dtype=float)
    skill = np.asarray(pairs["k"], dtype=np.int64)
    codes, first = np.unique(skill, return_index=True)
    names = np.asarray(pairs["skill"], dtype=object)[first]
    k = len(codes)
    num = np.bincount(skill, weights=sy - m * ybar, minlength=k)
    den = np.bincount(skill, weights=m * (1 - m / n_p), minlength=k)
    varies = (m > 0) & (m < n_p)
    with_ = np.bincount(skill, weights=np.where(varies, m, 0), minlength=k)
    without = np.bincount(skill, weights=np.where(varies, n_p - m, 0), minlength=k)
    beta = np.divide(num, den, out=np.full(k, np.nan), where=den > 1e-9)
    labels = [str(x) for x in names]
    return _Full(int(np.asarray(pairs["total"])[0]),
                 dict(zip(labels, beta.tolist(), strict=True)),
                 dict(zip(labels, with_.astype(int).tolist(), strict=True)),
                 dict(zip(labels, without.astype(int).tolist(), strict=True)))  # fmt: skip


class _Within:
    """The per-skill within-cell estimator on one sample, reusable under bootstrap weights."""

    def __init__(self, s: _Sample) -> None:
        self.s = s
        self.n_cells = int(s.cell.max()) + 1 if len(s.cell) else 0
        self.n_skills = len(s.skills)
        key = s.row_skill * max(self.n_cells, 1) + s.cell[s.row_post]
        pairs, self.pair_of_row = np.unique(key, return_inverse=True)
        self.pair_skill = pairs // max(self.n_cells, 1)
        self.pair_cell = pairs % max(self.n_cells, 1)

    def beta(self, w: np.ndarray) -> np.ndarray:
        s, cells, k = self.s, self.n_cells, self.n_skills
        n_c = np.bincount(s.cell, weights=w, minlength=cells)
        ybar = np.divide(np.bincount(s.cell, weights=w * s.y, minlength=cells), n_c,
                         out=np.zeros(cells), where=n_c > 0)  # fmt: skip
        wr = w[s.row_post]
        npairs = len(self.pair_skill)
        m = np.bincount(self.pair_of_row, weights=wr, minlength=npairs)
        big_s = np.bincount(self.pair_of_row, weights=wr * s.y[s.row_post], minlength=npairs)
        n_p = n_c[self.pair_cell]
        frac = np.divide(m, n_p, out=np.zeros(npairs), where=n_p > 0)
        num = np.bincount(self.pair_skill, weights=big_s - m * ybar[self.pair_cell], minlength=k)
        den = np.bincount(self.pair_skill, weights=m * (1 - frac), minlength=k)
        return np.divide(num, den, out=np.full(k, np.nan), where=den > 1e-9)


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (monotone, capped at 1)."""
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def skill_premiums(
    store: Store,
    *,
    slice: PostingSlice,
    min_support: int = 30,
    reps: int = 200,
    seed: int = 42,
    max_rows: int = 20_000,
) -> dict[str, SkillPremium]:
    """Adjusted advertised-pay premium of every skill with enough support in the slice."""
    full = _full(store, slice)
    tested = sorted(
        name for name, b in full.beta.items()
        if not math.isnan(b) and full.with_[name] >= min_support
        and full.without[name] >= min_support
    )  # fmt: skip
    if not tested:
        return {}
    limit = max_rows if full.postings > max_rows else None
    sample = _load(store, slice, limit, seed, sorted(full.beta), full.postings)
    scale = math.sqrt(len(sample.y) / full.postings) if limit is not None else 1.0
    est = _Within(sample)
    index = {name: i for i, name in enumerate(sample.skills)}
    usable = [t for t in tested if t in index]
    cols = np.array([index[t] for t in usable], dtype=np.int64)
    centre = est.beta(np.ones(len(sample.y)))[cols]
    point = np.array([full.beta[t] for t in usable])
    rng = np.random.default_rng(seed)
    draws = np.empty((reps, len(usable)))
    for b in range(reps):
        draws[b] = est.beta(rng.poisson(1.0, len(sample.y)).astype(float))[cols]
    draws = point + scale * (draws - centre)
    se = np.nanstd(draws, axis=0, ddof=1)
    lo, hi = np.nanpercentile(draws, [2.5, 97.5], axis=0)
    z = np.divide(np.abs(point), se, out=np.zeros(len(usable)), where=se > 0)
    p = np.array([math.erfc(v / math.sqrt(2)) for v in z])
    adjusted = bh_adjust(p)
    return {
        name: SkillPremium(
            skill=name,
            premium=math.expm1(point[j]),
            low=math.expm1(lo[j]),
            high=math.expm1(hi[j]),
            p_value=float(p[j]),
            p_adjusted=float(adjusted[j]),
            support_with=full.with_[name],
            support_without=full.without[name],
        )
        for j, name in enumerate(usable)
        if not (math.isnan(lo[j]) or math.isnan(hi[j]))
    }
