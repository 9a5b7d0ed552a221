"""Small field normalisers: employment type, remote share, company size, dates, currency codes.

Each takes one raw text value and returns the canonical value, or raises
:class:`~payatlas.errors.InvalidInput` with a short reason. The pipeline calls them once per
distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pycountry

from payatlas.errors import InvalidInput, UnknownCurrency

EMPLOYMENT_TYPES = ("FT", "PT", "CT", "FL")
_EMPLOYMENT = {
    "ft": "FT",
    "full-time": "FT",
    "full time": "FT",
    "fulltime": "FT",
    "permanent": "FT",
    "pt": "PT",
    "part-time": "PT",
    "part time": "PT",
    "parttime": "PT",
    "ct": "CT",
    "contract": "CT",
    "contractor": "CT",
    "temporary": "CT",
    "temp": "CT",
    "fl": "FL",
    "freelance": "FL",
    "freelancer": "FL",
    "self-employed": "FL",
    "internship": "PT",
    "intern": "PT",
}
_REMOTE_WORDS = {
    "remote": 100,
    "fully remote": 100,
    "full remote": 100,
    "yes": 100,
    "true": 100,
    "hybrid": 50,
    "partially remote": 50,
    "partial": 50,
    "on-site": 0,
    "onsite": 0,
    "on site": 0,
    "office": 0,
    "in office": 0,
    "in-office": 0,
    "no": 0,
    "false": 0,
}
_SIZE_WORDS = {"s": "S", "small": "S", "m": "M", "medium": "M", "l": "L", "large": "L"}
_HEADCOUNT = re.compile(r"^\s*(\d[\d,]*)\s*(?:\+|-\s*(\d[\d,]*))?\s*(?:employees|people)?\s*$")


@lru_cache(maxsize=1024)
def employment_type(value: str) -> str:
    """FT/PT/CT/FL from a code or a phrase."""
    key = value.strip().lower().replace("_", "-")
    if key in _EMPLOYMENT:
        return _EMPLOYMENT[key]
    raise InvalidInput(f"unknown employment type {value!r}", field="employment_type")


@lru_cache(maxsize=1024)
def remote_share(value: str) -> int:
    """Remote share 0-100 from a number (0-100, or a 0-1 fraction) or a word."""
    key = value.strip().lower().rstrip("%").strip()
    if key in _REMOTE_WORDS:
        return _REMOTE_WORDS[key]
    try:
        number = float(key)
    except ValueError:
        raise InvalidInput(f"unknown remote share {value!r}", field="remote") from None
    if 0 < number < 1:
        number *= 100
    if not 0 <= number <= 100:
        raise InvalidInput(f"remote share out of range 0-100: {value!r}", field="remote")
    return round(number)


@lru_cache(maxsize=1024)
def company_size(value: str) -> str:
    """S (< 50), M (50-250) or L (> 250) from a band letter, a word or a headcount."""
    key = value.strip().lower()
    if key in _SIZE_WORDS:
        return _SIZE_WORDS[key]
    match = _HEADCOUNT.match(key)
    if match:
        low = int(match.group(1).replace(",", ""))
        high = int(match.group(2).replace(",", "")) if match.group(2) else low
        mid = (low + high) / 2
        return "S" if mid < 50 else ("M" if mid <= 250 else "L")
    raise InvalidInput(f"unknown company size {value!r}", field="company_size")


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y-%m",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%b %Y",
    "%B %Y",
    "%d %b %Y",
    "%d %B %Y",
)


@lru_cache(maxsize=65536)
def parse_date(value: str, field: str = "date") -> dt.date:
    """An ISO date (or a timestamp, or a few common unambiguous forms)."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"not a date: {value!r}", field=field)


@lru_cache(maxsize=1024)
def parse_year(value: str) -> int:
    """A pay year between 1990 and 2100."""
    try:
        year = int(float(value.strip()))
    except ValueError:
        raise InvalidInput(f"not a year: {value!r}", field="year") from None
    if not 1990 <= year <= 2100:
        raise InvalidInput(f"year out of range: {value!r}", field="year")
    return year


@lru_cache(maxsize=1024)
def currency_code(value: str) -> str:
    """An ISO 4217 code (case-insensitive)."""
    code = value.strip().upper()
    if len(code) == 3 and code.isalpha() and pycountry.currencies.get(alpha_3=code):
        return code
    raise UnknownCurrency(f"unknown currency {value!r}", field="currency")


@lru_cache(maxsize=65536)
def parse_number(value: str, field: str = "usd") -> float:
    """A plain number (thousands commas allowed)."""
    try:
        return float(value.strip().replace(",", ""))
    except ValueError:
        raise InvalidInput(f"not a number: {value!r}", field=field) from None
