"""Role-family taxonomy, seniority words and experience levels (payatlas.normalize.titles)."""

from __future__ import annotations

import contextlib
import csv
import gzip
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payatlas.bundled import aijobs_path
from payatlas.errors import InvalidInput, UnknownRole
from payatlas.normalize.titles import (
    FAMILY_BY_SLUG,
    LEVEL_CODES,
    LEVELS,
    ROLE_FAMILIES,
    TitleInfo,
    classify_title,
    normalize_level,
    resolve_role,
    title_level_to_level,
    years_to_level,
)

GROUPS = {"ai_ml", "data", "software", "management", "other", "out_of_scope"}
SENIORITIES = {
    None, "intern", "junior", "senior", "staff", "principal", "lead", "head", "director", "vp",
    "chief",
}  # fmt: skip


@pytest.fixture(scope="module")
def bundled_titles() -> Counter[str]:
    """Rows per distinct ``job_title`` in the bundled aijobs.net snapshot."""
    with gzip.open(aijobs_path(), "rt", encoding="utf-8", newline="") as fh:
        return Counter(row["job_title"] for row in csv.DictReader(fh))


def test_families_are_well_formed() -> None:
    slugs = [f.slug for f in ROLE_FAMILIES]
    assert len(slugs) == len(set(slugs))
    assert set(FAMILY_BY_SLUG) == {*slugs, "out_of_scope"}
    assert FAMILY_BY_SLUG["out_of_scope"].group == "out_of_scope"
    assert FAMILY_BY_SLUG["other"].label == "Other"
    assert {f.group for f in ROLE_FAMILIES} == GROUPS - {"out_of_scope"}
    assert len({f.label.lower() for f in ROLE_FAMILIES}) == len(ROLE_FAMILIES)
    for slug in (
        "ml_engineer", "data_scientist", "data_engineer", "data_analyst", "research_scientist",
        "applied_scientist", "ai_engineer", "mlops_engineer", "prompt_engineer",
        "ai_product_manager", "analytics_engineer", "business_intelligence", "data_architect",
        "software_engineer",
    ):  # fmt: skip
        assert slug in FAMILY_BY_SLUG, slug
    assert FAMILY_BY_SLUG["ml_engineer"].group == "ai_ml"
    assert FAMILY_BY_SLUG["software_engineer"].group == "software"
    assert FAMILY_BY_SLUG["data_analyst"].group == "data"
    assert all(f.group == "management" for f in ROLE_FAMILIES if f.slug.endswith("_manager")
               and f.slug not in ("ai_product_manager", "product_manager"))  # fmt: skip


def test_bundled_rows_other_share_below_two_percent(bundled_titles: Counter[str]) -> None:
    total = sum(bundled_titles.values())
    assert total == 51_081
    infos = {t: classify_title(t) for t in bundled_titles}
    # no family and no nearest family either: the titles nothing in PayAtlas can place
    lost = sum(n for t, n in bundled_titles.items() if infos[t].family == "other"
               and infos[t].nearest is None)  # fmt: skip
    assert lost / total < 0.005
    # generic titles ("Engineer", "Analyst") get no family of their own, only a nearest one
    generic = sum(n for t, n in bundled_titles.items() if infos[t].nearest is not None)
    assert generic / total < 0.06
    out = sum(n for t, n in bundled_titles.items() if infos[t].out_of_scope)
    assert out / total < 0.001  # the survey is of AI/data jobs: almost nothing is out of scope


def test_every_family_but_other_is_used_by_the_bundled_data(bundled_titles: Counter[str]) -> None:
    used = {classify_title(t).family for t in bundled_titles}
    assert used <= set(FAMILY_BY_SLUG)
    assert {"ml_engineer", "data_scientist", "ai_engineer", "prompt_engineer"} <= used


