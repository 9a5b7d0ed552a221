"""Skills: canonical names, spellings and categories (``data/skills.csv``) and a free-text matcher.

The table is reviewed by hand: one row per canonical skill with its label, category, matching
rule and synonyms (``|``-separated). Two uses:

* **skills lists** (a postings file's ``['sql', 'power bi']``): every name (slug, label,
  synonyms) maps case-insensitively to its skill, :func:`canonical_skill`;
* **free text** (titles, descriptions), :func:`match_skills`, with word-boundary rules per skill:

  - ``word``: case-insensitive, never inside a longer token (``"ML"`` is not found in
    ``"HTML"``, ``"C"`` not in ``"C++"``); a space or hyphen in a name also matches the other
    or nothing (``"power-bi"``, ``"powerbi"``);
  - ``case``: the label (and any synonym written with a capital) must match with its case
    (``"R"``, ``"Go"``, ``"SAS"``); one- and two-letter names also refuse a neighbouring ``&``,
    ``-``, ``'`` or ``.`` (``"R&D"``, ``"Go-to-market"``) and count only beside another skill
    (``"SQL/R"``, not ``"Hybrid (C)"``); lower-case synonyms are case-insensitive;
  - ``list``: too ambiguous for prose (``"Word"``, ``"Flow"``, ``"Spring"``): only from lists.

  A synonym written ``~name`` is for lists only. Precision on labelled real titles is measured in
  ``tests/postings/test_skills_taxonomy.py``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from payatlas.errors import InvalidInput

MATCH_RULES = ("word", "case", "list")
CATEGORIES: dict[str, str] = {
    "language": "Programming language",
    "ml_framework": "ML framework / library",
    "ml_method": "ML method",
    "genai": "Generative AI",
    "mlops": "MLOps",
    "cloud": "Cloud",
    "data_engineering": "Data engineering",
    "database": "Database / warehouse",
    "bi": "BI / visualisation",
    "analytics": "Analytics / statistics",
    "devops": "DevOps / tooling",
    "web": "Web / app framework",
    "os": "Operating system",
    "office": "Office software",
    "collaboration": "Collaboration",
    "enterprise": "Enterprise software",
    "other": "Other",
}


class UnknownSkill(InvalidInput):
    """A skill name is not in the taxonomy."""


@dataclass(frozen=True, slots=True)
class Skill:
    """One canonical skill."""

    slug: str
    label: str
    category: str
    match: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """A skill found in free text: where, and the text that matched."""

    skill: str
    start: int
    text: str


def _key(name: str) -> str:
    """Lookup key of a name: lower case, runs of spaces / hyphens / underscores as one space."""
    return re.sub(r"[\s\-_]+", " ", name.strip().lower())


@cache
def taxonomy() -> dict[str, Skill]:
    """Every canonical skill by slug, read once from the packaged table (checked on load)."""
    text = (files("payatlas") / "data" / "skills.csv").read_text(encoding="utf-8")
    out: dict[str, Skill] = {}
    for n, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        slug, category, rule = row["skill"].strip(), row["category"].strip(), row["match"].strip()
        if slug in out or category not in CATEGORIES or rule not in MATCH_RULES:
            raise InvalidInput(
                f"bad skills table row {slug!r}", file="skills.csv", row=n, field="skill"
            )
        synonyms = tuple(s.strip() for s in row["synonyms"].split("|") if s.strip())
        out[slug] = Skill(slug, row["label"].strip(), category, rule, synonyms)
    return out


@cache
def _names() -> dict[str, str]:
    """Lookup key of every name (slug, label, synonyms) -> slug; a name naming two skills fails."""
    found: dict[str, str] = {}
    for skill in taxonomy().values():
        names = {
            skill.slug.replace("_", " "),
            skill.label,
            *(s.lstrip("~") for s in skill.synonyms),
        }
        for name in names:
            key = _key(name)
            if found.setdefault(key, skill.slug) != skill.slug:
                raise InvalidInput(f"skill name {name!r} names two skills", file="skills.csv")
    return found


def canonical_skill(name: str) -> Skill:
    """The skill a list entry names ("power bi", "sklearn", "google cloud"), any case."""
    slug = _names().get(_key(name))
    if slug is None:
        raise UnknownSkill(f"unknown skill {name!r}", field="skill")
    return taxonomy()[slug]


def _pattern(name: str) -> str:
    return r"[\s\-_]*".join(re.escape(p) for p in re.split(r"[\s\-_]+", name.strip()))


@cache
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Alternations of every name free text may match: (case-insensitive, case-sensitive,
    case-sensitive names of one or two letters)."""
    loose: set[str] = set()
    strict: set[str] = set()
    for skill in taxonomy().values():
        if skill.match == "list":
            continue
        names = [skill.label, *(s for s in skill.synonyms if not s.startswith("~"))]
        if skill.match == "word":
            loose.update(names)
            continue
        strict.add(skill.label)
        for name in names[1:]:
            (strict if name != name.lower() else loose).add(name)

    def alternation(names: set[str]) -> str:
        return "|".join(_pattern(n) for n in sorted(names, key=lambda n: (-len(n), n)))

    left, right = r"(?<![\w#.])", r"(?![\w#]|\+\+)"
    word = re.compile(f"{left}(?:{alternation(loose)}){right}", re.IGNORECASE)
    short = {n for n in strict if len(n) <= 2}
    case = re.compile(f"{left}(?:{alternation(strict - short)}){right}")
    tiny = re.compile(rf"(?<![\w+#.&'\-])(?:{alternation(short)})(?![\w+#&'\-]|\.\w)")
    return word, case, tiny


def match_skills(text: str) -> list[SkillMatch]:
    """Skills named in free text, in order of first appearance, each once."""
    if not isinstance(text, str) or not text.strip():
        return []
    names = _names()
    hits: dict[str, SkillMatch] = {}
    word, case, tiny = _matchers()
    for pattern in (word, case, tiny):
        if pattern is tiny and not hits:
            break  # "R", "C", "Go" alone are too often something else ("Hybrid (C)", "Go Share")
        for m in pattern.finditer(text[:20_000]):
            slug = names.get(_key(m.group(0)))
            if slug is not None and (slug not in hits or m.start() < hits[slug].start):
                hits[slug] = SkillMatch(slug, m.start(), m.group(0))
    return sorted(hits.values(), key=lambda h: h.start)


def parse_skill_list(text: str) -> list[str]:
    """A Python-list string ("['sql', 'power bi']") or a comma list -> canonical slugs, each once
    and in order. Raises :class:`UnknownSkill` for a name the taxonomy lacks."""
    inner = text.strip().strip("[]")
    out: list[str] = []
    for part in inner.split(","):
        name = part.strip().strip("'\"").strip()
        if name:
            slug = canonical_skill(name).slug
            if slug not in out:
                out.append(slug)
    return out
