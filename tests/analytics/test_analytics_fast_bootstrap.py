"""The fast bootstrap: medians read from the drawn indices equal ``np.median`` of the drawn values
bit for bit (same seed, same draws); cohort arrays from the one join query equal the cohorts
filtered one by one; the "reports vs data" median is cached under everything it depends on."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payatlas.analytics import compare_indicators
from payatlas.analytics.compare import _bootstrap_median, _median_where
from payatlas.analytics.filters import Slice, where_sql
from payatlas.analytics.premiums_cache import MEDIAN_CACHE, clear_premium_caches
from payatlas.analytics.stats import (
    _BATCH_VALUES,
    _HASH_MOD,
    _RECORD_ID,
    boot_medians,
    cohort_arrays,
    sorted_medians,
)
from payatlas.settings import Settings
from payatlas.store import Store


def reference_boot_medians(
    values: np.ndarray, *, n_full: int, median_full: float, seed: int, b: int
) -> np.ndarray:
    """The straightforward bootstrap: the same draws, ``np.median`` of the drawn values."""
    rng = np.random.default_rng(seed)
    m = len(values)
    out = np.empty(b)
    step = max(1, _BATCH_VALUES // m)
    for start in range(0, b, step):
        k = min(step, b - start)
        idx = rng.integers(0, m, size=(k, m))
        out[start : start + k] = np.median(values[idx], axis=1)
    if m < n_full:
        out = median_full + (out - float(np.median(values))) * math.sqrt(m / n_full)
    return out


def fast(values: np.ndarray, *, n_full: int, median_full: float, seed: int, b: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return boot_medians(values, n_full=n_full, median_full=median_full, rng=rng, b=b)


# sorted pay-like arrays with many ties: values drawn from a small pool, or any positive floats
pools = st.lists(st.floats(min_value=0.0, max_value=1e7, allow_nan=False), min_size=1, max_size=6)


@st.composite
def sorted_values(draw: st.DrawFn) -> np.ndarray:
    m = draw(st.integers(min_value=1, max_value=80))
    if draw(st.booleans()):
        pool = draw(pools)
        picked = draw(st.lists(st.sampled_from(pool), min_size=m, max_size=m))
    else:
        picked = draw(
            st.lists(
                st.floats(min_value=0.0, max_value=1e9, allow_nan=False), min_size=m, max_size=m
            )
        )
    return np.sort(np.asarray(picked, dtype=float))


@settings(max_examples=300, deadline=None)
@given(
    values=sorted_values(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    b=st.integers(min_value=1, max_value=60),
    extra=st.integers(min_value=0, max_value=500),
)
def test_fast_bootstrap_equals_np_median(values: np.ndarray, seed: int, b: int, extra: int) -> None:
    n_full = len(values) + extra  # extra > 0: a sample of a bigger cohort, rescaled
    median_full = float(np.median(values)) * 1.01
    got = fast(values, n_full=n_full, median_full=median_full, seed=seed, b=b)
    want = reference_boot_medians(values, n_full=n_full, median_full=median_full, seed=seed, b=b)
    assert got.tobytes() == want.tobytes()


@settings(max_examples=200, deadline=None)
@given(values=sorted_values(), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_sorted_medians_equal_np_median(values: np.ndarray, seed: int) -> None:
    idx = np.random.default_rng(seed).integers(0, len(values), size=(7, len(values)))
    assert sorted_medians(values, idx).tobytes() == np.median(values[idx], axis=1).tobytes()


@pytest.mark.parametrize("m", [1, 2, 3, 4, 999, 1000, 2005, 2060, 4001])
def test_fast_bootstrap_odd_even_and_several_batches(m: int) -> None:
    values = np.sort(np.round(np.random.default_rng(m).lognormal(11, 0.6, m), -3))  # ties
    b = 1000 if m < 4000 else 700  # m = 4001: batches of 499 rows, the last one shorter
    got = fast(values, n_full=m, median_full=0.0, seed=m, b=b)
    want = reference_boot_medians(values, n_full=m, median_full=0.0, seed=m, b=b)
    assert got.tobytes() == want.tobytes()
    assert m == 1 or np.unique(got).size > 1  # the replicates vary


def test_fast_bootstrap_with_wide_indices() -> None:
    """More values than int16 can index: the indices are narrowed to int32 instead."""
    m = 40_001
    values = np.sort(np.random.default_rng(3).normal(100_000, 20_000, m))
    got = fast(values, n_full=m, median_full=0.0, seed=9, b=3)
    want = reference_boot_medians(values, n_full=m, median_full=0.0, seed=9, b=3)
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize(
    "values",
    [
        np.array([5.0, 1.0, 3.0, 2.0, 8.0, 1.0]),  # not sorted
        np.array([1.0, 2.0, np.nan, 3.0]),  # NaN
        np.array([1.0, 2.0, 3.0, np.nan]),  # sorted with NaN last
    ],
)
def test_unsorted_or_nan_values_take_the_np_median_path(values: np.ndarray) -> None:
    got = fast(values, n_full=len(values), median_full=0.0, seed=1, b=50)
    want = reference_boot_medians(values, n_full=len(values), median_full=0.0, seed=1, b=50)
    np.testing.assert_array_equal(got, want)  # NaN where np.median gives NaN


def test_empty_cohort_gives_nan() -> None:
    out = fast(np.array([]), n_full=0, median_full=0.0, seed=1, b=4)
    assert out.shape == (4,) and np.isnan(out).all()


def one_cohort(
    store: Store, where: str, params: list[Any], keys: list[str], key: tuple[Any, ...], rate: float
) -> np.ndarray:
    """One cohort's sampled pays, filtered on its own (the definition the join must match)."""
    match = " AND ".join(f"({k}) = ?" for k in keys)
    rows = store.execute(
        f"SELECT annual_usd FROM records WHERE {where} AND {match} "
        f"AND (hash({_RECORD_ID} + ?) % {_HASH_MOD})::DOUBLE / {_HASH_MOD} < ?",
        [*params, *key, 42, rate],
    ).fetchall()
    return np.sort(np.asarray([r[0] for r in rows], dtype=float))


