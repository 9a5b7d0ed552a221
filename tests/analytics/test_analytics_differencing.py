"""Differencing attacks: no pair of published slices -- and no slice minus its published parts --
gives the exact count and (within 5%) the mean pay of a cohort of 1 to threshold - 1 records.

The attack runs over every nested pair of the published cells of role x country, role x level x
country, country x year, role x year, role x country x year, role x region (region vs country)
and their margins, on the bundled store; the same attack on the exact figures recovers hundreds
of small cohorts, so the harness has teeth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import combinations

import duckdb
import pytest
from payatlas_attack import Cell, attack, exact_cells, published_cells

from payatlas.analytics import Slice, benchmark, trend
from payatlas.disclosure import MASK, NOISE_HIGH, NOISE_LOW, Rule, record_key_sql
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def cells(bundled_db) -> Iterator[tuple[dict[Cell, tuple[int, float]], dict[Cell, tuple]]]:
    settings = Settings(privacy_threshold=5)
    with Store(bundled_db, read_only=True) as store:
        yield published_cells(store, settings), exact_cells(store)


@pytest.mark.slow
def test_no_pair_of_published_slices_pins_a_small_cohort(cells) -> None:
    published, exact = cells
    got = attack(published, exact, threshold=5)
    as_exact = {c: (exact[c][0], exact[c][1] / exact[c][0]) for c in published}
    on_exact = attack(as_exact, exact, threshold=5)
    print(json.dumps({"published": got.summary(), "exact figures": on_exact.summary()}))
    assert got.candidates >= 500  # many nested pairs do differ by 1-4 records
    assert on_exact.hits >= 300  # the attack works on exact figures ...
    assert got.hits == 0, got.examples  # ... and finds nothing in the published ones
    # an attacker who somehow knew the exact counts still gets no single person's pay within
    # 5%: every published pay figure is computed from pay moved by at least NOISE_LOW
    assert got.strong_single_hits == 0, got.examples


def test_every_published_count_is_a_multiple_of_the_threshold(cells) -> None:
    published, _ = cells
    assert published and all(n % 5 == 0 for n, _ in published.values())


def test_the_same_records_get_the_same_count_whatever_the_query(
    bundled_store: Store, home: Settings
) -> None:
    """Consistency (no averaging attack): a cohort reached by several queries is published the
    same way each time."""
    t = home.privacy_threshold
    a = benchmark(bundled_store, slice=Slice(role="ML Engineer", country="AU"), settings=home)
    b = benchmark(bundled_store, slice=Slice(role="ML Engineer"), by=["country"], settings=home)
    c = benchmark(bundled_store, slice=Slice(country="AU"), by=["role_family"], settings=home)
    d = benchmark(
        bundled_store,
        slice=Slice(role="ML Engineer", country="AU", year="2020-2024"),
        settings=home,
    )
    au = next(g for g in b.groups if g.keys["country"] == "AU").stats
    ml = next(g for g in c.groups if g.keys["role_family"] == "ml_engineer").stats
    assert a.overall.n == au.n == ml.n == d.overall.n and a.overall.n % t == 0
    assert a.overall.mean == au.mean == ml.mean == d.overall.mean
    assert a.basis.records == a.overall.n


def test_the_issue_example_no_longer_reveals_the_american_samoa_engineer(
    bundled_store: Store, home: Settings
) -> None:
    ml_oceania = Slice(role="ML Engineer", region="oceania")
    oceania = benchmark(bundled_store, slice=ml_oceania, settings=home)
    au = benchmark(bundled_store, slice=Slice(role="ML Engineer", country="AU"), settings=home)
    n_diff = (oceania.overall.n or 0) - (au.overall.n or 0)
    assert n_diff % 5 == 0  # 0 or 5, never the 1 person
    row = bundled_store.execute(
        "SELECT annual_usd FROM records WHERE role_family = 'ml_engineer' AND country = 'AS' "
        "AND NOT is_outlier"
    ).fetchall()
    assert [r[0] for r in row] == [60000.0]
    if n_diff:
        assert oceania.overall.mean is not None and au.overall.mean is not None
        sums = oceania.overall.n * oceania.overall.mean - au.overall.n * au.overall.mean
        assert abs(sums / n_diff - 60000) > 3000


def test_record_keys_and_pay_noise_are_fixed_and_bounded(bundled_store: Store) -> None:
    # pinned: a DuckDB whose hash() differed would re-draw every published figure (an attacker
    # holding answers from before and after would get two draws), so it must fail here first
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE records AS SELECT 1::INTEGER AS dataset_version, i::BIGINT AS source_row, "
        "100000.0 AS annual_usd FROM range(4) t(i)"
    )
    rule = Rule.of(threshold=5, salt="test-salt")
    pinned = con.execute(f"SELECT {record_key_sql()}, {rule.pay_sql()} FROM records").fetchall()
    assert [k for k, _ in pinned] == [589150423, 60907751, 760285519, 460408044]
    assert [round(p, 2) for _, p in pinned] == [88040.57, 111303.89, 86391.23, 86275.10]
    rows = bundled_store.execute(
        f"SELECT {record_key_sql()} AS k, {rule.pay_sql('1.0')} AS f FROM records"
    ).df()
    moved = (rows.f - 1).abs()
    assert moved.min() >= NOISE_LOW - 1e-12 and moved.max() <= NOISE_HIGH + 1e-12
    assert 0.48 < (rows.f > 1).mean() < 0.52 and abs(rows.f.mean() - 1) < 0.005
    assert rows.k.min() >= 0 and rows.k.max() <= MASK and rows.k.nunique() > 0.99 * len(rows)
    again = bundled_store.execute(f"SELECT {rule.pay_sql('1.0')} FROM records").df()
    assert again.iloc[:, 0].tolist() == rows.f.tolist()  # fixed per record
    other = Rule.of(threshold=5, salt="another salt")
    assert rule.salt != other.salt and rule.pay_sql() != other.pay_sql()


def test_rounding_is_unbiased_and_stays_within_the_base() -> None:
    rule = Rule.of(threshold=5, salt="s")
    assert [rule.count(n, 0) for n in range(5)] == [0, None, None, None, None]
    for n in (5, 6, 9, 17, 243, 1001):
        got = [rule.count(n, k * 7919) for k in range(4000)]
        assert all(g is not None and g % 5 == 0 and abs(g - n) < 5 and g >= 5 for g in got)
        assert abs(sum(g for g in got if g is not None) / len(got) - n) < 0.15
    # sums of published counts are multiples of the base: no combination gives 1..4
    pubs = [rule.count(n, n * 31) for n in range(5, 200)]
    assert all((a - b) % 5 == 0 for a, b in combinations([p for p in pubs if p], 2))


def test_trend_and_submission_counts_follow_the_rule(bundled_store: Store, home: Settings) -> None:
    got = trend(bundled_store, slice=Slice(role="Prompt Engineer"), settings=home).as_dict()
    shown = [y["n"] for y in got["years"] if not y["suppressed"]]
    subs = [s["n"] for s in got["submissions"] if not s["suppressed"]]
    assert shown and subs and all(n % 5 == 0 for n in shown + subs)
    assert got["basis"]["records"] % 5 == 0


@pytest.mark.parametrize("field", ["role_family", "level", "country", "year", "company_size"])
def test_crafted_small_cohort_cannot_be_subtracted_out(
    small_store: Store, small_env: Settings, small_pays: tuple[int, ...], field: str
) -> None:
    """The crafted store's cohort of 4 (unique in every field): the overall row minus the
    published groups gives neither its size nor its mean pay."""
    target = sum(small_pays) / len(small_pays)
    for sl in (Slice(exclude_outliers=False), Slice(level="executive", exclude_outliers=False)):
        data = benchmark(small_store, slice=sl, by=[field], settings=small_env).as_dict()
        o = data["overall"]
        if o["suppressed"]:
            continue
        pub = [g for g in data["groups"] if not g["suppressed"]]
        n = o["n"] - sum(g["n"] for g in pub)
        assert n % 5 == 0 and n != len(small_pays)
        if n:
            mean = (o["n"] * o["mean"] - sum(g["n"] * g["mean"] for g in pub)) / n
            assert abs(mean - target) > 0.05 * target, (field, n, mean)
