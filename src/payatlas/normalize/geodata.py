"""The US geography tables behind place resolution, loaded once per process (cached).

Three bundled files (``payatlas/data``, gzip copies of the originals):

- ``us_cities_states_counties.csv.gz``: US place names -> state and county (one row per alias;
  a place can lie in several counties). "USA-cities-and-states" (grammakov), CC0.
- ``cbsa_county_crosswalk_2017.csv.gz``: county -> core-based statistical area (CBSA), 2017
  delineation. U.S. Census Bureau / OMB, public domain.
- ``oews_msa_may2025_pctiles.csv.gz`` (employment only, to rank a place's choices) and
  ``bea_rpp_2024_by_metro.csv.gz``: the 393 metros of BLS OEWS May 2025 (2023 delineation) with
  BEA regional price parities and coordinates. BLS / BEA, public domain.

OEWS May 2025 uses the 2023 delineation; 383 of its metros keep their 2017 code. The other ten are
reached through :data:`RENAMED` (same counties, new code) and :data:`COUNTY_MOVES` /
:data:`CITY_MOVES` (counties or towns that moved into a new metro), a reviewed table.
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from payatlas.bundled import data_dir

CITIES_FILE = "us_cities_states_counties.csv.gz"
CROSSWALK_FILE = "cbsa_county_crosswalk_2017.csv.gz"
METROS_FILE = "bea_rpp_2024_by_metro.csv.gz"
OEWS_FILE = "oews_msa_may2025_pctiles.csv.gz"

#: 2017 CBSA code -> 2023 code (OEWS May 2025), where the metro kept its counties
RENAMED: dict[str, str] = {
    "17460": "17410",  # Cleveland-Elyria, OH -> Cleveland, OH
    "19380": "19430",  # Dayton-Kettering, OH -> Dayton-Kettering-Beavercreek, OH
    "15680": "30500",  # California-Lexington Park, MD -> Lexington Park, MD
    "39140": "39150",  # Prescott, AZ -> Prescott Valley-Prescott, AZ
    "45540": "48680",  # The Villages, FL -> Wildwood-The Villages, FL
}
#: (state, county key) -> 2023 CBSA: counties that left their 2017 metro for a new one
COUNTY_MOVES: dict[tuple[str, str], str] = {
    ("MA", "hampshire"): "11200",  # from Springfield, MA
    ("WI", "kenosha"): "28450",  # from Chicago-Naperville-Elgin
    ("LA", "saint tammany"): "43640",  # from New Orleans-Metairie
    ("NY", "dutchess"): "28880",  # from New York-Newark-Jersey City
    ("NY", "orange"): "28880",  # from New York-Newark-Jersey City
}
#: (state, city key) -> 2023 CBSA: towns of a Connecticut planning region that became a metro
CITY_MOVES: dict[tuple[str, str], str] = {
    ("CT", key): "47930"  # Waterbury-Shelton, CT (Naugatuck Valley planning region)
    for key in ("waterbury", "shelton", "naugatuck", "ansonia", "derby", "seymour",
                "beacon falls", "cheshire", "middlebury", "oxford", "prospect", "southbury",
                "thomaston", "watertown", "wolcott", "woodbury", "bethlehem", "oakville")
}  # fmt: skip

#: (state, place key) -> county key: real places the cities file lacks (townships, new cities,
#: unincorporated towns, renamed bases), reviewed by hand against the Census county lists
PLACE_COUNTIES: dict[tuple[str, str], str] = {
    ("NJ", "bernards"): "somerset",
    ("NJ", "hanover"): "morris",
    ("MD", "suitland silver hill"): "prince georges",
    ("MD", "patuxent"): "saint marys",
    ("GA", "brookhaven"): "dekalb",
    ("NY", "the bronx"): "bronx",
    ("NV", "spring valley"): "clark",
    ("NV", "winchester"): "clark",
    ("NV", "paradise"): "clark",
    ("NV", "enterprise"): "clark",
    ("MS", "john c stennis space center"): "hancock",
    ("NC", "fort liberty"): "cumberland",
    ("AL", "fort novosel"): "dale",
    ("CA", "vandenberg space force base"): "santa barbara",
    ("NM", "south valley"): "bernalillo",
    ("FL", "university"): "hillsborough",
    ("NC", "woodland hills"): "buncombe",
}
_TOKEN_VARIANTS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}
_PUNCT = str.maketrans(
    {c: " " for c in '!"#$%()*+,-./:;<=>?@[\\]^_`{|}~'} | {"'": None, "\u2019": None}
)
_COUNTY_SUFFIX = re.compile(
    r"\s+(county|parish|borough|census area|city and borough|municipio|municipality)$"
)


@lru_cache(maxsize=131072)
def place_key(text: str) -> str:
    """A comparison key for a place name: case, accents and punctuation dropped, and the usual
    abbreviations spelled out ("St."/"Saint", "Ft."/"Fort", "Mt."/"Mount", "Pt."/"Point")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    tokens = text.lower().replace("&", " and ").translate(_PUNCT).split()
    return " ".join(_TOKEN_VARIANTS.get(t, t) for t in tokens)