@pytest.mark.parametrize(
    ("title", "family", "seniority"),
    [
        ("Data Scientist", "data_scientist", None),
        ("Lead Data Scientist", "data_scientist", "lead"),
        ("Data Science Tech Lead", "data_scientist", "lead"),
        ("Decision Scientist", "data_scientist", None),
        ("Quantitative Researcher", "data_scientist", None),
        ("Statistician", "data_scientist", None),
        ("Sr. ML Engineer, NLP", "ml_engineer", "senior"),
        ("Staff Machine Learning Engineer", "ml_engineer", "staff"),
        ("Computer Vision Engineer", "ml_engineer", None),
        ("Machine Learning Intern", "ml_engineer", "intern"),
        ("MLOps Engineer", "mlops_engineer", None),
        ("ML Ops Engineer", "mlops_engineer", None),
        ("ML Infrastructure Engineer", "mlops_engineer", None),
        ("AI Engineer", "ai_engineer", None),
        ("Generative AI Engineer", "ai_engineer", None),
        ("AI Architect", "ai_engineer", None),
        ("Senior Prompt Engineer", "prompt_engineer", "senior"),
        ("Research Scientist", "research_scientist", None),
        ("Machine Learning Researcher", "research_scientist", None),
        ("Applied Scientist", "applied_scientist", None),
        ("Research Engineer", "research_engineer", None),
        ("AI Product Manager", "ai_product_manager", None),
        ("Product Manager", "product_manager", None),
        ("Data Product Owner", "product_manager", None),
        ("Data Engineer", "data_engineer", None),
        ("Principal Data Engineer", "data_engineer", "principal"),
        ("ETL Developer", "data_engineer", None),
        ("Analytics Engineer", "analytics_engineer", None),
        ("Junior Data Analyst", "data_analyst", "junior"),
        ("Insight Analyst", "data_analyst", None),
        ("Analyst", "other", None),
        ("Business Intelligence Analyst", "business_intelligence", None),
        ("Power BI Developer", "business_intelligence", None),
        ("Tableau Developer", "business_intelligence", None),
        ("Data Architect", "data_architect", None),
        ("Data Modeler", "data_architect", None),
        ("Data Specialist", "data_operations", None),
        ("Data Governance Analyst", "data_operations", None),
        ("Data Operations Associate", "data_operations", None),
        ("Software Engineer", "software_engineer", None),
        ("Backend Engineer", "software_engineer", None),
        ("Graduate Software Engineer", "software_engineer", "junior"),
        ("Engineer", "other", None),  # a generic word alone is no evidence (nearest: SWE)
        ("Technical Lead", "software_engineer", "lead"),
        ("Member of Technical Staff", "software_engineer", None),
        ("Site Reliability Engineer", "devops_engineer", None),
        ("Database Administrator", "devops_engineer", None),
        ("Developer Advocate", "solutions_architect", None),
        ("Solutions Architect", "solutions_architect", None),
        ("Robotics Engineer", "robotics_engineer", None),
        ("Head of Machine Learning", "ai_ml_manager", "head"),
        ("Chief AI Officer", "ai_ml_manager", "chief"),
        ("Data Science Manager", "data_manager", None),
        ("Director of Data Science", "data_manager", "director"),
        ("Head of Data", "data_manager", "head"),
        ("Data Lead", "data_manager", "lead"),
        ("VP, Data & Analytics", "data_manager", "vp"),
        ("Engineering Manager", "engineering_manager", None),
        ("CTO", "engineering_manager", "chief"),
        ("Manager", "manager", None),
        ("Senior Manager", "manager", "senior"),
        ("Consultant", "consultant", None),
        ("Associate", "consultant", None),
        ("Ingénieur Machine Learning", "ml_engineer", None),
        ("Accountant", "out_of_scope", None),
        ("Mechanical Engineer", "out_of_scope", None),
        ("Social Worker", "out_of_scope", None),
        ("", "other", None),
    ],
)
def test_classify_title(title: str, family: str, seniority: str | None) -> None:
    info = classify_title(title)
    assert (info.family, info.seniority) == (family, seniority)
    assert info.matched == (family != "other")
    assert info.level == title_level_to_level(seniority)
    assert info.out_of_scope == (family == "out_of_scope")


def test_classify_title_is_cached_and_deterministic() -> None:
    assert classify_title("Senior Data Engineer") is classify_title("Senior Data Engineer")
    assert classify_title("SENIOR  data-engineer") == classify_title("Senior Data Engineer")


def test_highest_seniority_word_wins() -> None:
    assert classify_title("Senior Director, Machine Learning").seniority == "director"
    assert classify_title("Senior Staff Engineer").seniority == "staff"
    assert classify_title("Data Entry Clerk").seniority is None  # "entry" alone is not a rank


