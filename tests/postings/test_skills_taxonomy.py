"""The skills taxonomy: every skill of the bundled postings maps; spellings meet; the free-text
matcher's precision on 230 labelled real job titles from the postings file."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from payatlas.bundled import postings_path
from payatlas.normalize.skills import (
    CATEGORIES,
    UnknownSkill,
    canonical_skill,
    match_skills,
    parse_skill_list,
    taxonomy,
)

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "skill_titles_labelled.tsv"


def test_every_skill_in_the_postings_file_is_in_the_taxonomy() -> None:
    path = str(postings_path()).replace("'", "''")
    names = duckdb.sql(
        "SELECT DISTINCT trim(unnest(string_split(regexp_replace(job_skills, '[\\[\\]'']', '', "
        f"'g'), ','))) AS s FROM read_csv('{path}', all_varchar=true) WHERE job_skills <> ''"
    ).fetchall()
    assert len(names) > 200
    for (name,) in names:
        assert canonical_skill(name).category in CATEGORIES, name


@pytest.mark.parametrize(
    ("names", "slug"),
    [
        (("Power BI", "power bi", "PowerBI", "power-bi"), "power_bi"),
        (("scikit-learn", "sklearn", "Scikit Learn"), "scikit_learn"),
        (("gcp", "google cloud", "Google Cloud Platform"), "gcp"),
        (("mongo", "MongoDB"), "mongodb"),
        (("golang", "go"), "go"),
        (("no-sql", "nosql"), "nosql"),
    ],
)
def test_spellings_meet_in_one_canonical_skill(names: tuple[str, ...], slug: str) -> None:
    assert {canonical_skill(n).slug for n in names} == {slug}


def test_categories_cover_the_issue_list() -> None:
    cats = {s.category for s in taxonomy().values()}
    for needed in ("language", "ml_framework", "genai", "cloud", "data_engineering",
                   "database", "bi", "mlops"):  # fmt: skip
        assert needed in cats


def test_lists_and_unknown_names() -> None:
    assert parse_skill_list("['sql', 'power bi', 'mongo', 'mongodb']") == [
        "sql", "power_bi", "mongodb",
    ]  # fmt: skip
    with pytest.raises(UnknownSkill, match="unknown skill 'cobolt'"):
        canonical_skill("cobolt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&D Data Engineer", []),
        ("Go-to-market Analyst", []),
        ("Associate Data Analyst - Hybrid (C)", []),
        ("Data Scientist (SQL/SAS/R/Python)", ["sql", "sas", "r", "python"]),
        ("Embedded C++ Engineer", ["cpp"]),
        ("C# and C developer", ["csharp", "c"]),
        ("HTML5 / CSS developer", ["html", "css"]),
        ("Big Data Engineer (AWS+Python+Hadoop)", ["aws", "python", "hadoop"]),
        ("Word processing clerk", []),
    ],
)
def test_word_boundary_rules(text: str, expected: list[str]) -> None:
    assert [m.skill for m in match_skills(text)] == expected


def test_matcher_precision_on_labelled_real_titles() -> None:
    with open(LABELLED, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 200
    tp = fp = fn = 0
    for row in rows:
        truth = {s for s in row["skills"].split(",") if s}
        assert truth <= taxonomy().keys(), row
        found = {m.skill for m in match_skills(row["title"])}
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert tp > 150
    assert precision >= 0.97, f"precision {precision:.3f}"
    assert recall >= 0.9, f"recall {recall:.3f}"
