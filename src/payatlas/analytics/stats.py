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

from payatlas.store import Store

B = 1000  # bootstrap replicates
CAP = 2000  # largest cohort bootstrapped row by row
LEVEL = 0.90  # interval coverage
_BATCH_VALUES = 2_000_000  # values resampled per numpy batch (bounds memory)
_HASH_MOD = 1_000_003

Key = tuple[Any, ...]


def _case_rates(keys: Sequence[str], rates: Mapping[Key, float]) -> tuple[str, list[Any]]:
    """SQL ``CASE`` giving each sampled cohort its keep-rate (others keep every row)."""
    if not rates:
        return "1.0", []
    parts: list[str] = []
    params: list[Any] = []
    for key, rate in rates.items():
        cond = " AND ".join(f"({k}) = ?" for k in keys)
        parts.append(f"WHEN {cond} THEN {float(rate)!r}::DOUBLE")
        params.extend(key)
    return "CASE " + " ".join(parts) + " ELSE 1.0 END", params


def cohort_arrays(
    store: Store,
    *,
    where: str,
    params: list[Any],
    keys: Sequence[str],
    counts: Mapping[Key, int],
    seed: int,
    cap: int = CAP,
) -> dict[Key, np.ndarray]:
    """Pay arrays (annual USD) for the cohorts in ``counts``, each at most about ``cap`` long.

    ``keys`` are SQL expressions; ``counts`` maps a cohort's key values to its full size.
    """
    if not counts:
        return {}
    rates = {k: cap / n for k, n in counts.items() if n > cap}
    case_sql, case_params = _case_rates(keys, rates)
    wanted = " OR ".join("(" + " AND ".join(f"({k}) = ?" for k in keys) + ")" for _ in counts)
    wanted_params = [v for key in counts for v in key]
    select_keys = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    sql = (
        f"SELECT {select_keys}, annual_usd AS v FROM records WHERE {where} AND ({wanted}) "
        f"AND (hash(rowid + ?) % {_HASH_MOD})::DOUBLE / {_HASH_MOD} < ({case_sql})::DOUBLE"
    )
    df = store.execute(sql, [*params, *wanted_params, seed, *case_params]).df()
    names = [f"k{i}" for i in range(len(keys))]
    out: dict[Key, np.ndarray] = {}
    for key, group in df.groupby(names, sort=False):
        tup = key if isinstance(key, tuple) else (key,)
        out[tuple(_plain(v) for v in tup)] = np.sort(group["v"].to_numpy(dtype=float))
    return out


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def boot_medians(
    values: np.ndarray,
    *,
    n_full: int,
    median_full: float,
    rng: np.random.Generator,
    b: int = B,
) -> np.ndarray:
    """``b`` bootstrap replicates of the median of a cohort of ``n_full`` records.

    ``values`` is the cohort (or a uniform sample of it, then rescaled to ``n_full``).
    """
    m = len(values)
    if m == 0:
        return np.full(b, np.nan)
    out = np.empty(b)
    step = max(1, _BATCH_VALUES // m)
    for start in range(0, b, step):
        k = min(step, b - start)
        idx = rng.integers(0, m, size=(k, m))
        out[start : start + k] = np.median(values[idx], axis=1)
    if m < n_full:
        out = median_full + (out - float(np.median(values))) * math.sqrt(m / n_full)
    return out


def interval(replicates: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates."""
    tail = (1 - level) / 2 * 100
    lo, hi = np.nanpercentile(replicates, [tail, 100 - tail])
    return float(lo), float(hi)


def rng_for(seed: int, *parts: int) -> np.random.Generator:
    """A generator seeded from the settings seed and a purpose (stable across runs)."""
    return np.random.default_rng([seed, *parts])
