"""Parse pay strings ("$53K–$91K", "₹12L p.a.", "1.234.567,89 €") into :class:`Money`.

Decisions worth knowing:

* Numbers: when both ``.`` and ``,`` occur, the last one is the decimal mark. A lone separator
  followed by exactly three digits (and 1-3 digits before it, not ``0``) is a thousands
  separator ("225.000" == 225000), except ``.`` before a magnitude suffix ("1.250M" == 1.25M).
  Spaces (incl. no-break / narrow no-break) and Swiss apostrophes group thousands; Indian
  grouping ("12,00,000") works.
* Suffixes: k, m/mn/mm/mio/million, L/lakh/lac, Cr/crore. In "60-80k" a suffix on the high side
  only is also applied to the low side, provided that keeps low <= high ("50,000-70k" stays).
* Notes and labels: a trailing note in brackets without digits ("(Glassdoor est.)") and a
  leading label ending in a colon ("Employer Provided Salary:") are ignored; a bracketed ISO code
  ("(USD)") counts as the currency.
* Hourly amounts: an amount paid per hour reads "34.875" as 34.875 (nobody is paid 34,875 an
  hour), and a column whose values show "." as a decimal mark ("98901.5", "64.44") reads every
  lone "." so (:func:`decimal_mark`; ``decimal="."``).
* Currencies: "€", "₹", ISO codes (any ISO 4217 code of money, upper case), "US$" etc. are exact.
  "$", "¥", "£", "Rs", "Fr." are *loose*: "$" means USD unless ``default_currency`` is another
  dollar (CAD, AUD...), so a Canadian "$" can stay CAD. "kr" (SEK/NOK/DKK/ISK) has no fallback:
  it needs a krone ``default_currency`` or a code in the text, else it is refused as ambiguous.
  "R" is ZAR only directly before digits ("R 500k"); "R$" is BRL. A currency in the text beats
  ``default_currency``; two different currencies in one string are refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from payatlas.errors import InvalidSalary
from payatlas.normalize.fields import PAY_CURRENCIES

__all__ = [
    "PERIOD_MULTIPLIERS",
    "Money",
    "annualize",
    "decimal_mark",
    "parse_money",
    "parse_period",
]

#: a bi-weekly (fortnightly) wage is paid 26 times a year, as H-1B LCA filings' "Bi-Weekly" unit
PERIOD_MULTIPLIERS: dict[str, int] = {
    "hour": 2080, "day": 260, "week": 52, "biweek": 26, "month": 12, "year": 1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Money:
    """An amount or range in one currency and pay period (either may be unknown: ``None``)."""

    low: float
    high: float
    currency: str | None
    period: str | None

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    @property
    def is_range(self) -> bool:
        return self.high != self.low


_PERIOD_WORDS: dict[str, tuple[str, ...]] = {
    "hour": ("hour", "hours", "hourly", "hr", "hrs", "h", "ph"),
    "day": ("day", "days", "daily", "d", "pd", "diem"),
    "week": ("week", "weeks", "weekly", "wk", "wks", "w", "pw"),
    "biweek": ("biweek", "biweekly", "bi-weekly", "bi-week", "fortnight", "fortnightly"),
    "month": ("month", "months", "monthly", "mo", "mos", "mth", "mths", "mon", "m", "pm", "pcm"),
    "year": ("year", "years", "yearly", "annual", "annually", "annum", "yr", "yrs", "y", "a", "pa"),
}
_PERIOD_ALIASES: dict[str, str] = {w: p for p, words in _PERIOD_WORDS.items() for w in words}
_PERIOD_PREFIX_RE = re.compile(r"^(?:per\s*/?|an?\s+|each\s+|/)\s*")
_PERIOD_JUNK_RE = re.compile(r"[\s./]")

_SUFFIXES: dict[str, int] = {
    "k": 10**3, "thousand": 10**3,
    "m": 10**6, "mm": 10**6, "mn": 10**6, "mil": 10**6, "mio": 10**6, "million": 10**6,
    "l": 10**5, "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "lacs": 10**5,
    "cr": 10**7, "crore": 10**7, "crores": 10**7,
}  # fmt: skip

_DOLLARS = frozenset({
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "BSD", "BBD",
    "BZD", "BMD", "BND", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD",
    "UYU", "DOP", "CUP",
})  # fmt: skip
_LOOSE: dict[str, tuple[str | None, frozenset[str]]] = {
    "$": ("USD", _DOLLARS),
    "¥": ("JPY", frozenset({"JPY", "CNY"})),
    "£": ("GBP", frozenset({"GBP", "EGP", "GIP", "FKP", "SHP", "SYP", "LBP"})),
    "Rs": ("INR", frozenset({"INR", "PKR", "LKR", "NPR", "MUR", "SCR"})),
    "Fr": ("CHF", frozenset({"CHF", "XOF", "XAF", "XPF"})),
    "kr": (None, frozenset({"SEK", "NOK", "DKK", "ISK"})),
}
_LOOSE_SPELLINGS: dict[str, str] = {
    "$": "$", "¥": "¥", "￥": "¥", "£": "£", "Rs": "Rs", "Rs.": "Rs", "rs": "Rs", "rs.": "Rs",
    "RS": "Rs", "Fr": "Fr", "Fr.": "Fr", "kr": "kr", "kr.": "kr", "Kr": "kr", "Kr.": "kr",
}  # fmt: skip
_EXACT: dict[str, str] = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
    "S$": "SGD", "SG$": "SGD", "HK$": "HKD", "NT$": "TWD", "MX$": "MXN", "R$": "BRL",
    "€": "EUR", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₱": "PHP", "₪": "ILS",
    "₫": "VND", "฿": "THB", "₦": "NGN", "₴": "UAH", "₸": "KZT", "zł": "PLN", "Kč": "CZK",
    "Ft": "HUF", "Rp": "IDR", "RM": "MYR", "RMB": "CNY", "元": "CNY", "CN¥": "CNY",
    "JP¥": "JPY", "SFr.": "CHF", "lei": "RON",
}  # fmt: skip
_ISO_CODES = PAY_CURRENCIES  # metals, SDR, XXX and XTS are not pay currencies

_NOT_LETTER = r"(?![^\W\d_])"  # next char is not a letter


def _symbol_pattern(token: str) -> str:
    return re.escape(token) + (_NOT_LETTER if token[-1].isalpha() else "")


_SYMBOLS = sorted([*_EXACT, *_LOOSE_SPELLINGS], key=len, reverse=True)
_NUM = r"[0-9]{1,3}(?:[ '’][0-9]{3})+(?![0-9])(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)*|\.[0-9]+"
_SUFFIX = "|".join(sorted(_SUFFIXES, key=len, reverse=True))
_PWORD = r"hourly|daily|weekly|monthly|annually|yearly|annual|pcm|p\.?[ahmdw]\.?"
_TOKEN_RE = re.compile(
    rf"""
      (?P<ws>\s+)
    | (?P<num>{_NUM})(?:\s*(?P<suffix>(?i:{_SUFFIX})){_NOT_LETTER})?
    | (?:/|(?<![^\W\d_])(?i:per|an?)\s+)\s*(?P<unit>[^\W\d_]+\.?)
    | (?P<pword>(?i:{_PWORD})){_NOT_LETTER}
    | (?P<sep>[-–—−‐‒―~]|(?i:to){_NOT_LETTER})
    | (?P<sym>{"|".join(_symbol_pattern(s) for s in _SYMBOLS)}|R(?=\s?[0-9]))
    | (?P<iso>[A-Z]{{3}}){_NOT_LETTER}
    | (?P<plus>\+)
    """,
    re.VERBOSE,
)
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003", " "))
_MINUS = frozenset("-−‐‒")
_GROUPING_RE = re.compile("[ '’]")


def _short(text: str) -> str:
    quoted = repr(text[:60])
    return quoted if len(quoted) <= 48 else quoted[:44] + "..." + quoted[0]


def parse_period(text: str) -> str:
    """Normalise a pay-period spelling ("per hour", "/hr", "p.a.", "monthly") to a period key."""
    key = _PERIOD_PREFIX_RE.sub("", str(text).strip().lower())
    key = _PERIOD_JUNK_RE.sub("", key)
    try:
        return _PERIOD_ALIASES[key]
    except KeyError:
        raise InvalidSalary(f"unknown pay period: {_short(str(text))}") from None


def annualize(
    amount: float, period: str | None, *, multipliers: Mapping[str, float] | None = None
) -> float:
    """Scale ``amount`` paid per ``period`` to a yearly amount (``None`` means already yearly)."""
    table: Mapping[str, float] = PERIOD_MULTIPLIERS if multipliers is None else multipliers
    if period is None:
        return float(amount)
    key = period if period in table else parse_period(period)
    if key not in table:
        raise InvalidSalary(f"no multiplier for pay period {key!r}")
    return float(amount) * float(table[key])


def _check_groups(groups: list[str], text: str) -> None:
    western = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    indian = (
        len(groups) >= 3
        and 1 <= len(groups[0]) <= 2
        and all(len(g) == 2 for g in groups[1:-1])
        and len(groups[-1]) == 3
    )
    if not (western or indian):
        raise InvalidSalary(f"not a number: {_short(text)}")


_PLAIN_DOT = re.compile(r"^\s*-?[0-9]+\.([0-9]+)\s*$")
_NOTE_RE = re.compile(r"\s*\(([^()0-9]*)\)\s*$")
_LABEL_RE = re.compile(r"^\s*[^\W\d_][^:0-9$€£¥₹]{0,60}:\s*(?=\S)")


def decimal_mark(values: list[str]) -> str | None:
    """``"."`` when a column's values are plain numbers with ``.`` as a decimal mark (some
    fraction is not exactly three digits: "98901.5", "64.44000244"), else None (decide per
    value). Then "34.875" in that column is 34.875, never 34,875."""
    seen = False
    for value in values:
        m = _PLAIN_DOT.match(value)
        if m is None:
            if value.strip() and not value.strip().lstrip("-").isdigit():
                return None  # not a plain-number column
            continue
        seen |= len(m.group(1)) != 3
    return "." if seen else None


def _without_notes(text: str) -> str:
    """The pay text without a trailing bracketed note or a leading label."""
    note = _NOTE_RE.search(text)
    if note:
        inner = note.group(1).strip()
        keep = f" {inner}" if inner.upper() in _ISO_CODES and len(inner) == 3 else ""
        text = text[: note.start()] + keep
    return _LABEL_RE.sub("", text, count=1)


def _number(raw: str, has_suffix: bool, text: str, dot: bool = False) -> Decimal:
    """Read one number token exactly, resolving which of ``.`` / ``,`` is the decimal mark."""
    if _GROUPING_RE.search(raw):  # " 1 234", "120'000": any "." or "," after is the decimal mark
        return Decimal(_GROUPING_RE.sub("", raw).replace(",", "."))
    if "." in raw and "," in raw:
        dec = "." if raw.rfind(".") > raw.rfind(",") else ","
        whole, _, frac = raw.rpartition(dec)
        if dec in whole:
            raise InvalidSalary(f"not a number: {_short(text)}")
        groups = whole.split("," if dec == "." else ".")
        _check_groups(groups, text)
        return Decimal("".join(groups) + "." + frac)
    sep = "." if "." in raw else "," if "," in raw else ""
    if not sep:
        return Decimal(raw)
    parts = raw.split(sep)
    if len(parts) > 2:
        _check_groups(parts, text)
        return Decimal("".join(parts))
    whole, frac = parts
    thousands = len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
    thousands = thousands and not (dot and sep == ".")
    if thousands and not (has_suffix and sep == "."):
        return Decimal(whole + frac)
    return Decimal((whole or "0") + "." + frac)


def _resolve_currency(symbols: list[str], codes: set[str], default: str | None) -> str | None:
    loose = {_LOOSE_SPELLINGS[s] for s in symbols if s in _LOOSE_SPELLINGS}
    codes = codes | {_EXACT[s] for s in symbols if s in _EXACT}
    mixed = InvalidSalary("mixed currencies: " + ", ".join(sorted(codes | loose)))
    if len(codes) > 1 or len(loose) > 1:
        raise mixed
    if codes:
        code = codes.pop()
        if loose and code not in _LOOSE[next(iter(loose))][1]:
            raise mixed
        return code
    if not loose:
        return default
    symbol = loose.pop()
    fallback, compatible = _LOOSE[symbol]
    if default in compatible:
        return default
    if fallback is None:
        raise InvalidSalary(f"ambiguous currency {symbol!r}: give a currency code")
    return fallback


def _checked(number: float | Decimal) -> float:
    value = float(number)
    if math.isnan(value) or math.isinf(value):
        raise InvalidSalary(f"not a finite number: {value}")
    if value < 0:
        raise InvalidSalary("negative amount")
    return value


def parse_money(
    text: str | float | int,
    *,
    default_currency: str | None = None,
    default_period: str | None = None,
    decimal: str | None = None,
) -> Money:
    """Parse a pay value (number, amount string or range) into :class:`Money`.

    ``decimal="."`` reads a lone ``.`` as the decimal mark (a column of plain decimals, see
    :func:`decimal_mark`); an hourly amount always reads it so.

    Raises :class:`InvalidSalary` for anything empty, unparseable, negative, non-finite,
    mixing currencies or periods, or a range whose high is below its low.
    """
    currency = default_currency.upper() if default_currency else None
    period = parse_period(default_period) if default_period else None
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InvalidSalary("empty pay value")
    if isinstance(text, bool) or not isinstance(text, str):
        if isinstance(text, bool):
            raise InvalidSalary(f"not a number: {text!r}")
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise InvalidSalary(f"not a number: {_short(str(text))}") from None
        value = _checked(value)
        return Money(value, value, currency, period)

    s = _without_notes(text.translate(_SPACES).strip())
    money = _parse_text(s, text, currency, period, decimal == ".")
    if decimal != "." and money.period == "hour" and "." in s:
        again = _parse_text(s, text, currency, period, True)  # 34.875 an hour, not 34,875
        if again.low != money.low or again.high != money.high:
            return again
    return money


def _parse_text(s: str, text: str, currency: str | None, period: str | None, dot: bool) -> Money:
    sides: list[tuple[Decimal, int | None]] = []  # (number, suffix multiplier)
    symbols: list[str] = []
    codes: set[str] = set()
    periods: set[str] = set()
    expecting_number, pos = True, 0  # True at the start and right after a range separator
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if m is None or m.end() == pos:
            raise InvalidSalary(f"not a number: {_short(text)}")
        pos = m.end()
        if m["num"] is not None:
            if not expecting_number:
                raise InvalidSalary(f"not a number: {_short(text)}")
            suffix = _SUFFIXES.get(m["suffix"].lower(), 0) if m["suffix"] else None
            if suffix == 0:  # an exotic case-fold match, e.g. "mİl"
                raise InvalidSalary(f"not a number: {_short(text)}")
            sides.append((_number(m["num"], suffix is not None, text, dot), suffix))
            expecting_number = False
        elif m["sep"] is not None:
            if expecting_number and m["sep"] in _MINUS:
                raise InvalidSalary("negative amount")
            if expecting_number and not (m["sep"] == "~" and not sides):
                raise InvalidSalary(f"not a number: {_short(text)}")
            if not expecting_number and len(sides) == 2:
                raise InvalidSalary(f"not a number: {_short(text)}")
            expecting_number = True
        elif m["unit"] is not None or m["pword"] is not None:
            periods.add(parse_period(m["unit"] or m["pword"]))
        elif m["sym"] is not None:
            if m["sym"] == "R":  # a bare "R" (only ever matched right before digits) is the rand
                codes.add("ZAR")
            else:
                symbols.append(m["sym"])
        elif m["iso"] is not None:
            if m["iso"] not in _ISO_CODES:
                raise InvalidSalary(f"unknown currency code {m['iso']!r}")
            codes.add(m["iso"])
    if not sides or expecting_number:
        raise InvalidSalary(f"not a number: {_short(text)}")
    if len(periods) > 1:
        raise InvalidSalary("conflicting pay periods: " + ", ".join(sorted(periods)))

    values = [number * (mult or 1) for number, mult in sides]  # exact: equal ranges stay equal
    (low_number, low_mult), high_mult = sides[0], sides[-1][1]
    if len(sides) == 2 and low_mult is None and high_mult and low_number * high_mult <= values[1]:
        values[0] = low_number * high_mult  # "60-80k" -> 60k-80k, but "50,000-70k" stays
    low, high = _checked(values[0]), _checked(values[-1])
    if high < low:
        raise InvalidSalary("range high below low")
    currency = _resolve_currency(symbols, codes, currency)
    return Money(low, high, currency, periods.pop() if periods else period)
