"""Places -> metros: "City, ST" -> county -> CBSA metro; metros by name, code or city; non-US cities
-> their country (kept, and said to be country-level).

Two entry points:

- :func:`resolve_place` reads a location as found in records and postings ("Austin, TX",
  "St. Louis, MO", "Toronto, ON, Canada", "Berlin, Germany", "Texas", "Anywhere") and returns a
  :class:`Place` that says how far it got (``level``: metro, city, state, country, remote or
  unknown), with flags and, for an ambiguous place, the choices. It never raises on odd text.
- :func:`resolve_metro` reads what a person types for a US metro ("Austin, TX", "12420",
  "Austin-Round Rock-San Marcos, TX", "San Francisco Bay Area", "Austin") and returns the
  :class:`~payatlas.normalize.geodata.Cbsa`, or raises :class:`UnknownPlace` /
  :class:`AmbiguousPlace` (which lists the choices).

Both are cached per distinct string: resolve the distinct values of a column, then join.
Spelling variants ("St."/"Saint", "Ft."/"Fort", "Mt."/"Mount", case, accents, punctuation and
spacing) are handled by :func:`~payatlas.normalize.geodata.place_key`. A city whose counties lie
in several CBSAs gets the metropolitan (rather than micropolitan) one with the most tech jobs in
OEWS, the flag ``ambiguous`` and every choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from payatlas.errors import InvalidInput, UnknownCountry
from payatlas.normalize.geodata import CITY_MOVES, PLACE_COUNTIES, Cbsa, geo, place_key

REMOTE_WORDS = frozenset({"anywhere", "remote", "work from home", "wfh", "worldwide"})
US_WORDS = frozenset({"us", "usa", "united states", "united states of america", "u s", "u s a"})
#: nicknames people use for metros -> CBSA codes (first = the answer, the rest = also meant)
NICKNAMES: dict[str, tuple[str, ...]] = {
    "san francisco bay area": ("41860", "41940"),
    "bay area": ("41860", "41940"),
    "sf bay area": ("41860", "41940"),
    "silicon valley": ("41940",),
    "nyc": ("35620",),
    "new york city": ("35620",),
    "la": ("31080",),
    "dc": ("47900",),
    "washington dc": ("47900",),
    "dfw": ("19100",),
    "twin cities": ("33460",),
    "research triangle": ("39580", "20500"),
    "greater boston": ("14460",),
    "puget sound": ("42660",),
    "motor city": ("19820",),
    "inland empire": ("40140",),
}


class UnknownPlace(InvalidInput):
    """A place or metro that no table knows."""


class AmbiguousPlace(InvalidInput):
    """A place that names more than one metro; ``choices`` lists them (code, title)."""

    def __init__(self, reason: str, *, choices: tuple[Cbsa, ...], field: str | None = None):
        self.choices = choices
        listed = "; ".join(f"{c.code} {c.title}" for c in choices[:8])
        super().__init__(f"{reason}; choose one of: {listed}", field=field)


@dataclass(frozen=True, slots=True)
class Place:
    """A location string as PayAtlas read it."""

    text: str
    level: str  # "metro" | "city" | "state" | "country" | "remote" | "unknown"
    country: str | None = None
    city: str | None = None
    state: str | None = None
    county: str | None = None
    metro: Cbsa | None = None
    choices: tuple[Cbsa, ...] = ()
    flags: tuple[str, ...] = ()
    note: str = ""

    @property
    def cbsa(self) -> str | None:
        """The metro's CBSA code, when the place reached one."""
        return self.metro.code if self.metro else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "text": self.text,
            "level": self.level,
            "country": self.country,
            "city": self.city,
            "state": self.state,
            "county": self.county,
            "cbsa": self.cbsa,
            "metro": self.metro.title if self.metro else None,
            "official_statistics": bool(self.metro and self.metro.official),
            "choices": [{"cbsa": c.code, "metro": c.title} for c in self.choices],
            "flags": list(self.flags),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class _Hit:
    state: str
    city: str  # the file's spelling
    counties: frozenset[str] = field(default_factory=frozenset)


def us_state(text: str) -> str | None:
    """A US state (or DC / territory) code from a code or name ("tx", "Texas"), else None."""
    return geo().state_codes.get(place_key(text))


def _find_city(state: str, city: str) -> _Hit | None:
    g = geo()
    key = place_key(city)
    if (state, key) in PLACE_COUNTIES:
        return _Hit(state, city, frozenset({PLACE_COUNTIES[(state, key)]}))
    tries = [
        key,
        key.removesuffix(" township"),
        key.removesuffix(" city"),
        key.removeprefix("the "),
    ]
    tries += [place_key(part) for part in city.split("-")[:1] if "-" in city]
    for k in tries:
        for table in (g.cities, g.aliases):
            if (state, k) in table:
                return _Hit(state, g.city_names.get((state, k), city), table[(state, k)])
        found = g.compact.get((state, k.replace(" ", "")))
        if found:
            table = g.cities if found in g.cities else g.aliases
            return _Hit(state, g.city_names.get(found, city), table[found])
    return None


