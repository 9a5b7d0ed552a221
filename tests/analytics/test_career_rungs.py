"""Career rungs: title words and years -> rung, and the SQL rule agrees with the Python one on
every stored record of the bundled data."""

from __future__ import annotations

import pytest

from payatlas.analytics.career import MANAGER_FAMILIES, rung_sql, title_rung
from payatlas.errors import InvalidInput
from payatlas.normalize.seniority import (
    CAREER_RUNGS,
    RUNG_LEVEL,
    SENIORITY_LEVEL,
    career_rung,
)
from payatlas.store import Store


@pytest.mark.parametrize(
    ("title", "level", "years", "rung"),
    [
        ("Junior Data Scientist", None, None, "junior"),
        ("Data Scientist", None, 1, "junior"),
        ("Data Scientist", None, 3, "mid"),
        ("Data Scientist", None, 20, "senior"),  # years never give staff or above
        ("Senior ML Engineer", None, None, "senior"),
        ("Senior ML Engineer", "MI", None, "mid"),  # the level field wins over "senior"
        ("Staff MLOps Engineer", "MI", None, "staff_principal"),  # above-senior words win
        ("Principal Research Scientist", "SE", None, "staff_principal"),
        ("Lead Data Scientist", "SE", None, "lead_manager"),
        ("Data Science Manager", "SE", None, "lead_manager"),
        ("Engineering Manager", "EX", None, "director_head"),
        ("Head of Data", "SE", None, "director_head"),
        ("Director of Machine Learning", None, None, "director_head"),
        ("ML Engineer", "EX", None, "director_head"),
        ("ML Engineer", None, None, None),
    ],
)
def test_title_rung(title: str, level: str | None, years: float | None, rung: str | None) -> None:
    assert title_rung(title, level=level, years=years) == rung


def test_rungs_map_to_the_four_levels_and_levels_are_unchanged() -> None:
    assert set(RUNG_LEVEL) == set(CAREER_RUNGS)
    assert set(RUNG_LEVEL.values()) == {"entry", "mid", "senior", "executive"}
    # the model's levels stay as they were: staff/lead/principal are still "senior"
    assert {SENIORITY_LEVEL[w] for w in ("staff", "principal", "lead")} == {"senior"}


def test_unknown_words_are_typed_errors() -> None:
    with pytest.raises(InvalidInput):
        career_rung(seniority="wizard", level=None)
    with pytest.raises(InvalidInput):
        career_rung(seniority=None, level="guru")


def test_sql_rule_matches_python_on_bundled_records(bundled_store: Store) -> None:
    rows = bundled_store.execute(
        f"SELECT title_seniority, level, role_family, {rung_sql()} AS rung, count(*) "
        "FROM records GROUP BY ALL"
    ).fetchall()
    counts: dict[str, int] = {}
    for seniority, level, family, rung, n in rows:
        expected = career_rung(seniority=seniority, level=level, manager=family in MANAGER_FAMILIES)
        assert rung == expected, (seniority, level, family)
        counts[rung] = counts.get(rung, 0) + n
    assert set(counts) == set(CAREER_RUNGS)  # every rung occurs in the bundled data
    assert counts["senior"] > counts["staff_principal"]
