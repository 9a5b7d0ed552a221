"""Countries: any name, alpha-2, alpha-3 or common alias -> ISO 3166-1 alpha-2; regions.

The region map is the one used everywhere (benchmarks, shrinkage, premiums, fairness).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from payatlas.errors import UnknownCountry

ALIASES: dict[str, str] = {
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states": "US",
    "america": "US",
    "united states of america": "US",
    "us": "US",
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "deutschland": "DE",
    "holland": "NL",
    "the netherlands": "NL",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "vietnam": "VN",
    "viet nam": "VN",
    "iran": "IR",
    "taiwan": "TW",
    "uae": "AE",
    "u.a.e.": "AE",
    "emirates": "AE",
    "españa": "ES",
    "espana": "ES",
    "méxico": "MX",
    "brasil": "BR",
    "schweiz": "CH",
    "suisse": "CH",
    "österreich": "AT",
    "osterreich": "AT",
    "polska": "PL",
    "italia": "IT",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "laos": "LA",
    "syria": "SY",
    "hong kong": "HK",
    "macau": "MO",
    "ivory coast": "CI",
    "côte d'ivoire": "CI",
    "cote d'ivoire": "CI",
    "kosovo": "XK",
    "bharat": "IN",
    "nippon": "JP",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "éire": "IE",
    "eire": "IE",
    "new york": "US",
    "california": "US",
    "london": "GB",
    "bengaluru": "IN",
    "bangalore": "IN",
    "berlin": "DE",
    "munich": "DE",
    "paris": "FR",
    "toronto": "CA",
    "amsterdam": "NL",
    "warsaw": "PL",
    "dubai": "AE",
}
#: reviewed variants and former names seen in real files (pycountry knows the ISO names; these
#: are the spellings people write), checked one by one against ISO 3166-1
ALIASES.update({
    "u.s": "US", "u.s.a": "US", "u.k": "GB", "u.a.e": "AE", "u.s>": "US",
    "u.s. virgin islands": "VI", "us virgin islands": "VI", "usvi": "VI",
    "virgin islands (u.s.)": "VI", "british virgin islands": "VG", "bvi": "VG",
    "macedonia": "MK", "macedonia (fyrom)": "MK", "fyrom": "MK", "republic of macedonia": "MK",
    "luxemburg": "LU", "aotearoa new zealand": "NZ", "aotearoa": "NZ", "new zealand aotearoa": "NZ",
    "burma": "MM", "swaziland": "SZ", "cape verde": "CV", "east timor": "TL", "zaire": "CD",
    "dr congo": "CD", "drc": "CD", "democratic republic of the congo": "CD",
    "republic of the congo": "CG", "congo-brazzaville": "CG", "congo-kinshasa": "CD",
    "bahamas": "BS", "the bahamas": "BS", "gambia": "GM", "the gambia": "GM",
    "palestine": "PS", "vatican": "VA", "vatican city": "VA", "micronesia": "FM",
    "brunei": "BN", "north korea": "KP", "south korea (republic of korea)": "KR",
    "bosnia": "BA", "bosnia & herzegovina": "BA", "trinidad & tobago": "TT",
    "antigua & barbuda": "AG", "st kitts and nevis": "KN", "st lucia": "LC",
    "st vincent and the grenadines": "VC", "hong kong sar": "HK", "macao sar": "MO",
    "republic of ireland": "IE", "ireland (republic of)": "IE", "the philippines": "PH",
    "phillipines": "PH", "phillippines": "PH", "columbia": "CO", "argentinia": "AR",
    "the united states": "US", "united states (us)": "US", "unites states": "US",
    "united sates": "US", "united state": "US", "united stated": "US", "usa.": "US",
    "the uk": "GB", "united kingdom (uk)": "GB", "great britain (uk)": "GB",
    "the united kingdom": "GB", "uk (england)": "GB", "england, uk": "GB",
    "czech": "CZ", "slovak republic": "SK", "kyrgyz republic": "KG", "lao pdr": "LA",
    "russian federation": "RU", "korea, south": "KR",
    "uae (dubai)": "AE", "the netherlands (holland)": "NL", "nederland": "NL",
    "belgique": "BE", "belgië": "BE", "sverige (sweden)": "SE", "danmark (denmark)": "DK",
    "congo, democratic republic of the": "CD", "congo, republic of the": "CG",
    "curacao": "CW", "curaçao": "CW", "reunion": "RE", "réunion": "RE",
})  # fmt: skip

REGIONS: dict[str, str] = {
    "north_america": "North America",
    "western_europe": "Western Europe",
    "eastern_europe": "Eastern Europe",
    "latin_america": "Latin America",
    "south_asia": "South Asia",
    "east_asia": "East Asia",
    "middle_east_africa": "Middle East & Africa",
    "oceania": "Oceania",
}

_REGION_MEMBERS: dict[str, str] = {
    "north_america": "US CA GL BM PM UM",
    "western_europe": (
        "GB IE FR DE NL BE LU CH AT IT ES PT DK SE NO FI IS MT CY GR MC LI AD SM VA GI GG JE IM "
        "FO AX SJ"
    ),
    "eastern_europe": (
        "PL CZ SK HU RO BG HR SI RS BA ME MK AL XK EE LV LT UA BY MD RU GE AM AZ KZ UZ KG TJ TM"
    ),
    "latin_america": (
        "MX BR AR CL CO PE EC VE BO PY UY CR PA GT HN SV NI CU DO PR JM TT BS BB HT BZ GY SR "
        "GF AG DM GD KN LC VC AW CW SX BQ KY TC VG VI AI MS GP MQ BL MF FK"
    ),
    "south_asia": "IN PK BD LK NP BT MV AF",
    "east_asia": "CN JP KR KP TW HK MO MN SG MY TH VN PH ID KH LA MM BN TL",
    "middle_east_africa": (
        "AE SA QA KW BH OM YE IL PS JO LB SY IQ IR TR EG LY TN DZ MA SD SS ET ER DJ SO KE UG TZ "
        "RW BI CD CG GA CM CF TD NE NG GH CI LR SL GN GW SN GM ML BF BJ TG MR CV ZA NA BW ZW "
        "ZM MW MZ MG MU SC KM AO LS SZ GQ ST RE YT SH EH IO"
    ),
    "oceania": "AU NZ FJ PG SB VU WS TO KI TV NR FM MH PW NC PF AS GU MP CK NU TK WF PN NF CX CC",
}
REGION_OF: dict[str, str] = {
    code: region for region, members in _REGION_MEMBERS.items() for code in members.split()
}

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def to_alpha2(value: str) -> str:
    """Resolve a country name/code/alias (or a "City, Country" location) to alpha-2.

    Raises :class:`UnknownCountry` when nothing matches.
    """
    text = _SPACE.sub(" ", str(value)).strip()
    if not text:
        raise UnknownCountry("missing country", field="country")
    found = _lookup(text)
    if found is None and "," in text:  # "Berlin, Germany" / "Austin, TX, United States"
        # only the last part names the country; "City, ST" is a US state or Canadian province
        last = [p.strip() for p in text.split(",") if p.strip()][-1]
        found = _subdivision_country(last) if len(last) == 2 else None
        found = found or _lookup(last)
    if found is None:
        raise UnknownCountry(f"unknown country {value!r}", field="country")
    return found


#: every ISO 3166-1 country's name, official name and common name (lower case) -> alpha-2
_NAMES: dict[str, str] = {
    str(getattr(c, attr)).lower(): str(c.alpha_2)
    for c in pycountry.countries
    for attr in ("name", "official_name", "common_name")
    if getattr(c, attr, None)
}


def _lookup(text: str) -> str | None:
    """:func:`_exact`, then the same for plain variants: without "the", "&" as "and", "St."
    as "Saint", without a bracketed note ("Macedonia (FYROM)" -> "Macedonia")."""
    found = _exact(text)
    if found is not None:
        return found
    low = text.lower().strip(" .")
    variants = [
        re.sub(r"^the\s+", "", low),
        low.replace("&", "and"),
        re.sub(r"\bst\.?\s", "saint ", low),
        re.sub(r"\s*\([^()]*\)\s*", " ", low).strip(),
    ]
    for v in variants:
        if v and v != low:
            found = _exact(_SPACE.sub(" ", v))
            if found is not None:
                return found
    return None


def _exact(text: str) -> str | None:
    """Exact matches only: an alias, an alpha-2 or alpha-3 code, or a country's name (any case).

    No fuzzy matching and no numeric ISO codes: "none" is not Italy, "0" or "12" not Sweden,
    "100" not Bulgaria. A value that is not a country is unknown, and the caller says so."""
    low = text.lower().strip(" .")
    if low in ALIASES:
        return ALIASES[low]
    if any(ch.isdigit() for ch in text):
        return None
    if len(text) == 2 and text.isalpha():
        hit = pycountry.countries.get(alpha_2=text.upper())
        return hit.alpha_2 if hit else ("XK" if text.upper() == "XK" else None)
    if len(text) == 3 and text.isalpha():
        hit = pycountry.countries.get(alpha_3=text.upper())
        if hit:
            return str(hit.alpha_2)
    return _NAMES.get(low)


def _subdivision_country(code: str) -> str | None:
    """ "CA" after a city means California: US states, then Canadian provinces."""
    for country in ("US", "CA"):
        if pycountry.subdivisions.get(code=f"{country}-{code.upper()}"):
            return country
    return None


def region_of(alpha2: str) -> str:
    """Region slug of a country (every ISO country is listed; an unknown code falls back to
    ``"middle_east_africa"``)."""
    return REGION_OF.get(alpha2.upper(), "middle_east_africa")


def country_name(alpha2: str) -> str:
    """A readable country name for an alpha-2 code."""
    hit = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(getattr(hit, "common_name", None) or hit.name) if hit else alpha2


@lru_cache(maxsize=512)
def local_currency(alpha2: str) -> str:
    """The main currency of a country (ISO 4217), via Babel's territory data; USD when unknown."""
    from babel.numbers import get_territory_currencies

    try:
        found = get_territory_currencies(alpha2.upper(), tender=True, non_tender=False)
    except Exception:  # unknown territory
        return "USD"
    return found[0] if found else "USD"
