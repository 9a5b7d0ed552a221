"""Experience levels: "entry" | "mid" | "senior" | "executive", read from an explicit level value
(EN/MI/SE/EX, level names, common words) or from years of experience."""

from __future__ import annotations

import math
import re

from payatlas.errors import InvalidInput
from payatlas.normalize.seniority import SENIORITY_LEVEL
from payatlas.normalize.title_patterns import plain_words

LEVELS: tuple[str, ...] = ("entry", "mid", "senior", "executive")
LEVEL_CODES: dict[str, str] = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}

#: words (as :func:`~payatlas.normalize.title_patterns.plain_words`) -> level
_LEVEL_WORDS: dict[str, str] = {
    **{code.lower(): level for code, level in LEVEL_CODES.items()},
    **{level: level for level in LEVELS},
    **{word: level for word, level in SENIORITY_LEVEL.items()},
    "entry level": "entry", "entrylevel": "entry", "jr": "entry", "internship": "entry",
    "trainee": "entry", "graduate": "entry", "grad": "entry", "new grad": "entry",
    "beginner": "entry", "early career": "entry", "apprentice": "entry", "fresher": "entry",
    "mid level": "mid", "midlevel": "mid", "intermediate": "mid", "middle": "mid",
    "associate": "mid", "regular": "mid", "experienced": "mid",
    "sr": "senior", "snr": "senior", "senior level": "senior", "expert": "senior",
    "mid senior": "senior", "mid senior level": "senior",
    "exec": "executive", "executive level": "executive", "vice president": "executive",
    "c level": "executive", "cxo": "executive", "director level": "executive",
}  # fmt: skip
_YEARS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?|y)?$")


#: the most years of experience a level value may state: a number beyond a working life
#: ("99999") is not a tenure, and is refused rather than read as senior
MAX_YEARS = 60


def years_to_level(years: float) -> str:
    """Level from years of experience: < 2 entry, 2 to < 5 mid, 5 to 60 senior.

    Years alone never give "executive": executive is a role (head, director, VP, C-level), not
    a tenure, and a 20-year individual contributor is paid as a senior. Raises InvalidInput for
    negative or non-finite values.
    """
    if isinstance(years, bool) or not isinstance(years, int | float) or not math.isfinite(years):
        raise InvalidInput(f"years of experience must be a number, got {years!r}", field="years")
    if years < 0:
        raise InvalidInput(f"years of experience cannot be negative: {years!r}", field="years")
    if years > MAX_YEARS:
        raise InvalidInput(
            f"years of experience over {MAX_YEARS}: {years!r} is not a level", field="years"
        )
    if years < 2:
        return "entry"
    return "mid" if years < 5 else "senior"


def normalize_level(value: str | int | None) -> str | None:
    """An explicit experience-level value -> "entry" | "mid" | "senior" | "executive".

    Accepts the aijobs codes EN/MI/SE/EX, the level names, and common words in any case
    (junior, intermediate, staff, lead, director, vice president, ...). A number, or a string
    such as "7", "3.5 years" or "10+", is read as years of experience (:func:`years_to_level`).
    None and blank strings give None; anything else raises InvalidInput.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"unknown experience level {value!r}", field="experience_level")
    if isinstance(value, int | float):
        return years_to_level(value)
    if not isinstance(value, str):
        raise InvalidInput(f"unknown experience level {value!r}", field="experience_level")
    key = plain_words(value)
    if not key and not value.strip():
        return None
    if key in _LEVEL_WORDS:
        return _LEVEL_WORDS[key]
    years = _YEARS_RE.match(value.strip().lower())
    if years:
        try:
            return years_to_level(float(years.group(1)))
        except InvalidInput as exc:
            raise InvalidInput(
                f"unknown experience level {value!r}: {exc.reason}", field="experience_level"
            ) from None
    raise InvalidInput(
        f"unknown experience level {value!r}; expected EN/MI/SE/EX or entry/mid/senior/executive",
        field="experience_level",
    )