def rank(codes: set[str] | list[str], *, city: str = "") -> tuple[Cbsa, ...]:
    """CBSAs, best first: one that names ``city`` in its title, then metropolitan before
    micropolitan, then the most OEWS tech jobs."""
    key = place_key(city)

    def order(m: Cbsa) -> tuple[bool, bool, int, str]:
        named = key in {place_key(c) for c in m.principal_cities}
        return (not named, m.kind != "metropolitan", -m.tech_jobs, m.code)

    return tuple(sorted((geo().cbsas[c] for c in set(codes) if c in geo().cbsas), key=order))


def _city_place(text: str, hit: _Hit) -> Place:
    g = geo()
    moved = CITY_MOVES.get((hit.state, place_key(hit.city)))
    codes = {moved} if moved else {g.county_cbsa[(hit.state, c)] for c in hit.counties
                                   if (hit.state, c) in g.county_cbsa}  # fmt: skip
    county = ", ".join(sorted(c.title() for c in hit.counties))
    if not codes:
        return Place(text=text, level="city", country="US", city=hit.city, state=hit.state,
                     county=county, flags=("outside_cbsa",),
                     note=f"{hit.city}, {hit.state} lies outside every metro and micropolitan "
                          "area; state-level figures apply")  # fmt: skip
    ranked = rank(codes, city=hit.city)
    flags: list[str] = []
    note = ""
    if len(ranked) > 1:
        flags.append("ambiguous")
        note = f"{hit.city}, {hit.state} spans {len(ranked)} CBSAs; took {ranked[0].title}"
    if not ranked[0].official:
        flags.append("no_official_statistics")
    return Place(text=text, level="metro", country="US", city=hit.city, state=hit.state,
                 county=county, metro=ranked[0], choices=ranked if len(ranked) > 1 else (),
                 flags=tuple(flags), note=note)  # fmt: skip


def _country(text: str) -> str | None:
    from payatlas.normalize.countries import to_alpha2

    try:
        return to_alpha2(text)
    except UnknownCountry:
        return None


@lru_cache(maxsize=65536)
def resolve_place(text: str) -> Place:
    """Read one location string (see the module docstring); cached per distinct string."""
    raw = " ".join(str(text).split())
    key = place_key(raw)
    if not key:
        return Place(text=raw, level="unknown", note="empty location")
    if key in REMOTE_WORDS:
        return Place(text=raw, level="remote", note="remote: no place of work")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) >= 2 and place_key(parts[-1]) in US_WORDS:
        parts = parts[:-1]
        if len(parts) == 1:
            return _single(raw, parts[0], us_only=True)
    if len(parts) == 1:
        return _single(raw, parts[0])
    city, last = parts[0], parts[-1]
    state = us_state(last)
    if state:
        hit = _find_city(state, city)
        country = _country(last) if len(last) > 2 else None
        if hit:
            return _city_place(raw, hit)
        if country and country != "US":  # "Tbilisi, Georgia"
            return _country_place(raw, city, country)
        return Place(text=raw, level="state", country="US", city=city, state=state,
                     flags=("unknown_city",),
                     note=f"no US place {city!r} in {state}; state-level")  # fmt: skip
    country = _country(last)
    if country == "US":
        return Place(text=raw, level="country", country="US", city=city, flags=("unknown_city",),
                     note="US location without a state; country-level")  # fmt: skip
    if country:
        return _country_place(raw, city, country)
    return Place(text=raw, level="unknown", city=city, flags=("unknown_place",),
                 note=f"neither a US state nor a country: {last!r}")  # fmt: skip


def _country_place(raw: str, city: str, country: str) -> Place:
    return Place(
        text=raw,
        level="country",
        country=country,
        city=city,
        flags=("country_level",),
        note=f"{city} is outside the US: figures are country-level ({country})",
    )


def _single(raw: str, part: str, *, us_only: bool = False) -> Place:
    state = us_state(part) if len(part) > 2 or part.isupper() else None
    country = None if us_only else _country(part)
    if state and country and country != "US":
        return Place(text=raw, level="state", country="US", state=state, flags=("ambiguous",),
                     note=f"{part!r} is a US state and a country ({country}); read as the "
                          "US state")  # fmt: skip
    if state:
        return Place(text=raw, level="state", country="US", state=state)
    if country:
        return Place(text=raw, level="country", country=country)
    return Place(text=raw, level="unknown", flags=("unknown_place",),
                 note=f"not a place PayAtlas knows: {part!r}")  # fmt: skip