@lru_cache(maxsize=16384)
def county_key(text: str) -> str:
    """A county's key without its kind ("Orleans Parish" -> "orleans"); Virginia's independent
    cities keep "city" ("Richmond city" differs from "Richmond County")."""
    return _COUNTY_SUFFIX.sub("", place_key(text))


@dataclass(frozen=True, slots=True)
class Cbsa:
    """A core-based statistical area: code, title, metropolitan or micropolitan, and whether
    BLS OEWS May 2025 publishes it (``official``)."""

    code: str
    title: str
    kind: str  # "metropolitan" | "micropolitan"
    official: bool
    lat: float | None = None
    lng: float | None = None
    rpp: float | None = None
    tech_jobs: int = 0  # employment in the 21 OEWS tech occupations, May 2025 (ranks choices)

    @property
    def states(self) -> tuple[str, ...]:
        """The state codes in the title ("Chicago-Naperville-Elgin, IL-IN-WI" -> IL, IN, WI)."""
        return tuple(self.title.rsplit(",", 1)[-1].strip().split("-"))

    @property
    def principal_cities(self) -> tuple[str, ...]:
        """The principal cities named in the title."""
        return tuple(c.strip() for c in self.title.rsplit(",", 1)[0].split("-"))


@dataclass(slots=True)
class Geo:
    """The lookup tables (built once by :func:`geo`)."""

    state_names: dict[str, str] = field(default_factory=dict)  # code -> full name
    state_codes: dict[str, str] = field(default_factory=dict)  # name key -> code
    cities: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    aliases: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    compact: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    city_names: dict[tuple[str, str], str] = field(default_factory=dict)
    county_cbsa: dict[tuple[str, str], str] = field(default_factory=dict)
    cbsas: dict[str, Cbsa] = field(default_factory=dict)
    states_by_city: dict[str, frozenset[str]] = field(default_factory=dict)


def _rows(name: str, *, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with gzip.open(data_dir() / name, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter=delimiter)


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


@lru_cache(maxsize=1)
def geo() -> Geo:
    """Build every lookup table once (about 0.3 s); later calls return the same object."""
    g = Geo()
    cities: dict[tuple[str, str], set[str]] = {}
    aliases: dict[tuple[str, str], set[str]] = {}
    with gzip.open(data_dir() / CITIES_FILE, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="|")
        next(reader)
        seen: set[tuple[str, ...]] = set()
        for line in reader:
            if len(line) != 5 or not line[3] or (tup := tuple(line)) in seen:
                continue
            seen.add(tup)
            city_name, state, state_full, county, alias_name = line
            g.state_names[state] = state_full
            ckey = county_key(county)
            city = place_key(city_name)
            cities.setdefault((state, city), set()).add(ckey)
            if (state, city) not in g.city_names:
                g.city_names[(state, city)] = city_name
            alias = place_key(alias_name)
            if alias != city:
                aliases.setdefault((state, alias), set()).add(ckey)
    g.cities = {k: frozenset(v) for k, v in cities.items()}
    g.aliases = {k: frozenset(v) for k, v in aliases.items() if k not in cities}
    for key in (*g.cities, *g.aliases):
        g.compact.setdefault((key[0], key[1].replace(" ", "")), key)
    g.state_codes = {place_key(name): code for code, name in g.state_names.items()}
    g.state_codes.update({code.lower(): code for code in g.state_names})
    by_city: dict[str, set[str]] = {}
    for state, city in g.cities:
        by_city.setdefault(city, set()).add(state)
    g.states_by_city = {k: frozenset(v) for k, v in by_city.items()}

    jobs: dict[str, int] = {}
    for row in _rows(OEWS_FILE):
        jobs[row["cbsa"]] = jobs.get(row["cbsa"], 0) + int(float(row["tot_emp"] or 0))
    for row in _rows(METROS_FILE):
        g.cbsas[row["cbsa"]] = Cbsa(
            code=row["cbsa"],
            title=row["metro_name"],
            kind="metropolitan",
            official=True,
            lat=_float(row["lat"]),
            lng=_float(row["lng"]),
            rpp=_float(row["rpp_all_items_2024_us100"]),
            tech_jobs=jobs.get(row["cbsa"], 0),
        )
    name_to_code = {name: code for code, name in g.state_names.items()}
    name_to_code["District of Columbia"] = "DC"  # the cities file says "Washington, D.C."
    g.state_codes["district of columbia"] = "DC"
    for row in _rows(CROSSWALK_FILE):
        code = RENAMED.get(row["cbsacode"], row["cbsacode"])
        state = name_to_code.get(row["statename"], "")
        ckey = county_key(row["countycountyequivalent"])
        g.county_cbsa[(state, ckey)] = COUNTY_MOVES.get((state, ckey), code)
        if code not in g.cbsas:
            kind = row["metropolitanmicropolitanstatis"].split()[0].lower()
            g.cbsas[code] = Cbsa(code=code, title=row["cbsatitle"], kind=kind, official=False)
    return g