@pytest.mark.parametrize(
    ("seniority", "level"),
    [
        (None, None), ("intern", "entry"), ("junior", "entry"), ("senior", "senior"),
        ("staff", "senior"), ("principal", "senior"), ("lead", "senior"), ("head", "executive"),
        ("director", "executive"), ("vp", "executive"), ("chief", "executive"),
    ],
)  # fmt: skip
def test_title_level_to_level(seniority: str | None, level: str | None) -> None:
    assert title_level_to_level(seniority) == level


def test_title_level_to_level_rejects_unknown_word() -> None:
    with pytest.raises(InvalidInput):
        title_level_to_level("wizard")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("ml_engineer", "ml_engineer"),
        ("ml-engineer", "ml_engineer"),
        ("ML Engineer", "ml_engineer"),
        ("data scientist", "data_scientist"),
        ("BUSINESS INTELLIGENCE", "business_intelligence"),
        ("DevOps / Infrastructure Engineer", "devops_engineer"),
        ("Senior NLP Engineer", "ml_engineer"),
        ("Head of Data", "data_manager"),
        ("swe", "software_engineer"),
        ("other", "other"),
        ("Other", "other"),
        ("Reseach Scientst", "research_scientist"),  # near-miss of a label
    ],
)
def test_resolve_role(text: str, slug: str) -> None:
    assert resolve_role(text) == slug


@pytest.mark.parametrize("text", ["xyzzy", "Accountant", "", "   ", "!!!"])
def test_resolve_role_unknown(text: str) -> None:
    with pytest.raises(UnknownRole):
        resolve_role(text)


def test_levels_constants() -> None:
    assert LEVELS == ("entry", "mid", "senior", "executive")
    assert LEVEL_CODES == {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (None, None), ("", None), ("  ", None),
        ("EN", "entry"), ("mi", "mid"), ("SE", "senior"), ("Ex", "executive"),
        ("entry", "entry"), ("Entry-Level", "entry"), ("junior", "entry"), ("Intern", "entry"),
        ("mid", "mid"), ("Mid-level", "mid"), ("intermediate", "mid"),
        ("SENIOR", "senior"), ("staff", "senior"), ("lead", "senior"), ("principal", "senior"),
        ("executive", "executive"), ("Director", "executive"), ("VP", "executive"),
        ("vice president", "executive"), ("C-level", "executive"),
        (0, "entry"), (3, "mid"), (12, "senior"), ("7", "senior"), ("3.5 years", "mid"),
        ("10+", "senior"),
    ],
)  # fmt: skip
def test_normalize_level(value: str | int | None, level: str | None) -> None:
    assert normalize_level(value) == level


@pytest.mark.parametrize("value", ["banana", "XX", "-", "senior-ish", "-3", True])
def test_normalize_level_rejects_garbage(value: str | int) -> None:
    with pytest.raises(InvalidInput):
        normalize_level(value)


@pytest.mark.parametrize(
    ("years", "level"),
    [(0, "entry"), (1.9, "entry"), (2, "mid"), (4.99, "mid"), (5, "senior"), (9, "senior"),
     (10, "senior"), (15, "senior"), (40, "senior")],
)  # fmt: skip
def test_years_to_level(years: float, level: str) -> None:
    assert years_to_level(years) == level


@pytest.mark.parametrize("years", [-1, float("nan"), float("inf")])
def test_years_to_level_rejects_bad_numbers(years: float) -> None:
    with pytest.raises(InvalidInput):
        years_to_level(years)


@given(st.text(max_size=80))
def test_classify_title_never_raises(text: str) -> None:
    info = classify_title(text)
    assert isinstance(info, TitleInfo)
    assert info.family in FAMILY_BY_SLUG
    assert info.seniority in SENIORITIES
    assert info.level is None or info.level in LEVELS
    assert info.matched == (info.family != "other")


@given(st.text(max_size=40))
def test_resolve_role_returns_slug_or_unknown_role(text: str) -> None:
    with contextlib.suppress(UnknownRole):
        assert resolve_role(text) in FAMILY_BY_SLUG
