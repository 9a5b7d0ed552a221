"""Seniority words in a normalised title ("senior", "staff", "head", ...) and the level each
implies. A title's seniority word is only what the title says; an explicit level field wins over
it (see :mod:`payatlas.normalize.levels`)."""

from __future__ import annotations

import re

from payatlas.errors import InvalidInput

SENIORITY_RANKS: tuple[str, ...] = (
    "intern", "junior", "senior", "staff", "principal", "lead", "head", "director", "vp", "chief",
)  # fmt: skip
_SENIORITY_WORDS: tuple[tuple[str, str], ...] = (
    ("intern", r"\b(intern|interns|internship|stagiaire|praktikant|werkstudent|working student|"
               r"apprentice|apprenticeship|trainee|co op)\b"),
    ("junior", r"\b(junior|entry level|graduate|grad|new grad)\b"),
    ("senior", r"\bsenior\b"),
    ("staff", r"\bstaff\b"),
    ("principal", r"\bprincipal\b"),
    ("lead", r"\blead(er)?\b"),
    ("head", r"\bhead\b"),
    ("director", r"\bdirector\b"),
    ("vp", r"\bvp\b"),
    ("chief", r"\bchief\b"),
)  # fmt: skip
_SENIORITY_RE = tuple((word, re.compile(p)) for word, p in _SENIORITY_WORDS)
SENIORITY_LEVEL: dict[str, str] = {
    "intern": "entry", "junior": "entry",
    "senior": "senior", "staff": "senior", "principal": "senior", "lead": "senior",
    "head": "executive", "director": "executive", "vp": "executive", "chief": "executive",
}  # fmt: skip


def seniority_word(text: str) -> str | None:
    """The highest-ranked seniority word in a normalised title (``SENIORITY_RANKS`` order)."""
    found = None
    for word, pattern in _SENIORITY_RE:
        if pattern.search(text):
            found = word  # patterns are in rank order, so the last hit is the highest
    return found


def title_level_to_level(seniority: str | None) -> str | None:
    """Level implied by a seniority word: intern/junior -> entry; senior/staff/principal/lead ->
    senior; head/director/vp/chief -> executive; None -> None. No title word implies "mid".

    Raises InvalidInput for a word that is not one of ``SENIORITY_RANKS``.
    """
    if seniority is None:
        return None
    try:
        return SENIORITY_LEVEL[seniority.strip().lower()]
    except KeyError:
        raise InvalidInput(f"unknown seniority word {seniority!r}", field="seniority") from None


# --- career rungs (#11) ---------------------------------------------------------------------
# A finer ladder than the survey's four levels, derived from the same title words and the level
# (an explicit level field, or years of experience via ``years_to_level``). The rung is a
# separate attribute: the levels above (and the model's features) are unchanged.

CAREER_RUNGS: tuple[str, ...] = (
    "junior", "mid", "senior", "staff_principal", "lead_manager", "director_head",
)  # fmt: skip
RUNG_LABELS: dict[str, str] = {
    "junior": "Junior", "mid": "Mid", "senior": "Senior", "staff_principal": "Staff / Principal",
    "lead_manager": "Lead / Manager", "director_head": "Director / Head",
}  # fmt: skip
#: each rung -> the survey level it sits in (docs/taxonomy.md, "Career rungs")
RUNG_LEVEL: dict[str, str] = {
    "junior": "entry", "mid": "mid", "senior": "senior", "staff_principal": "senior",
    "lead_manager": "senior", "director_head": "executive",
}  # fmt: skip
#: seniority words above senior name a rung outright, whatever the level says
SENIORITY_RUNG: dict[str, str] = {
    "staff": "staff_principal", "principal": "staff_principal", "lead": "lead_manager",
    "head": "director_head", "director": "director_head", "vp": "director_head",
    "chief": "director_head",
}  # fmt: skip
#: otherwise the level gives the rung
LEVEL_RUNG: dict[str, str] = {
    "entry": "junior", "mid": "mid", "senior": "senior", "executive": "director_head",
}  # fmt: skip


def career_rung(*, seniority: str | None, level: str | None, manager: bool = False) -> str | None:
    """The career rung of a record or profile.

    1. A seniority word above senior names the rung: staff/principal -> ``staff_principal``,
       lead -> ``lead_manager``, head/director/vp/chief -> ``director_head``.
    2. Else a people-manager title (``manager``: a family of the ``management`` group) is
       ``lead_manager``, or ``director_head`` at the executive level.
    3. Else the level (the explicit level field, years of experience through ``years_to_level``,
       or the level the title's intern/junior/senior word implies): entry -> ``junior``, mid ->
       ``mid``, senior -> ``senior``, executive -> ``director_head``.

    None when neither says anything. Raises InvalidInput for an unknown word or level.
    """
    word = seniority.strip().lower() if seniority is not None else None
    if word is not None and word not in SENIORITY_LEVEL:
        raise InvalidInput(f"unknown seniority word {seniority!r}", field="seniority")
    if level is not None and level not in LEVEL_RUNG:
        raise InvalidInput(f"unknown experience level {level!r}", field="level")
    if word in SENIORITY_RUNG:
        return SENIORITY_RUNG[word]
    implied = level or title_level_to_level(word)
    if manager:
        return "director_head" if implied == "executive" else "lead_manager"
    return LEVEL_RUNG[implied] if implied is not None else None
