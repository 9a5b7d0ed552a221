"""Demand and skill shares on the fixed slice of real postings, checked against direct SQL."""

from __future__ import annotations

import pytest

from payatlas.analytics.demand import demand
from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skills import skills
from payatlas.errors import EmptyStore, InvalidInput
from payatlas.settings import Settings
from payatlas.store import Store

SETTINGS = Settings(privacy_threshold=5)


def test_postings_per_month_for_data_engineers(postings_store: Store) -> None:
    result = demand(postings_store, slice=PostingSlice.parse(family="Data Engineer"),
                    by=["month"], settings=SETTINGS)  # fmt: skip
    out = result.as_dict()
    assert out["kind"] == "job_posting" and out["label"] == "job postings"
    assert out["sources"][0]["credit"] == "data_jobs dataset by Luke Barousse"
    expected = dict(postings_store.execute(
        "SELECT strftime(posted_date, '%Y-%m'), count(*) FROM postings "
        "WHERE role_family = 'data_engineer' GROUP BY 1"
    ).fetchall())  # fmt: skip
    assert [r["month"] for r in out["rows"]] == sorted(expected)
    for row in out["rows"]:
        assert row["postings"] == expected[row["month"]] >= 5
    assert out["postings"] == sum(expected.values())
    g = result.growth
    assert g is not None and g.low <= g.change <= g.high
    assert g.change == pytest.approx(g.last / g.first - 1)


def test_employers_under_the_threshold_are_left_out(postings_store: Store) -> None:
    result = demand(postings_store, by=["employer"], settings=SETTINGS)
    counts = dict(postings_store.execute(
        "SELECT company, count(*) FROM postings WHERE company IS NOT NULL "
        "AND role_family <> 'out_of_scope' GROUP BY 1"
    ).fetchall())  # fmt: skip
    small = [c for c, n in counts.items() if n < 5]
    assert small and result.left_out_groups == len(small)
    listed = {r.key["employer"]: r.postings for r in result.rows}
    assert not set(small) & listed.keys()
    assert all(listed[c] == counts[c] for c in listed)
    assert result.rows[0].postings == max(counts.values())


def test_small_groups_are_withheld_not_listed(postings_store: Store) -> None:
    result = demand(postings_store, by=["country"], settings=SETTINGS)
    withheld = [r for r in result.rows if r.withheld]
    assert withheld and all(r.share is None and r.median_annual_usd is None for r in withheld)
    assert sum(r.postings or 0 for r in result.rows) < result.postings


def test_skill_shares_match_sql(postings_store: Store) -> None:
    result = skills(postings_store, slice=PostingSlice.parse(family="data_scientist",
                    country="US"), reps=50, settings=SETTINGS)  # fmt: skip
    n_listed, n_python = postings_store.execute(
        "SELECT count(DISTINCT p.posting_id), count(DISTINCT p.posting_id) FILTER "
        "(s.skill = 'python') FROM postings p JOIN posting_skills s USING (posting_id) "
        "WHERE p.role_family = 'data_scientist' AND p.country = 'US'"
    ).fetchall()[0]
    python = next(r for r in result.rows if r.skill == "python")
    assert result.postings_with_skills == n_listed
    assert python.postings == n_python and python.share == pytest.approx(n_python / n_listed)
    assert python.premium is not None and python.premium.low <= python.premium.premium
    assert all(r.postings >= 5 for r in result.rows)
    assert "not what people earn" in result.as_dict()["pay_label"]


def test_skills_that_go_with_pytorch(postings_store: Store) -> None:
    result = skills(postings_store, with_skill="PyTorch", settings=SETTINGS)
    assert result.with_skill == "pytorch"
    top = {r.skill: r for r in result.rows[:5]}
    assert "python" in top and "tensorflow" in top
    assert top["tensorflow"].lift is not None and top["tensorflow"].lift > 3
    assert all(r.skill != "pytorch" for r in result.rows)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: demand(s, by=["galaxy"]), "by must be one or two of"),
        (lambda s: demand(s, slice=PostingSlice.parse(seniority="wizard")), "unknown seniority"),
        (lambda s: skills(s, with_skill="cobolt"), "unknown skill"),
    ],
)
def test_bad_input_is_a_typed_error(postings_store: Store, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        call(postings_store)


def test_a_store_without_postings_says_so(bundled_store: Store) -> None:
    with pytest.raises(EmptyStore, match="no job postings"):
        demand(bundled_store)
