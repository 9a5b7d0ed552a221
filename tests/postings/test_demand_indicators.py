"""Published vs data, demand rows (#12 item 7): posting growth, GenAI skill growth, seniority and
title shares measured on job postings, checked against the stored postings computed with pandas,
each with the one-year-one-collector caveat."""

from __future__ import annotations

import pandas as pd
import pytest

from payatlas.analytics.compare import Comparison
from payatlas.analytics.demand_compare import AI_POSTING_FAMILIES, demand_comparisons
from payatlas.settings import Settings
from payatlas.store import Store


def _frame(store: Store) -> pd.DataFrame:
    return store.execute(
        "SELECT posting_id, dataset_version, role_family, title_seniority, country, posted_date "
        "FROM postings"
    ).fetchdf()


def test_demand_rows_match_the_postings(postings_store: Store, home: Settings) -> None:
    rows = {(c.reported.indicator, c.reported.segment): c
            for c in demand_comparisons(postings_store, home, Comparison)}  # fmt: skip
    frame = _frame(postings_store)
    ai = frame[frame.role_family.isin(AI_POSTING_FAMILIES)]
    for c in rows.values():
        assert c.source == "job postings" and "one year (2023)" in c.caveat
        assert "Barousse" in c.caveat and "PayAtlas data" in c.text
        m = c.measured
        if m.value is not None:
            assert m.low is not None and m.high is not None and m.low <= m.value <= m.high
            assert c.n is not None and c.n >= home.privacy_threshold
    # posting growth: US AI postings, last quarter vs the first (the report spans 4 quarters)
    growth = rows[("ai_job_postings_growth", "AI-related roles")]
    assert growth.reported.value_low == pytest.approx((35445 / 28300 - 1) * 100, abs=0.05)
    us = ai[ai.country == "US"]
    quarters = us.groupby(pd.to_datetime(us.posted_date).dt.quarter).size()
    assert growth.measured.value == pytest.approx((quarters.iloc[-1] / quarters.iloc[0] - 1) * 100)
    assert growth.n == quarters.iloc[0] + quarters.iloc[-1]
    # seniority shares add up to 100% of the AI postings
    shares = [rows[("share_of_openings", f"{lv}-level")] for lv in ("entry", "mid", "senior")]
    assert sum(s.measured.value or 0 for s in shares) == pytest.approx(100)
    mid = shares[1]
    assert mid.measured.value == pytest.approx(ai.title_seniority.isna().mean() * 100)
    assert mid.n == len(ai)
    mle = rows[("title_share_in_sample", "Machine Learning Engineer")]
    assert mle.unit == "per 1,000"
    if mle.measured.value is not None:
        assert mle.measured.value == pytest.approx((ai.role_family == "ml_engineer").mean() * 1000)
    genai = rows[("genai_posting_growth", "core IT roles")]
    assert genai.unit == "times" and "H1 vs" in genai.data_period


def test_a_higher_threshold_withholds_thin_rows(postings_store: Store, home: Settings) -> None:
    strict = home.model_copy(update={"privacy_threshold": 10_000})
    for c in demand_comparisons(postings_store, strict, Comparison):
        assert c.measured.value is None and c.n is None and "suppressed" in str(c.measured.note)


def test_no_postings_no_demand_rows(store: Store, home: Settings) -> None:
    assert demand_comparisons(store, home, Comparison) == []