@pytest.mark.parametrize("cap", [100, 2000])
def test_cohort_arrays_equal_each_cohort_filtered_alone(bundled_store: Store, cap: int) -> None:
    where, params = where_sql(Slice(), 1)
    keys = ["role_family", "coalesce(level, 'unknown')"]
    rows = bundled_store.execute(
        f"SELECT {keys[0]}, {keys[1]}, count(*) FROM records WHERE {where} GROUP BY ALL "
        "ORDER BY 3 DESC LIMIT 40",
        params,
    ).fetchall()
    counts = {(r[0], r[1]): int(r[2]) for r in rows}
    counts[("no_such_family", "mid")] = 10  # a wanted cohort without records is left out
    got = cohort_arrays(
        bundled_store,
        where=where,
        params=params,
        keys=keys,
        counts=counts,
        seed=42,
        pay="annual_usd",  # the sampling is what is tested; published figures pass pay_sql()
        cap=cap,
    )
    assert ("no_such_family", "mid") not in got
    assert len(got) == len(rows)
    sampled = 0
    for key, n in counts.items():
        if key not in got:
            continue
        rate = min(1.0, cap / max(n, 1))
        want = one_cohort(bundled_store, where, params, keys, key, rate)
        assert got[key].tobytes() == want.tobytes()
        sampled += rate < 1.0
    assert sampled > 0  # some cohorts were bigger than the cap


def test_ai_median_is_cached_under_its_inputs(bundled_store: Store, home: Settings) -> None:
    clear_premium_caches()
    assert MEDIAN_CACHE.info().size == 0
    base, params = where_sql(Slice(country="US", year=2024, version=1), 1)
    where = f"{base} AND role_family = ?"
    params = [*params, "ml_engineer"]
    first = _median_where(bundled_store, where, params, 1, home)
    assert first == _bootstrap_median(bundled_store, where, params, home)
    assert first[0].value is not None and first[1] is not None
    misses = MEDIAN_CACHE.info().misses
    assert _median_where(bundled_store, where, params, 1, home) is first  # served from the cache
    assert MEDIAN_CACHE.info().misses == misses
    for other in (
        home.model_copy(update={"seed": 7}),
        home.model_copy(update={"privacy_threshold": 10**6}),
    ):
        got = _median_where(bundled_store, where, params, 1, other)
        assert got == _bootstrap_median(bundled_store, where, params, other)
        assert got != first
    assert MEDIAN_CACHE.info().misses == misses + 2
    narrower = _median_where(bundled_store, f"{base} AND role_family IN (?)", params, 1, home)
    assert MEDIAN_CACHE.info().misses == misses + 3  # another filter: another key
    assert narrower == first  # ... with the same figure (the same records)


def test_compare_indicators_repeat_uses_the_cache(bundled_store: Store, home: Settings) -> None:
    clear_premium_caches()
    first = compare_indicators(bundled_store, settings=home)
    misses = MEDIAN_CACHE.info().misses
    assert misses >= 1
    again = compare_indicators(bundled_store, settings=home)
    assert MEDIAN_CACHE.info().misses == misses
    assert again.as_dict() == first.as_dict()
