"""The job postings beside an estimate (#12 item 5): the cell's advertised range and count,
checked against the stored postings computed another way (pandas/numpy), the privacy threshold on
the count, metro cells through the place crosswalks and the fallback to the country."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from payatlas.model.posting_evidence import LABEL, LEVEL_WORDS, posting_evidence
from payatlas.normalize.places import resolve_place
from payatlas.store import Store

T = 5


def _postings(store: Store) -> pd.DataFrame:
    frame = store.execute(
        "SELECT role_family, title_seniority, country, state, city, annual_usd, posted_date "
        "FROM postings"
    ).fetchdf()
    level = {w: lv for lv, words in LEVEL_WORDS.items() for w in words}
    frame["level"] = (
        frame["title_seniority"].map(level).where(frame["title_seniority"].notna(), "mid")
    )
    return frame


def _expect(cell: pd.DataFrame) -> list[float]:
    return [float(round(v)) for v in np.quantile(cell["annual_usd"], [0.1, 0.25, 0.5, 0.75, 0.9])]


def test_country_cell_matches_the_postings(postings_store: Store) -> None:
    frame = _postings(postings_store)
    cell = frame[(frame.role_family == "data_scientist") & (frame.level == "senior")
                 & (frame.country == "US")]  # fmt: skip
    ev = posting_evidence(postings_store, family="data_scientist", level="senior", country="US",
                          threshold=T)  # fmt: skip
    assert ev is not None and ev.scope == "country" and ev.area == "US"
    assert ev.n == len(cell) >= 100
    got = [ev.p10, ev.p25, ev.p50, ev.p75, ev.p90]
    assert got == pytest.approx(_expect(cell), abs=1)
    assert ev.posted_from == str(cell.posted_date.min().date())
    assert ev.label == LABEL == "job postings (advertised pay)"
    assert "not what people earn" in ev.basis and ev.in_model is False
    assert ev.sources and "Barousse" in ev.sources[0]
    # mid = titles without a seniority word
    mid = frame[(frame.role_family == "data_scientist") & frame.title_seniority.isna()
                & (frame.country == "US")]  # fmt: skip
    ev_mid = posting_evidence(postings_store, family="data_scientist", level="mid", country="US",
                              threshold=T)  # fmt: skip
    assert ev_mid is not None and ev_mid.n == len(mid)


def test_metro_cell_and_fallback(postings_store: Store) -> None:
    frame = _postings(postings_store)
    us = frame[(frame.country == "US") & frame.city.notna() & frame.state.notna()].copy()
    us["cbsa"] = [resolve_place(f"{c}, {s}").cbsa for c, s in zip(us.city, us.state, strict=True)]
    cell = us[(us.cbsa == "12420") & (us.role_family == "data_analyst") & (us.level == "mid")]
    assert len(cell) >= T
    ev = posting_evidence(postings_store, family="data_analyst", level="mid", country="US",
                          metro="12420", threshold=T)  # fmt: skip
    assert ev is not None and ev.scope == "metro" and ev.area == "12420"
    assert ev.area_name.startswith("Austin") and ev.n == len(cell)
    assert ev.p50 == pytest.approx(_expect(cell)[2], abs=1)
    # a metro without matching postings: the country's figures, saying so
    thin = posting_evidence(postings_store, family="data_analyst", level="executive",
                            country="US", metro="10180", threshold=T)  # fmt: skip
    assert thin is not None and thin.scope == "country"
    assert thin.note and "Abilene" in thin.note and "country-level" in thin.note


def test_the_privacy_threshold_applies_to_the_count(postings_store: Store) -> None:
    frame = _postings(postings_store)
    sizes = frame.groupby(["role_family", "level", "country"]).size()
    small = sizes[(sizes >= 1) & (sizes < T)]
    assert len(small) >= 3
    for (family, level, country), n in list(small.items())[:5]:
        ev = posting_evidence(postings_store, family=family, level=level, country=country,
                              threshold=T)  # fmt: skip
        assert ev is not None and ev.n is None and f"fewer than {T}" in str(ev.n_note)
        assert ev.p10 is ev.p50 is ev.p90 is None, (family, level, country, n)
    none = posting_evidence(postings_store, family="data_scientist", level="senior",
                            country="NZ", threshold=T)  # fmt: skip
    assert none is not None and none.n == 0 and none.p50 is None
    # a bigger threshold withholds a cell the smaller one shows
    big = sizes[sizes >= T].sort_values().index[0]
    shown = posting_evidence(postings_store, family=big[0], level=big[1], country=big[2],
                             threshold=T)  # fmt: skip
    hidden = posting_evidence(postings_store, family=big[0], level=big[1], country=big[2],
                              threshold=int(sizes[big]) + 1)  # fmt: skip
    assert shown is not None and shown.n == sizes[big]
    assert hidden is not None and hidden.n is None and hidden.p50 is None


def test_a_store_without_postings_has_no_evidence(store: Store) -> None:
    assert (
        posting_evidence(store, family="data_scientist", level="senior", country="US",
                         threshold=T) is None
    )  # fmt: skip
