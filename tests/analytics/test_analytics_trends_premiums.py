"""Trends and premiums carry 90% intervals; thin slices say "too few records"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from payatlas.analytics import Slice, premiums, trend
from payatlas.analytics.premium_specs import SOFTWARE_ANALYST_FAMILIES
from payatlas.disclosure import record_key_sql
from payatlas.errors import InvalidInput
from payatlas.settings import Settings
from payatlas.store import Store


def test_trend_medians_intervals_and_yoy(bundled_store: Store, home: Settings) -> None:
    result = trend(bundled_store, slice=Slice(role="Data Scientist", country="US"), settings=home)
    rule = home.disclosure
    df = bundled_store.execute(
        f"SELECT pay_year, {rule.pay_sql()} AS pay, {record_key_sql()} AS rkey, annual_usd "
        "FROM records WHERE role_family = 'data_scientist' AND country = 'US' AND NOT is_outlier"
    ).df()
    years = {y.year: y for y in result.years}
    assert set(years) == set(df.pay_year.unique())
    with_figures = [y for y in result.years if y.median.value is not None]
    assert len(with_figures) >= 3
    for y in with_figures:
        year = df[df.pay_year == y.year]
        values = year.pay.to_numpy()  # the perturbed pay every published figure uses
        assert y.n == rule.count(len(values), int(year.rkey.sum()))
        assert y.median.value == pytest.approx(float(np.median(values)))
        exact = float(np.median(year.annual_usd))
        assert y.median.value == pytest.approx(exact, rel=0.05 if len(values) >= 100 else 0.15)
        assert y.median.low is not None and y.median.high is not None
        assert y.median.low <= y.median.value <= y.median.high
        assert y.median.low < y.median.high
    last, prev = with_figures[-1], with_figures[-2]
    assert last.yoy is not None and last.yoy.value is not None
    assert last.yoy.value == pytest.approx((last.median.value / prev.median.value - 1) * 100)
    assert last.yoy.low is not None and last.yoy.high is not None
    assert last.yoy.low <= last.yoy.value <= last.yoy.high
    d = result.as_dict()
    assert "not job postings" in d["submissions_label"]
    published = [s for s in d["submissions"] if not s["suppressed"]]
    assert all(s["n"] >= home.privacy_threshold and s["n"] % 5 == 0 for s in published)


def test_trend_is_deterministic_with_the_seed(bundled_store: Store, home: Settings) -> None:
    a = trend(bundled_store, slice=Slice(role="ML Engineer"), settings=home).as_dict()
    b = trend(bundled_store, slice=Slice(role="ML Engineer"), settings=home).as_dict()
    assert a == b
    other = trend(
        bundled_store, slice=Slice(role="ML Engineer"), settings=home.model_copy(update={"seed": 7})
    ).as_dict()
    assert [y.get("p50") for y in other["years"]] == [y.get("p50") for y in a["years"]]
    assert [y.get("p50_low") for y in other["years"]] != [y.get("p50_low") for y in a["years"]]


def test_thin_trend_says_too_few_records(bundled_store: Store, home: Settings) -> None:
    result = trend(bundled_store, slice=Slice(role="ML Engineer", country="DE"), settings=home)
    notes = {y.as_dict().get("note") for y in result.years}
    assert "too few records" in notes or "suppressed (n < 5)" in notes
    for y in result.years:
        d = y.as_dict()
        if d.get("note"):
            assert "p50" not in d and "p50_low" not in d


def test_premiums_have_intervals(bundled_store: Store, home: Settings) -> None:
    result = premiums(bundled_store, settings=home, model=False)
    by_key = {p.key: p for p in result.premiums}
    assert set(by_key) >= {
        "ai_ml",
        "remote",
        "size_L_vs_M",
        "size_S_vs_M",
        "level_entry_vs_mid",
        "level_senior_vs_mid",
        "level_executive_vs_mid",
    }
    for key in ("ai_ml", "remote", "level_senior_vs_mid", "level_entry_vs_mid"):
        v = by_key[key].cohort.premium
        assert v.value is not None and v.low is not None and v.high is not None
        assert v.low <= v.value <= v.high
    assert by_key["level_senior_vs_mid"].cohort.premium.value > 0  # type: ignore[operator]
    assert by_key["level_entry_vs_mid"].cohort.premium.value < 0  # type: ignore[operator]
    assert by_key["ai_ml"].cohort.premium.value > 0  # type: ignore[operator]


def test_ai_premium_equals_a_direct_matched_computation(
    bundled_store: Store, home: Settings
) -> None:
    result = premiums(
        bundled_store, slice=Slice(year=2024), which=["ai_ml"], settings=home, model=False
    )
    df = bundled_store.execute(
        f"SELECT r.level, r.country, r.role_family, {home.disclosure.pay_sql()} AS annual_usd "
        "FROM records r WHERE NOT is_outlier AND pay_year = 2024"
    ).df()
    from payatlas.analytics.premium_specs import AI_ML_FAMILIES

    df["side"] = np.where(
        df.role_family.isin(AI_ML_FAMILIES),
        "a",
        np.where(df.role_family.isin(SOFTWARE_ANALYST_FAMILIES), "b", None),
    )
    df = df[df.side.notna()]
    df["level"] = df.level.fillna("unknown")
    g = df.groupby(["level", "country", "side"]).annual_usd.agg(["count", "median"]).unstack()
    g = g.dropna()
    g = g[(g[("count", "a")] >= 5) & (g[("count", "b")] >= 5)]
    na, nb = g[("count", "a")], g[("count", "b")]
    w = na * nb / (na + nb)
    logr = np.log(g[("median", "a")] / g[("median", "b")])
    want = (np.exp((w * logr).sum() / w.sum()) - 1) * 100
    view = result.get("ai_ml").cohort
    assert view.premium.value == pytest.approx(want)
    assert view.n_a is not None and view.n_b is not None and view.cells == len(g)
    assert view.n_a % 5 == 0 and view.n_b % 5 == 0  # published rounded (payatlas.disclosure)
    assert abs(view.n_a - int(na.sum())) < 5 and abs(view.n_b - int(nb.sum())) < 5


def test_thin_premiums_say_too_few_records(bundled_store: Store, home: Settings) -> None:
    result = premiums(bundled_store, slice=Slice(country="NZ"), settings=home)
    assert all(p.cohort.premium.value is None for p in result.premiums)
    assert {p.cohort.premium.note for p in result.premiums} == {"too few records"}
    for row in result.rows():
        assert row["cohort_premium_pct"] is None
    assert isinstance(result.to_frame(), pd.DataFrame)


def test_unknown_premium_is_named(bundled_store: Store, home: Settings) -> None:
    with pytest.raises(InvalidInput, match="bonus"):
        premiums(bundled_store, which=["bonus"], settings=home)
