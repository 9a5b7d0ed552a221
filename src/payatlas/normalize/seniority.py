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
