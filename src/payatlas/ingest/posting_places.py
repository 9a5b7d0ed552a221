"""Where a job posting is: its location string and country column -> city, state, country, remote.

Rules (docs/data.md, "Job postings"):

* ``"Anywhere"`` / ``"Remote"`` -> remote, the country from the country column;
* ``"City, ST"`` with a US state (or DC) code -> US, the state kept; ``"City, ON"`` likewise for a
  Canadian province; a bare US state name ("Texas") -> US and that state, unless the country
  column names the country of that name ("Georgia");
* ``"City, Region, Country"`` / ``"City, Country"`` / ``"Country"`` -> the last part's country
  (:func:`~payatlas.normalize.countries.to_alpha2`, plus the few names of ``EXTRA_COUNTRIES``),
  the middle part as the state;
* a location that names another country than the country column wins, flagged
  ``country_from_location``; the collector's known defect (``"Sudan"`` for US listings, an
  upstream geocoding bug) on a row whose location names no place is read as US, flagged
  ``country_assumed_us``;
* ``"(+2 others)"`` after a location is dropped, flagged ``several_locations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

from payatlas.errors import UnknownCountry
from payatlas.normalize.countries import to_alpha2

REMOTE_WORDS = frozenset({"anywhere", "remote", "work from home", "wfh"})
#: country-column values known to be wrong in the bundled postings, and what they stand for
KNOWN_BAD_COUNTRIES: dict[str, str] = {"sudan": "US"}
#: names the country normaliser does not know yet, as the postings spell them
EXTRA_COUNTRIES: dict[str, str] = {
    "usvi": "VI", "u.s. virgin islands": "VI", "us virgin islands": "VI", "macedonia (fyrom)": "MK",
}  # fmt: skip
_OTHERS = re.compile(r"\s*\(\+\s*\d+\s+others?\)\s*$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Place:
    """A posting's place."""

    city: str | None
    state: str | None
    country: str
    remote: bool
    flags: tuple[str, ...] = ()


@cache
def _subdivisions(country: str) -> tuple[dict[str, str], dict[str, str]]:
    """(code -> code, lower-case name -> code) of a country's states / provinces."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or []:
        if country == "US" and sub.type not in ("State", "District"):
            continue
        code = sub.code.split("-", 1)[1]
        codes[code] = code
        names[sub.name.lower()] = code
    if country == "US":
        names["washington dc"] = names["washington, d.c."] = "DC"
    return codes, names


def _country(name: str) -> str:
    """alpha-2 of a country name; "Dubai - United Arab Emirates" reads the part after " - "."""
    extra = EXTRA_COUNTRIES.get(name.strip().lower())
    if extra is not None:
        return extra
    try:
        return to_alpha2(name)
    except UnknownCountry:
        if " - " not in name:
            raise
        return _country(name.rsplit(" - ", 1)[1])


def _country_column(value: str) -> tuple[str | None, bool]:
    """(alpha-2 of the country column or None, whether it is a known-bad value)."""
    text = value.strip()
    if not text:
        return None, False
    if text.lower() in KNOWN_BAD_COUNTRIES:
        return KNOWN_BAD_COUNTRIES[text.lower()], True
    try:
        return _country(text), False
    except UnknownCountry:
        return None, False


def _read_location(text: str, column: str | None) -> tuple[str | None, str | None, str | None]:
    """(city, state, country) a location string names; country None when it names none."""
    us_codes, us_names = _subdivisions("US")
    ca_codes, _ = _subdivisions("CA")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 1:
        name = parts[0]
        code = us_names.get(name.lower())
        if code is not None:
            try:
                same_name_country = _country(name)
            except UnknownCountry:
                same_name_country = None
            if column is not None and column != "US" and column == same_name_country:
                return None, None, column  # "Georgia" the country
            return None, code, "US"
        return None, None, _country(name)
    last = parts[-1]
    if len(last) == 2 and last.isupper():
        if last in us_codes:
            return parts[0], last, "US"
        if last in ca_codes and len(parts) == 2:
            return parts[0], last, "CA"
    country = _country(last)
    state = parts[-2] if len(parts) >= 3 else None
    if country == "US" and state is not None:
        state = us_codes.get(state.upper()) or us_names.get(state.lower()) or state
    return parts[0], state, country


@cache
def parse_place(location: str, country: str) -> Place:
    """A posting's place from its location string and country column.

    Raises :class:`UnknownCountry` when neither names a country.
    """
    text = _SPACE.sub(" ", location or "").strip()
    flags: list[str] = []
    if _OTHERS.search(text):
        text = _OTHERS.sub("", text)
        flags.append("several_locations")
    column, known_bad = _country_column(country or "")
    remote = text.lower() in REMOTE_WORDS
    if remote or not text:
        if column is None:
            raise UnknownCountry(
                f"no country in location {location!r} or country {country!r}", field="job_country"
            )
        if known_bad:
            flags.append("country_assumed_us")
        return Place(None, None, column, remote, tuple(flags))
    try:
        city, state, found = _read_location(text, column)
    except UnknownCountry:
        if column is None:
            raise UnknownCountry(f"unknown location {location!r}", field="job_location") from None
        city, state, found = text, None, column
        flags.append("location_unread")
    assert found is not None
    if "location_unread" not in flags and (known_bad or (column is not None and found != column)):
        flags.append("country_from_location")
    return Place(city, state, found, False, tuple(flags))
