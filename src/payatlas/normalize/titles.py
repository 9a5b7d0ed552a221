"""Job titles -> role families, seniority words and experience levels.

``classify_title`` reads a free-text title ("Sr. ML Engineer, NLP") with the normalisation and
the ordered family rules of :mod:`~payatlas.normalize.title_patterns`, its seniority words with
:mod:`~payatlas.normalize.seniority`; ``resolve_role`` maps a user's role input to a family of
:mod:`~payatlas.normalize.families`. The taxonomy's names (families, levels, seniority words) are
re-exported here, so ``from payatlas.normalize.titles import ...`` keeps working for all of them.

Levels: a title can *imply* a level through its seniority words (``title_level_to_level``), but
an explicit level field (EN/MI/SE/EX, "senior", ...) always wins over the title
(:mod:`~payatlas.normalize.levels`). Applying that precedence is the caller's job; this module
only reports what each source says.

The taxonomy, the rule order and the measured coverage are described in ``docs/taxonomy.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from payatlas.errors import UnknownRole
from payatlas.normalize.families import FAMILY_BY_SLUG, ROLE_FAMILIES, RoleFamily
from payatlas.normalize.levels import LEVEL_CODES, LEVELS, normalize_level, years_to_level
from payatlas.normalize.seniority import SENIORITY_RANKS, seniority_word, title_level_to_level
from payatlas.normalize.title_patterns import match_family, normalise_title, plain_words

__all__ = [
    "FAMILY_BY_SLUG",
    "LEVELS",
    "LEVEL_CODES",
    "ROLE_FAMILIES",
    "SENIORITY_RANKS",
    "RoleFamily",
    "TitleInfo",
    "classify_title",
    "normalize_level",
    "resolve_role",
    "title_level_to_level",
    "years_to_level",
]

_MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class TitleInfo:
    family: str
    seniority: str | None
    level: str | None
    matched: bool


@lru_cache(maxsize=8192)
def classify_title(title: str) -> TitleInfo:
    """Role family, seniority word and implied level of a free-text job title.

    Never raises: text no rule recognises gets family "other" with ``matched=False``. Only the
    first 200 characters are read (no real title is longer; this bounds the cost of arbitrary
    input). The level is only what the title's words imply; an explicit level field
    (EN/MI/SE/EX, ...) must win over it, which is the caller's job.
    """
    text = normalise_title(title[:_MAX_TITLE]) if isinstance(title, str) else ""
    seniority = seniority_word(text)
    level = title_level_to_level(seniority)
    family = match_family(text)
    return TitleInfo(
        family=family or "other", seniority=seniority, level=level, matched=family is not None
    )


_BY_KEY: dict[str, str] = {
    **{plain_words(f.slug): f.slug for f in ROLE_FAMILIES},
    **{plain_words(f.label): f.slug for f in ROLE_FAMILIES},
}


def resolve_role(text: str) -> str:
    """A user's role input -> family slug.

    Accepts a family slug ("ml_engineer", "ml-engineer"), a family label in any case ("data
    scientist") or any job title ("Senior NLP Engineer"); a near-miss of a slug or label (typo)
    is accepted when it is at least 90% similar. Raises UnknownRole when the text maps to "other"
    and is not literally "other".
    """
    key = plain_words(text) if isinstance(text, str) else ""
    if not key:
        raise UnknownRole("empty role", field="role")
    if key in _BY_KEY:
        return _BY_KEY[key]
    family = classify_title(text).family
    if family != "other":
        return family
    best = max(_BY_KEY, key=lambda k: (fuzz.ratio(key, k), k))
    if fuzz.ratio(key, best) >= 90 and _BY_KEY[best] != "other":
        return _BY_KEY[best]
    raise UnknownRole(
        f"cannot map role {text!r} to a role family; use a job title or one of: "
        + ", ".join(f.slug for f in ROLE_FAMILIES),
        field="role",
    )
