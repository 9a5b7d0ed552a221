"""Complementary suppression: the published total minus the published groups never reveals a
cohort under the privacy threshold (its count, or its pay through the means)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payatlas.analytics import BY_FIELDS, Slice, benchmark, trend
from payatlas.analytics.privacy import suppression_pattern
from payatlas.settings import Settings
from payatlas.store import Store


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=60), max_size=12),
    unlisted=st.integers(min_value=0, max_value=8),
    threshold=st.integers(min_value=2, max_value=12),
)
def test_pattern_leaves_no_small_remainder(sizes: list[int], unlisted: int, threshold: int) -> None:
    hide = suppression_pattern(sizes, sum(sizes) + unlisted, threshold=threshold)
    assert len(hide) == len(sizes)
    assert all(h for n, h in zip(sizes, hide, strict=True) if n < threshold)  # primary
    rest = unlisted + sum(n for n, h in zip(sizes, hide, strict=True) if h)
    published_left = any(not h for h in hide)
    # the remainder is nothing or a cohort at the threshold -- unless nothing is left to hide
    assert rest == 0 or rest >= threshold or not published_left
    # minimal: un-hiding the last (largest) complementary group leaves a small remainder again
    extra = [n for n, h in zip(sizes, hide, strict=True) if h and n >= threshold]
    if extra:
        assert 0 < rest - max(extra) < threshold


def test_pattern_examples() -> None:
    assert suppression_pattern([40, 3], 43, threshold=5) == [True, True]  # 43 - 40 = 3
    assert suppression_pattern([40, 3, 2], 45, threshold=5) == [False, True, True]  # 5 hidden
    assert suppression_pattern([40, 30, 4], 74, threshold=5) == [False, True, True]
    assert suppression_pattern([40, 30], 70, threshold=5) == [False, False]
    assert suppression_pattern([40], 42, threshold=5) == [True]  # 2 rows cut by a limit


def _remainder(data: dict) -> tuple[int, float] | None:
    """What subtraction reveals: (rows, mean pay) of everything not published, or None."""
    o = data["overall"]
    if o.get("suppressed"):
        return None
    pub = [g for g in data["groups"] if not g["suppressed"]]
    n = o["n"] - sum(g["n"] for g in pub)
    if n == 0:
        return None
    return n, (o["n"] * o["mean"] - sum(g["n"] * g["mean"] for g in pub)) / n


@pytest.mark.parametrize("field", sorted(BY_FIELDS))
def test_crafted_small_cohort_cannot_be_subtracted_out(
    small_store: Store, small_env: Settings, field: str
) -> None:
    t = small_env.privacy_threshold
    for sl in (Slice(exclude_outliers=False), Slice(level="executive", exclude_outliers=False)):
        data = benchmark(small_store, slice=sl, by=[field], settings=small_env).as_dict()
        found = _remainder(data)
        assert found is None or found[0] >= t, (field, found)


def test_bundled_slices_leave_no_small_remainder(bundled_store: Store, home: Settings) -> None:
    t = home.privacy_threshold
    slices = [Slice(), Slice(level="executive"), Slice(role="Prompt Engineer"), Slice(year=2021)]
    checked = 0
    for sl in slices:
        for by in (["country"], ["country", "level"], ["role_family"], ["region", "remote"]):
            result = benchmark(bundled_store, slice=sl, by=by, settings=home)
            found = _remainder(result.as_dict())
            assert found is None or found[0] >= t, (sl, by, found)
            checked += result.suppressed_groups > 0
        years = trend(bundled_store, slice=sl, settings=home).as_dict()
        if years["basis"]["records"] is not None:
            shown = sum(y["n"] for y in years["years"] if not y["suppressed"])
            rest = years["basis"]["records"] - shown
            assert rest == 0 or rest >= t, (sl, rest)
    assert checked >= 8  # the slices do have small groups to protect
    print(json.dumps({"checked": checked}))
