"""Premiums on a fixed mix (#11): each side matched on the same years and countries, a warning
when a group is missing in some years, and model-view intervals from resampling records (never
a point-thin [+0.5%, +0.5%])."""

from __future__ import annotations

import numpy as np
import pytest

from payatlas.analytics import Slice, premiums
from payatlas.analytics.premium_specs import AI_ML_FAMILIES, SOFTWARE_ANALYST_FAMILIES
from payatlas.settings import Settings
from payatlas.store import Store


def test_ai_premium_is_matched_on_year_too(bundled_store: Store, home: Settings) -> None:
    """All years pooled: the cells are level x country x year, so a software engineer of 2024
    is never compared with an ML engineer of 2022 (the old level x country cells did)."""
    result = premiums(bundled_store, which=["ai_ml"], settings=home, model=False)
    p = result.get("ai_ml")
    assert p.matched_on == ("level", "country", "year")
    df = bundled_store.execute(
        f"SELECT coalesce(level, 'unknown') AS level, country, pay_year, role_family, "
        f"{home.disclosure.pay_sql()} AS pay FROM records WHERE NOT is_outlier"
    ).df()
    df["side"] = np.where(
        df.role_family.isin(AI_ML_FAMILIES),
        "a",
        np.where(df.role_family.isin(SOFTWARE_ANALYST_FAMILIES), "b", None),
    )
    df = df[df.side.notna()]

    def pooled(keys: list[str]) -> float:
        g = df.groupby([*keys, "side"]).pay.agg(["count", "median"]).unstack().dropna()
        g = g[(g[("count", "a")] >= 5) & (g[("count", "b")] >= 5)]
        na, nb = g[("count", "a")], g[("count", "b")]
        w = na * nb / (na + nb)
        logr = np.log(g[("median", "a")] / g[("median", "b")])
        return float((np.exp((w * logr).sum() / w.sum()) - 1) * 100)

    assert p.cohort.premium.value == pytest.approx(pooled(["level", "country", "pay_year"]))
    assert p.cohort.premium.value != pytest.approx(pooled(["level", "country"]), abs=0.05)


def test_a_group_missing_in_some_years_is_warned(bundled_store: Store, home: Settings) -> None:
    """Software engineers are in the bundled data in 2024 only: the 2023 premium and the pooled
    one say that the comparison group differs across years; 2024's does not."""
    for year in (2023, None):
        got = premiums(
            bundled_store, slice=Slice(year=year), which=["ai_ml"], settings=home, model=False
        ).get("ai_ml")
        text = " ".join(got.warnings)
        assert "Software Engineer missing in" in text and "2023" in text, got.warnings
        assert "present in 2024" in text
        assert got.as_dict()["warnings"] == list(got.warnings)
    latest = premiums(
        bundled_store, slice=Slice(year=2024), which=["ai_ml"], settings=home, model=False
    ).get("ai_ml")
    assert not any("Software Engineer" in w for w in latest.warnings)
    remote = premiums(bundled_store, which=["remote"], settings=home, model=False).get("remote")
    assert remote.warnings == ()  # sides of one kind: a missing year simply has no cells


def test_model_intervals_come_from_records(bundled_store: Store, champion_env: Settings) -> None:
    """The model's contrast can be the same for every profile; the interval then used to
    collapse to the point (e.g. [+24.44%, +24.56%]). Resampling the records of each side, it
    is at least as wide as the records leave it."""
    result = premiums(bundled_store, settings=champion_env)
    for p in result.premiums:
        m, c = p.model.premium, p.cohort.premium
        if m.value is None or m.low is None or m.high is None:
            continue
        assert m.low < m.value < m.high, p.key
        assert m.high - m.low >= 0.5, (p.key, m)  # no [+0.5%, +0.5%]
        if c.value is not None and c.low is not None and c.high is not None:
            # the same records on both views: the model's interval is not several times
            # narrower than the matched cohorts' own
            assert (m.high - m.low) >= 0.25 * (c.high - c.low), (p.key, m, c)


def test_remote_figures_say_what_differs(bundled_store: Store, champion_env: Settings) -> None:
    """Market's remote premium (a slice average) and an estimate's remote reason (one profile
    against the reference profile) are different figures; each is labelled with what it is."""
    from payatlas.model import estimate

    remote = premiums(bundled_store, which=["remote"], settings=champion_env).get("remote")
    assert remote.note is not None and "average over the slice" in remote.note
    assert "reasons" in remote.note and remote.as_dict()["note"] == remote.note
    est = estimate(
        {"role": "Data Scientist", "country": "US", "remote": 100}, settings=champion_env
    )
    labels = [r.label for r in est.reasons if r.field == "remote"]
    assert labels == ["remote 100% vs on site (this profile)"]