def resolve_places(values: Any) -> dict[str, Place]:
    """Each distinct non-empty string of ``values`` -> its :class:`Place` (resolve once, join)."""
    return {v: resolve_place(v) for v in {str(x) for x in values if x is not None and x == x}}


#: US states, DC and the inhabited territories by USPS code (a fixed list: reading a location
#: column must not load the city tables)
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip
_TERRITORIES = frozenset({"PR", "GU", "VI", "AS", "MP"})  # ISO countries of their own
_STATE_KEYS: dict[str, str] = {
    **{place_key(name): code for code, name in US_STATES.items()},
    **{code.lower(): code for code in US_STATES},
    "washington dc": "DC", "washington d c": "DC", "d c": "DC",
}  # fmt: skip


def state_code(text: str) -> str | None:
    """A US state / DC code from its code or name ("TX", "Texas", "Washington, D.C."), else
    None; territories are their own countries here (ISO 3166 gives them codes)."""
    code = _STATE_KEYS.get(place_key(text))
    return None if code in _TERRITORIES else code


@dataclass(frozen=True, slots=True)
class Location:
    """A location column's value as the ingest reads it: country, city, remote."""

    country: str | None
    city: str | None = None  # "Austin, TX" for a US city (kept for metro work), else the city
    state: str | None = None
    remote: bool = False
    flags: tuple[str, ...] = ()


_OTHERS = re.compile(r"\s*\(\+\s*\d+\s+others?\)\s*$", re.IGNORECASE)
_REMOTE_NOTE = re.compile(r"\s*[(\[-]?\s*\b(?:remote|anywhere|wfh)\b\s*[)\]]?\s*", re.IGNORECASE)


def us_context(values: list[str], *, default: str | None = None) -> bool:
    """True when a location column is read as American: the mapping's default country is the
    US, or most of its values end in a US state code or name ("City, ST", "Texas")."""
    if default is not None and _country(default) == "US":
        return True
    us = other = 0
    for value in values:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts:
            continue
        last = parts[-1]
        code = state_code(last) if len(last) > 2 or last.isupper() else None
        if place_key(last) in US_WORDS or (code and (len(last) == 2 or _country(last) is None)):
            us += 1
        elif _country(last):
            other += 1
    return us > other


@lru_cache(maxsize=65536)
def read_location(text: str, *, us: bool = False) -> Location:
    """A location cell -> :class:`Location` ("City, ST", "City, Region, Country", "Texas",
    "Georgia", "Anywhere", "Austin, TX (Remote)"). ``us``: the column is American, so a name
    that is a US state and a country ("Georgia") is the state. Raises :class:`UnknownCountry`
    for a place no table knows."""
    raw = " ".join(str(text).split())
    flags: list[str] = []
    if _OTHERS.search(raw):
        raw = _OTHERS.sub("", raw)
        flags.append("several_locations")
    if place_key(raw) in REMOTE_WORDS:
        return Location(None, remote=True, flags=tuple(flags))
    remote = False
    stripped = _REMOTE_NOTE.sub(" ", raw).strip(" ,-")
    if stripped != raw and stripped:
        remote, raw = True, stripped
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise UnknownCountry(f"unknown location {text!r}", field="location")
    if len(parts) >= 2 and place_key(parts[-1]) in US_WORDS:
        parts = parts[:-1]
        us = True
    last = parts[-1]
    if len(parts) == 1:
        state = state_code(last) if len(last) > 2 or last.isupper() else None
        country = _country(last) or (_country(last.rsplit(" - ", 1)[-1]) if " - " in last
                                     else None)  # fmt: skip
        if state and (us or country is None or country == "US"):
            return Location("US", state=state, remote=remote, flags=tuple(flags))
        if country:
            return Location(country, remote=remote, flags=tuple(flags))
        raise UnknownCountry(f"unknown location {text!r}", field="location")
    city = parts[0]
    state = state_code(last) if len(last) > 2 or last.isupper() else None
    if state:
        country = _country(last) if len(last) > 2 else None
        if country is None or country == "US" or us or _find_city(state, city):
            return Location("US", f"{city}, {state}", state, remote, tuple(flags))
        return Location(country, city, None, remote, tuple(flags))
    if len(last) == 2 and last.isupper() and len(parts) == 2:
        from payatlas.normalize.countries import _subdivision_country

        if _subdivision_country(last) == "CA":
            return Location("CA", city, last, remote, tuple(flags))
    country = _country(last) or (_country(last.rsplit(" - ", 1)[-1]) if " - " in last else None)
    if country is None:
        raise UnknownCountry(f"unknown location {text!r}", field="location")
    region = parts[-2] if len(parts) >= 3 else None
    if country == "US" and region is not None:
        code = state_code(region)
        if code:
            return Location("US", f"{city}, {code}", code, remote, tuple(flags))
    return Location(country, city, region, remote, tuple(flags))
