"""Benchmark percentiles equal a direct numpy computation on the same rows (bundled data): the
percentiles and mean of the rows' perturbed pay, and their count rounded by their cell key
(payatlas.disclosure, the rule every published figure follows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from payatlas.analytics import Slice, benchmark
from payatlas.analytics.filters import BY_FIELDS
from payatlas.disclosure import record_key_sql
from payatlas.errors import EmptyStore, InvalidInput
from payatlas.settings import Settings
from payatlas.store import Store

PCTS = [10, 25, 50, 75, 90]
RULE = Settings(privacy_threshold=5).disclosure


@pytest.fixture(scope="module")
def rows(bundled_db: object) -> pd.DataFrame:
    with Store(str(bundled_db), read_only=True) as s:
        return s.execute(
            "SELECT role_family, level, country, region, company_size, employment_type, "
            "remote_ratio, pay_year, annual_usd, is_duplicate, is_outlier, "
            f"{RULE.pay_sql()} AS pay, {record_key_sql()} AS rkey FROM records "
            # other professions' titles are left out of analytics by default (#10)
            "WHERE role_family <> 'out_of_scope'"
        ).df()


def _expected(values: np.ndarray) -> dict[str, float]:
    q = np.percentile(values, PCTS)  # numpy's default: linear interpolation
    return {
        **{f"p{p}": float(v) for p, v in zip(PCTS, q, strict=True)},
        "mean": float(values.mean()),
    }


def _assert_close(got: dict[str, object], rows: pd.DataFrame) -> None:
    assert got["n"] == RULE.count(len(rows), int(rows.rkey.sum()))
    for key, want in _expected(rows.pay.to_numpy()).items():
        assert got[key] == pytest.approx(want, abs=0.006), key
    if len(rows) >= 100:  # large cells stay close to the exact figures
        exact = _expected(rows.annual_usd.to_numpy())
        assert got["p50"] == pytest.approx(exact["p50"], rel=0.05)
        assert got["mean"] == pytest.approx(exact["mean"], rel=0.02)


@pytest.mark.parametrize("distinct", [False, True])
def test_two_field_groups_match_numpy(
    bundled_store: Store, rows: pd.DataFrame, home: Settings, distinct: bool
) -> None:
    result = benchmark(
        bundled_store,
        slice=Slice(role="ML Engineer", distinct=distinct),
        by=["country", "level"],
        settings=home,
    )
    df = rows[(rows.role_family == "ml_engineer") & ~rows.is_outlier]
    if distinct:
        df = df[~df.is_duplicate]
    checked = 0
    for g in result.groups:
        d = g.as_dict()
        sub = df[(df.country == d["country"]) & (df.level.fillna("unknown") == d["level"])]
        if d["suppressed"]:
            assert len(sub) < home.privacy_threshold
            continue
        _assert_close(d, sub)
        checked += 1
    assert checked >= 10
    assert sum(g.stats.n or 0 for g in result.groups) % 5 == 0
    _assert_close(result.overall.as_dict(), df)


def test_filters_year_range_remote_and_outliers(
    bundled_store: Store, rows: pd.DataFrame, home: Settings
) -> None:
    s = Slice(
        country="United States",
        year="2023-2024",
        remote="remote",
        level="SE",
        exclude_outliers=False,
    )
    result = benchmark(bundled_store, slice=s, by="company_size", settings=home)
    df = rows[
        (rows.country == "US")
        & rows.pay_year.between(2023, 2024)
        & (rows.remote_ratio > 80)
        & (rows.level == "senior")
    ]
    _assert_close(result.overall.as_dict(), df)
    for g in result.groups:
        if not g.stats.suppressed:
            sub = df[df.company_size.fillna("unknown") == g.keys["company_size"]]
            _assert_close(g.as_dict(), sub)
    assert result.basis.outliers == "included"
    assert result.basis.filters == {
        "level": "senior",
        "country": "US",
        "remote": "remote",
        "year": "2023-2024",
    }


@pytest.mark.parametrize("field", sorted(BY_FIELDS))
def test_every_by_field_counts_add_up(
    bundled_store: Store, rows: pd.DataFrame, home: Settings, field: str
) -> None:
    result = benchmark(bundled_store, by=[field], settings=home)
    published = sum(g.stats.n or 0 for g in result.groups)
    kept = rows[~rows.is_outlier]
    total = len(kept)
    assert result.basis.records == RULE.count(total, int(kept.rkey.sum()))
    # each published group is rounded by less than the threshold; suppressed ones hold < 5
    t = home.privacy_threshold
    shown = len(result.groups) - result.suppressed_groups
    assert abs(published - (total - t * result.suppressed_groups)) <= t * (
        shown + result.suppressed_groups
    )
    assert published % t == 0
    assert result.to_frame().shape[0] == len(result.groups)


def test_unknown_fields_are_named(bundled_store: Store, home: Settings) -> None:
    with pytest.raises(InvalidInput, match="salary") as exc:
        benchmark(bundled_store, by=["salary"], settings=home)
    assert exc.value.field == "by"
    with pytest.raises(InvalidInput) as exc2:
        Slice.from_dict({"role": "ML Engineer", "colour": "blue"})
    assert exc2.value.field == "colour"
    with pytest.raises(InvalidInput, match="at most 2"):
        benchmark(bundled_store, by=["country", "level", "year"], settings=home)
    with pytest.raises(InvalidInput):
        Slice(remote="sometimes")
    with pytest.raises(InvalidInput):
        Slice(year="last year")
    with pytest.raises(InvalidInput):
        Slice(region="Atlantis")
    with pytest.raises(InvalidInput, match="version"):
        benchmark(bundled_store, slice=Slice(version=99), settings=home)


def test_slice_normalises_like_the_profile() -> None:
    s = Slice(
        role="Senior NLP Engineer",
        country="Deutschland",
        region="Western Europe",
        remote=50,
        company_size="large",
        year=2024,
        level="MI",
    )
    assert (s.role, s.country, s.region, s.remote, s.company_size, s.years, s.level) == (
        "ml_engineer",
        "DE",
        "western_europe",
        "hybrid",
        "L",
        (2024, 2024),
        "mid",
    )
    assert Slice(distinct=True).row_policy == "distinct rows"


def test_empty_store_is_a_clear_error(store: Store, home: Settings) -> None:
    with pytest.raises(EmptyStore):
        benchmark(store, settings=home)
