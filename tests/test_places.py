"""Places -> metros: "City, ST" -> county -> CBSA, spelling variants, ambiguity, metros by name,
code or city, non-US cities at country level (payatlas.normalize.places / metros)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from payatlas.normalize.geodata import geo, place_key
from payatlas.normalize.metros import resolve_metro
from payatlas.normalize.places import (
    AmbiguousPlace,
    UnknownPlace,
    resolve_place,
    resolve_places,
    us_state,
)

FIXTURE = Path(__file__).parent / "fixtures" / "postings_us_city_st_locations.csv"


def test_postings_us_city_state_locations_resolve_to_a_cbsa() -> None:
    # the distinct "City, ST" locations of the 2023 postings file, with their posting counts
    with FIXTURE.open(encoding="utf-8") as fh:
        rows = [(r["job_location"], int(r["postings"])) for r in csv.DictReader(fh)]
    us = [(loc, n) for loc, n in rows if us_state(loc.rsplit(",", 1)[1])]
    assert len(us) > 1900 and sum(n for _, n in us) > 20000
    places = resolve_places(loc for loc, _ in us)
    resolved = sum(n for loc, n in us if places[loc].cbsa is not None)
    share = resolved / sum(n for _, n in us)
    assert share >= 0.97, f"only {share:.1%} of US City, ST postings reach a CBSA"
    # every US place is kept in the US, whatever happened to its metro
    assert all(places[loc].country == "US" for loc, _ in us)


@pytest.mark.parametrize(
    ("text", "cbsa"),
    [
        ("Austin, TX", "12420"),
        ("St. Louis, MO", "41180"),
        ("Saint Louis, MO", "41180"),
        ("ST LOUIS, mo", "41180"),
        ("Ft. Worth, TX", "19100"),
        ("Fort Worth, TX", "19100"),
        ("Mt. Pleasant, SC", "16700"),
        ("Washington, DC", "47900"),
        ("Atlanta, Georgia", "12060"),
        ("Seattle, WA, United States", "42660"),
        ("Trenton, NJ", "45940"),  # its own metro, though ZIPs reach Philadelphia's counties
        ("Kenosha, WI", "28450"),  # a county that left Chicago's metro in 2023
        ("Waterbury, CT", "47930"),  # a Connecticut planning region that became a metro
        ("Cleveland, OH", "17410"),  # renamed code, 2017 -> 2023
    ],
)
def test_city_state_reaches_its_metro(text: str, cbsa: str) -> None:
    place = resolve_place(text)
    assert place.level == "metro"
    assert place.cbsa == cbsa
    assert place.metro is not None and place.metro.official


def test_spelling_variants_share_a_key() -> None:
    assert place_key("St. Mary's") == place_key("saint marys") == "saint marys"
    assert place_key("Ft. Myers") == place_key("Fort Myers")
    assert place_key("Mt. Vernon") == place_key("Mount Vernon")
    assert place_key("Bogotá") == "bogota"


def test_an_ambiguous_place_is_flagged_with_its_choices() -> None:
    place = resolve_place("Los Gatos, CA")
    assert "ambiguous" in place.flags
    assert {c.code for c in place.choices} == {"41940", "42100"}
    assert place.cbsa == place.choices[0].code
    georgia = resolve_place("Georgia")
    assert georgia.level == "state" and georgia.state == "GA" and "ambiguous" in georgia.flags


def test_non_us_cities_keep_the_city_and_say_country_level() -> None:
    berlin = resolve_place("Berlin, Germany")
    assert (berlin.level, berlin.country, berlin.city) == ("country", "DE", "Berlin")
    assert "country_level" in berlin.flags and "country-level" in berlin.note
    toronto = resolve_place("Toronto, ON, Canada")
    assert (toronto.country, toronto.city, toronto.cbsa) == ("CA", "Toronto", None)
    assert resolve_place("Tbilisi, Georgia").country == "GE"
    assert resolve_place("Anywhere").level == "remote"
    assert resolve_place("Texas").state == "TX"
    assert resolve_place("Nowhere Land, ZZ").level == "unknown"


def test_a_place_outside_every_cbsa_keeps_its_county() -> None:
    place = resolve_place("Burnsville, NC")
    assert place.level == "city" and place.cbsa is None and "outside_cbsa" in place.flags
    assert place.county


@pytest.mark.parametrize(
    ("text", "cbsa", "how"),
    [
        ("12420", "12420", "code"),
        ("Austin, TX", "12420", "city"),
        ("Austin", "12420", "city"),
        ("Austin-Round Rock-San Marcos, TX", "12420", "title"),
        ("San Francisco Bay Area", "41860", "nickname"),
        ("San Francisco, CA", "41860", "city"),
        ("silicon valley", "41940", "nickname"),
    ],
)
def test_metros_by_code_title_nickname_or_city(text: str, cbsa: str, how: str) -> None:
    match = resolve_metro(text)
    assert (match.cbsa, match.matched_by) == (cbsa, how)


def test_the_bay_area_names_its_other_metro() -> None:
    match = resolve_metro("San Francisco Bay Area")
    assert [c.code for c in match.also] == ["41940"]
    assert "San Jose" in match.note


def test_ambiguous_and_unknown_metros_are_typed_errors() -> None:
    with pytest.raises(AmbiguousPlace) as err:
        resolve_metro("Portland")
    assert {c.code for c in err.value.choices} == {"38900", "38860"}
    assert "38900" in str(err.value)
    with pytest.raises(UnknownPlace):
        resolve_metro("99999")
    with pytest.raises(UnknownPlace):
        resolve_metro("Atlantis, ZZ")


def test_every_oews_metro_is_reachable_by_its_code_and_title() -> None:
    official = [c for c in geo().cbsas.values() if c.official]
    assert len(official) == 393
    for cbsa in official:
        assert resolve_metro(cbsa.title).cbsa == cbsa.code


def test_lookups_are_built_once() -> None:
    geo()
    start = time.perf_counter()
    for _ in range(3):
        assert geo() is geo()
    places = resolve_places(["Austin, TX", "Boston, MA", "Austin, TX", None])
    assert set(places) == {"Austin, TX", "Boston, MA"}
    assert time.perf_counter() - start < 0.5
