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

from payatlas.errors import OutOfScopeRole, UnknownRole
from payatlas.normalize.families import (
    COVERAGE,
    FAMILY_BY_SLUG,
    OUT_OF_SCOPE,
    ROLE_FAMILIES,
    RoleFamily,
)
from payatlas.normalize.levels import LEVEL_CODES, LEVELS, normalize_level, years_to_level
from payatlas.normalize.seniority import SENIORITY_RANKS, seniority_word, title_level_to_level
from payatlas.normalize.title_patterns import match_family, normalise_title, plain_words
from payatlas.normalize.title_scope import nearest_family

__all__ = [
    "COVERAGE",
    "FAMILY_BY_SLUG",
    "LEVELS",
    "LEVEL_CODES",
    "OUT_OF_SCOPE",
    "ROLE_FAMILIES",
    "SENIORITY_RANKS",
    "RoleFamily",
    "RoleMatch",
    "TitleInfo",
    "classify_title",
    "match_role",
    "normalize_level",
    "resolve_role",
    "scoped_role",
    "title_level_to_level",
    "years_to_level",
]

_MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class TitleInfo:
    """What a title says. ``family`` is a slug of FAMILY_BY_SLUG: a taxonomy family, ``other``
    (no rule recognises it; ``matched=False``) or ``out_of_scope`` (another profession's title,
    ``matched=True``). ``nearest`` is, for an in-scope title with no family ("Architect",
    "Postdoctoral Fellow", a bare "Engineer"), the family whose pay is nearest."""

    family: str
    seniority: str | None
    level: str | None
    matched: bool
    nearest: str | None = None

    @property
    def out_of_scope(self) -> bool:
        """The title is another profession's (outside AI, data and software)."""
        return self.family == OUT_OF_SCOPE.slug


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
        family=family or "other",
        seniority=seniority,
        level=level,
        matched=family is not None,
        nearest=nearest_family(text) if family is None else None,
    )


_BY_KEY: dict[str, str] = {
    **{plain_words(f.slug): f.slug for f in ROLE_FAMILIES},
    **{plain_words(f.label): f.slug for f in ROLE_FAMILIES},
}


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role input resolved to a family; ``nearest`` when the title has no family of its own
    and the family is the nearest one (estimates from it are flagged and less confident)."""

    family: str
    nearest: bool = False


def match_role(text: str) -> RoleMatch:
    """A user's role input -> :class:`RoleMatch`.

    Accepts a family slug ("ml_engineer", "ml-engineer"), a family label in any case ("data
    scientist") or any job title ("Senior NLP Engineer"); a near-miss of a slug or label (typo)
    is accepted when it is at least 90% similar. An in-scope title the taxonomy has no family for
    ("Architect", "Product Designer", "Technical Writer") gets its nearest family with
    ``nearest=True``. Raises OutOfScopeRole for another profession's title ("Social Worker")
    and UnknownRole for text that names no role.
    """
    key = plain_words(text) if isinstance(text, str) else ""
    if not key:
        raise UnknownRole("empty role", field="role")
    if key in _BY_KEY:
        return RoleMatch(_BY_KEY[key])
    info = classify_title(text)
    if info.out_of_scope or key == plain_words(OUT_OF_SCOPE.slug):
        raise OutOfScopeRole(
            f"{text.strip()[:80]!r} is not an AI, data or software role; PayAtlas covers "
            + COVERAGE,
            field="role",
        )
    if info.family != "other":
        return RoleMatch(info.family)
    best = max(_BY_KEY, key=lambda k: (fuzz.ratio(key, k), k))
    if fuzz.ratio(key, best) >= 90 and _BY_KEY[best] != "other":
        return RoleMatch(_BY_KEY[best])
    if info.nearest is not None:
        return RoleMatch(info.nearest, nearest=True)
    raise UnknownRole(
        f"cannot map role {text!r} to a role family; use a job title or one of: "
        + ", ".join(f.slug for f in ROLE_FAMILIES),
        field="role",
    )


def resolve_role(text: str) -> str:
    """A user's role input -> family slug (see :func:`match_role`, which also says whether the
    family is only the nearest one). Raises OutOfScopeRole / UnknownRole."""
    return match_role(text).family


def scoped_role(text: str) -> str:
    """A filter's role input -> family slug: :func:`resolve_role`, or ``out_of_scope`` when
    asked for by name ("out_of_scope", "out of scope"), to read the other professions' rows
    that analytics leave out by default."""
    if isinstance(text, str) and plain_words(text) == plain_words(OUT_OF_SCOPE.slug):
        return OUT_OF_SCOPE.slug
    return resolve_role(text)
