"""US metros as people name them: a CBSA code, a title, a nickname or a city -> one CBSA.

``resolve_metro("12420")``, ``resolve_metro("Austin-Round Rock-San Marcos, TX")``,
``resolve_metro("Austin, TX")``, ``resolve_metro("austin")`` and
``resolve_metro("San Francisco Bay Area")`` each give a :class:`MetroMatch`; a name that fits
several metros equally ("Portland", "Springfield") raises :class:`AmbiguousPlace` listing them,
and an unknown one :class:`UnknownPlace`. Matches prefer the metros BLS OEWS publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from payatlas.normalize.geodata import Cbsa, geo, place_key
from payatlas.normalize.places import (
    NICKNAMES,
    AmbiguousPlace,
    UnknownPlace,
    rank,
    resolve_place,
)


@dataclass(frozen=True, slots=True)
class MetroMatch:
    """The metro a text names, how it was matched, and the other metros it may mean."""

    text: str
    metro: Cbsa
    matched_by: str  # "code" | "title" | "nickname" | "city"
    also: tuple[Cbsa, ...] = ()
    note: str = ""

    @property
    def cbsa(self) -> str:
        return self.metro.code

    @property
    def short_name(self) -> str:
        """The first principal city ("Austin" for "Austin-Round Rock-San Marcos, TX")."""
        return self.metro.principal_cities[0]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "cbsa": self.metro.code,
            "metro": self.metro.title,
            "kind": self.metro.kind,
            "official_statistics": self.metro.official,
            "matched_by": self.matched_by,
            "input": self.text,
            "also": [{"cbsa": c.code, "metro": c.title} for c in self.also],
            "note": self.note,
        }


@lru_cache(maxsize=1)
def _title_index() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """(title key -> code, "city st" key -> codes, city key -> codes), official metros first."""
    titles: dict[str, str] = {}
    city_state: dict[str, set[str]] = {}
    city: dict[str, set[str]] = {}
    for cbsa in sorted(geo().cbsas.values(), key=lambda c: not c.official):
        titles.setdefault(place_key(cbsa.title), cbsa.code)
        for name in cbsa.principal_cities:
            city.setdefault(place_key(name), set()).add(cbsa.code)
            for st in cbsa.states:
                city_state.setdefault(place_key(f"{name} {st}"), set()).add(cbsa.code)
    return titles, city_state, city


def _pick(text: str, codes: set[str], *, how: str) -> MetroMatch:
    ranked = rank(codes)
    official = tuple(c for c in ranked if c.official) or ranked
    if len(official) > 1 and how == "city":
        raise AmbiguousPlace(f"{text!r} names several metros", choices=official, field="metro")
    return MetroMatch(text=text, metro=official[0], matched_by=how)


@lru_cache(maxsize=4096)
def resolve_metro(text: str) -> MetroMatch:
    """The US metro ``text`` names (see the module docstring)."""
    raw = " ".join(str(text).split())
    key = place_key(raw)
    if not key:
        raise UnknownPlace("empty metro", field="metro")
    g = geo()
    if key.isdigit():
        if key in g.cbsas:
            return MetroMatch(text=raw, metro=g.cbsas[key], matched_by="code")
        raise UnknownPlace(f"no CBSA with code {raw!r}", field="metro")
    if key in NICKNAMES:
        first, *rest = (g.cbsas[c] for c in NICKNAMES[key])
        note = "also: " + "; ".join(c.title for c in rest) if rest else ""
        return MetroMatch(raw, first, "nickname", tuple(rest), note)
    titles, city_state, cities = _title_index()
    if key in titles:
        return MetroMatch(text=raw, metro=g.cbsas[titles[key]], matched_by="title")
    if "," in raw:
        place = resolve_place(raw)
        if place.metro is not None:
            return MetroMatch(raw, place.metro, "city", place.choices[1:], place.note)
        if key in city_state:
            return _pick(raw, city_state[key], how="title")
        raise UnknownPlace(f"{raw!r} is not in a US metro: {place.note}", field="metro")
    if key in cities:
        return _pick(raw, cities[key], how="city")
    codes = {
        m.code
        for st in g.states_by_city.get(key, ())
        if (m := resolve_place(f"{raw}, {st}").metro) is not None
    }
    if codes:
        return _pick(raw, codes, how="city")
    raise UnknownPlace(
        f"unknown metro {raw!r}; give a CBSA code, a metro title or 'City, ST'", field="metro"
    )
