"""Bounded, seeded bootstraps of cohort medians.

Per-cohort pay arrays are fetched from DuckDB in one query. A cohort larger than ``cap`` is
fetched as a deterministic Bernoulli sample of about ``cap`` rows (a hash of the row id and
the seed), bootstrapped, and its replicate spread rescaled by sqrt(m / n) around the exact
median of the full cohort (the m-out-of-n bootstrap; the median's spread shrinks as 1/sqrt(n)).
The cost per cohort is therefore at most ``cap x B`` values, whatever the store size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from payatlas.disclosure import RECORD_ID_SQL as _RECORD_ID
from payatlas.store import Store

B = 1000  # bootstrap replicates
CAP = 2000  # largest cohort bootstrapped row by row
LEVEL = 0.90  # interval coverage
_BATCH_VALUES = 2_000_000  # values resampled per numpy batch (bounds memory)
_HASH_MOD = 1_000_003

Key = tuple[Any, ...]


def cohort_arrays(
    store: Store,
    *,
    where: str,
    params: list[Any],
    keys: Sequence[str],
    counts: Mapping[Key, int],
    seed: int,
    pay: str,
    cap: int = CAP,
    rel: str = "records",
) -> dict[Key, np.ndarray]:
    """Pay arrays (sorted) for the cohorts in ``counts``, each at most about ``cap`` long.

    ``pay`` is the SQL of the pay to fetch: published figures pass the perturbed pay of
    :meth:`payatlas.disclosure.Rule.pay_sql`. ``rel`` is the relation to read (default the
    survey's ``records``; :func:`payatlas.analytics.filters.relation` gives the others).

    ``keys`` are SQL expressions; ``counts`` maps a cohort's key values to its full size. The
    wanted cohorts and their keep-rates are joined in as a small table; one query returns
    (cohort id, pay) pairs, split in numpy. (The join evaluates each key expression once per
    row; matching a few cohorts with inline ``OR``/``CASE`` terms instead evaluated them once per
    cohort and was about 8x slower on the bundled data.)
    """
    if not counts:
        return {}
    cohorts = list(counts)
    wanted = pd.DataFrame(
        {
            **{f"k{i}": [c[i] for c in cohorts] for i in range(len(keys))},
            "cid": np.arange(len(cohorts), dtype="int64"),
            "rate": [min(1.0, cap / max(n, 1)) for n in counts.values()],
        }
    )
    select_keys = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    on = " AND ".join(f"r.k{i} = w.k{i}" for i in range(len(keys)))
    sql = (
        f"SELECT w.cid, r.v FROM (SELECT {select_keys}, {pay} AS v, {_RECORD_ID} AS rid "
        f"FROM {rel} WHERE {where}) r JOIN _pa_wanted w ON {on} "
        f"WHERE w.rate >= 1.0 OR (hash(r.rid + ?) % {_HASH_MOD})::DOUBLE / {_HASH_MOD} < w.rate"
    )
    cur = store.con.cursor()
    try:
        cur.register("_pa_wanted", wanted)
        got = cur.execute(sql, [*params, seed]).fetchnumpy()
    finally:
        cur.close()
    cid = np.asarray(got["cid"], dtype="int64")
    values = np.asarray(got["v"], dtype=float)
    order = np.lexsort((values, cid))  # by cohort, then by pay
    cid, values = cid[order], values[order]
    bounds = np.searchsorted(cid, np.arange(len(cohorts) + 1))
    return {
        cohorts[c]: values[bounds[c] : bounds[c + 1]]
        for c in range(len(cohorts))
        if bounds[c + 1] > bounds[c]
    }


def boot_medians(
    values: np.ndarray,
    *,
    n_full: int,
    median_full: float,
    rng: np.random.Generator,
    b: int = B,
) -> np.ndarray:
    """``b`` bootstrap replicates of the median of a cohort of ``n_full`` records.

    ``values`` is the cohort (or a uniform sample of it, then rescaled to ``n_full``). Sorted
    values (as :func:`cohort_arrays` returns them) take a fast path with the same random draws
    and the same results as ``np.median(values[idx], axis=1)`` (:func:`sorted_medians`).
    """
    m = len(values)
    if m == 0:
        return np.full(b, np.nan)
    out = np.empty(b)
    step = max(1, _BATCH_VALUES // m)
    fast = bool(np.all(values[:-1] <= values[1:]))  # sorted, and so no NaN
    for start in range(0, b, step):
        k = min(step, b - start)
        idx = rng.integers(0, m, size=(k, m))
        if fast:
            out[start : start + k] = sorted_medians(values, idx)
        else:
            out[start : start + k] = np.median(values[idx], axis=1)
    if m < n_full:
        out = median_full + (out - float(np.median(values))) * math.sqrt(m / n_full)
    return out


def sorted_medians(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``np.median(values[idx], axis=1)`` for ``values`` sorted ascending (no NaN), bit for bit.

    In a sorted array the median of the drawn values is the value at the median of the drawn
    *indices*, so only integers are selected: the indices are narrowed to int16 (int32 for
    big arrays) and one ``np.partition`` per row puts the upper middle index in place (the lower
    one, for an even count, is the largest index before it). The two middle values are then
    averaged exactly as ``np.median`` does (``np.mean`` over them). (Only a median of zeros could
    differ, in the sign of the zero: -0.0 and 0.0 sort as equal.)
    """
    m = idx.shape[1]
    lo, hi = (m - 1) // 2, m // 2
    narrow = idx.astype(np.int16 if m <= np.iinfo(np.int16).max else np.int32)
    part = np.partition(narrow, hi, axis=1)
    upper = values[part[:, hi]]
    if lo == hi:
        return np.mean(upper[:, None], axis=1)
    lower = values[part[:, :hi].max(axis=1)]
    return np.mean(np.stack([lower, upper], axis=1), axis=1)


def interval(replicates: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates."""
    tail = (1 - level) / 2 * 100
    lo, hi = np.nanpercentile(replicates, [tail, 100 - tail])
    return float(lo), float(hi)


def rng_for(seed: int, *parts: int) -> np.random.Generator:
    """A generator seeded from the settings seed and a purpose (stable across runs)."""
    return np.random.default_rng([seed, *parts])
