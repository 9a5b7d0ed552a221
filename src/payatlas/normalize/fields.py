"""Small field normalisers: employment type, remote share, company size, dates, currency codes.

Each takes one raw text value and returns the canonical value, or raises
:class:`~payatlas.errors.InvalidInput` with a short reason. The pipeline calls them once per
distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
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
def remote_share(value: str, fraction: bool | None = None) -> int:
    """Remote share 0-100 from a number or a word. ``fraction`` says the column is on a 0-1
    scale (see :func:`remote_scale`); None decides per value (0 < x < 1 is a fraction)."""
    key = value.strip().lower().rstrip("%").strip()
    if key in _REMOTE_WORDS:
        return _REMOTE_WORDS[key]
    try:
        number = float(key)
    except ValueError:
        raise InvalidInput(f"unknown remote share {value!r}", field="remote") from None
    if fraction or (fraction is None and 0 < number < 1):
        number *= 100
    if not 0 <= number <= 100:
        raise InvalidInput(f"remote share out of range 0-100: {value!r}", field="remote")
    return round(number)


def remote_scale(values: list[str]) -> bool:
    """True when a column's numeric remote values all lie in 0-1 (a fraction column, where 1
    means fully remote), False when any exceeds 1 (a percentage column)."""
    numbers = []
    for value in values:
        try:
            numbers.append(float(value.strip().rstrip("%")))
        except ValueError:
            continue
    return bool(numbers) and all(0 <= n <= 1 for n in numbers) and any(n > 0 for n in numbers)


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
        if high < max(low, 1):  # "0" or "500-10" is not a headcount
            raise InvalidInput(f"not a headcount: {value!r}", field="company_size")
        mid = (low + high) / 2
        return "S" if mid < 50 else ("M" if mid <= 250 else "L")
    raise InvalidInput(f"unknown company size {value!r}", field="company_size")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m", "%b %Y", "%B %Y", "%d %b %Y",
                 "%d %B %Y")  # fmt: skip
_SLASH = re.compile(  # a/b/YYYY, with or without a time of day
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AP]M)?)?$", re.I
)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
#: Excel serial day numbers read as dates: 1955-01-24 .. 2119-05-07 (5 digits, day 1 = 1900-01-01)
EXCEL_SERIALS = (20_000, 80_000)
_TIME_OF_DAY = re.compile(
    r"^[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)?$", re.I
)
DATE_ORDERS = ("DMY", "MDY")


def slash_date_order(values: list[str]) -> str | None:
    """The day/month order a column of ``a/b/YYYY`` dates shows (None: undecided or mixed)."""
    dmy = mdy = False
    for value in values:
        m = _SLASH.match(value.strip())
        if m:
            dmy |= int(m.group(1)) > 12
            mdy |= int(m.group(2)) > 12
    return "DMY" if dmy and not mdy else ("MDY" if mdy and not dmy else None)


def excel_serial(value: str) -> dt.date | None:
    """The date of an Excel serial day number ("45040.41" -> 2023-04-24), None when ``value``
    is not a five-digit serial in :data:`EXCEL_SERIALS`."""
    text = value.strip()
    if not _SERIAL.match(text):
        return None
    number = float(text)
    if not EXCEL_SERIALS[0] <= number < EXCEL_SERIALS[1]:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=math.floor(number))


@lru_cache(maxsize=65536)
def parse_date(
    value: str, field: str = "date", order: str | None = None, fmt: str | None = None
) -> dt.date:
    """An ISO date (or a timestamp, an Excel serial day number, or a few common unambiguous
    forms). Slash dates ``a/b/YYYY`` (with or without a time: ``4/11/2023 11:02:00``) follow
    ``order`` ("DMY" or "MDY"); without one, a date that reads two ways is refused rather than
    guessed. ``fmt``: ``"excel"`` (serials only) or a ``strftime`` pattern the value must match."""
    text = value.strip()
    if fmt == "excel":
        found = excel_serial(text)
        if found is None:
            raise InvalidInput(f"not an Excel serial day: {value!r}", field=field)
        return found
    if fmt:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            raise InvalidInput(f"not a date in the form {fmt!r}: {value!r}", field=field) from None
    serial = excel_serial(text)
    if serial is not None:
        return serial
    # an ISO date, alone or followed by a time of day (never by anything else: "2024-03-15abc"
    # is not a date)
    if len(text) == 10 or _TIME_OF_DAY.match(text[10:]):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    m = _SLASH.match(text)
    if m:
        a, b, year = (int(g) for g in m.groups())
        if order is None and a <= 12 and b <= 12 and a != b:
            raise InvalidInput(
                f"ambiguous date {value!r}: set [source] date_order = "
                '"DMY" or "MDY" in the mapping',
                field=field,
            )
        day, month = (b, a) if order == "MDY" or (order is None and b > 12) else (a, b)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise InvalidInput(f"not a date: {value!r}", field=field) from None
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
        number = float(value.strip())
    except ValueError:
        raise InvalidInput(f"not a year: {value!r}", field="year") from None
    if not math.isfinite(number) or number != int(number):
        raise InvalidInput(f"not a year: {value!r}", field="year")
    year = int(number)
    if not 1990 <= year <= 2100:
        raise InvalidInput(f"year out of range: {value!r}", field="year")
    return year


#: ISO 4217 codes that are not money anyone is paid in: precious metals, the SDR and bond-market
#: units, the testing code and "no currency" (XXX). Refused like an unknown code, never priced.
NOT_PAY_CURRENCIES = frozenset({
    "XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XBA", "XBB", "XBC", "XBD", "XTS", "XXX",
    "XFO", "XFU", "XRE",
})  # fmt: skip
#: ISO 4217 codes withdrawn recently enough that pay data still carries them (pycountry lists
#: only the current ones): the lev (euro from 2026), the kuna (euro 2023), the guilder (XCG 2025),
#: the euro's predecessors the ECB published, and the redenominated leone, ouguiya, dobra, bolivar
WITHDRAWN_CURRENCIES = frozenset({
    "BGN", "HRK", "ANG", "SLL", "ZWL", "CUC", "STD", "MRO", "VEF", "LTL", "LVL", "EEK", "SKK",
    "SIT", "CYP", "MTL",
})  # fmt: skip
#: every ISO 4217 code a pay amount may be given in
PAY_CURRENCIES = (
    frozenset(c.alpha_3 for c in pycountry.currencies) | WITHDRAWN_CURRENCIES
) - NOT_PAY_CURRENCIES


@lru_cache(maxsize=1024)
def currency_code(value: str) -> str:
    """An ISO 4217 code (case-insensitive) of a currency people are paid in."""
    code = value.strip().upper()
    if code in PAY_CURRENCIES:
        return code
    if code in NOT_PAY_CURRENCIES:
        raise UnknownCurrency(f"{value!r} is not a currency pay is given in", field="currency")
    raise UnknownCurrency(f"unknown currency {value!r}", field="currency")


@lru_cache(maxsize=65536)
def parse_number(value: str, field: str = "usd") -> float:
    """A plain number (thousands commas allowed)."""
    try:
        number = float(value.strip().replace(",", ""))
    except ValueError:
        raise InvalidInput(f"not a number: {value!r}", field=field) from None
    if not math.isfinite(number):
        raise InvalidInput(f"not a finite number: {value!r}", field=field)
    return number
