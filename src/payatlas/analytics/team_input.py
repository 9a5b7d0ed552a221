"""Team-cost inputs: the team (TOML or CSV: role, level, headcount), candidate countries and
optional employer on-cost rates per country (a user-supplied TOML; none ship with PayAtlas).

Team TOML::

    [[line]]
    role = "ML Engineer"
    level = "senior"
    headcount = 2

Team CSV: a header ``role,level,headcount`` and one line per row.

On-costs TOML (rates are fractions of pay; ``source`` says where the rate comes from)::

    [DE]
    rate = 0.21
    source = "employer social security, 2025"
    US = 0.08      # a bare number is a rate without a source
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from payatlas.errors import InvalidInput, UnknownCountry
from payatlas.normalize.countries import country_name, to_alpha2
from payatlas.normalize.metros import MetroMatch, resolve_metro
from payatlas.normalize.places import UnknownPlace
from payatlas.normalize.titles import FAMILY_BY_SLUG, normalize_level, resolve_role

MAX_HEADCOUNT = 10_000


@dataclass(frozen=True, slots=True)
class TeamLine:
    """One line of a team: a role family at a level, with a headcount."""

    role: str  # role family slug
    level: str
    headcount: int

    @property
    def label(self) -> str:
        return f"{self.headcount} x {self.level} {FAMILY_BY_SLUG[self.role].label}"

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "level": self.level, "headcount": self.headcount}


@dataclass(frozen=True, slots=True)
class OnCost:
    """An employer on-cost rate (fraction of pay) for one country, with its source."""

    rate: float
    source: str | None = None


def team_line(
    role: Any, level: Any, headcount: Any, *, where: str = "", row: int | None = None
) -> TeamLine:
    """Validate one team line (role -> family, level -> canonical, headcount -> 1..10,000)."""
    if not isinstance(role, str) or not role.strip():
        raise InvalidInput("team line needs a role", file=where or None, row=row, field="role")
    try:
        lv = normalize_level(str(level) if level is not None else None)
    except InvalidInput as exc:
        raise InvalidInput(exc.reason, file=where or None, row=row, field="level") from None
    if lv is None:
        raise InvalidInput("team line needs a level", file=where or None, row=row, field="level")
    try:
        n = int(str(headcount).strip())
    except ValueError:
        raise InvalidInput(
            f"headcount {headcount!r} is not a whole number",
            file=where or None,
            row=row,
            field="headcount",
        ) from None
    if not 1 <= n <= MAX_HEADCOUNT:
        raise InvalidInput(
            f"headcount {n} is outside 1-{MAX_HEADCOUNT:,}",
            file=where or None,
            row=row,
            field="headcount",
        )
    try:
        family = resolve_role(role)
    except InvalidInput as exc:
        raise type(exc)(exc.reason, file=where or None, row=row, field="role") from None
    return TeamLine(family, lv, n)


def parse_team(items: Iterable[Mapping[str, Any] | TeamLine]) -> list[TeamLine]:
    """Team lines from dicts (``role``, ``level``, ``headcount``) or TeamLine objects."""
    out = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, TeamLine):
            out.append(item)
            continue
        unknown = set(item) - {"role", "level", "headcount"}
        if unknown:
            raise InvalidInput(
                f"unknown team field {sorted(unknown)[0]!r}", row=i, field=sorted(unknown)[0]
            )
        out.append(team_line(item.get("role"), item.get("level"), item.get("headcount", 1), row=i))
    if not out:
        raise InvalidInput("the team has no lines", field="team")
    return out


def load_team(path: Path | str) -> list[TeamLine]:
    """Read a team file: TOML (``[[line]]`` tables) or CSV (``role,level,headcount``)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"no team file at {p}", file=str(p))
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read team TOML: {exc}", file=str(p)) from exc
        lines = data.get("line", data.get("team"))
        if not isinstance(lines, list):
            raise InvalidInput("team TOML needs [[line]] tables", file=str(p))
        return _with_file(lines, p)
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        if not {"role", "level"} <= set(header):
            raise InvalidInput("team CSV needs columns role, level, headcount", file=str(p))
        rows = [{k.strip().lower(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    return _with_file([r for r in rows if any(r.values())], p)


def _with_file(lines: list[Any], p: Path) -> list[TeamLine]:
    try:
        return parse_team(lines)
    except InvalidInput as exc:
        raise type(exc)(exc.reason, file=str(p), row=exc.row, field=exc.field) from None


def parse_countries(values: Iterable[str] | str, *, field: str = "countries") -> list[str]:
    """Countries from repeated options and/or comma lists -> unique alpha-2 codes, in order.
    Errors name ``field`` (``countries``, or ``baseline`` for the baseline country)."""
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for part in item.split(","):
            if part.strip():
                try:
                    code = to_alpha2(part.strip())
                except InvalidInput as exc:
                    raise type(exc)(exc.reason, field=field) from None
                if code not in out:
                    out.append(code)
    if not out:
        raise InvalidInput("name at least one country", field=field)
    return out


@dataclass(frozen=True, slots=True)
class TeamPlace:
    """A candidate place of a team: a country, or a US metro (``metro`` set, country US)."""

    country: str
    metro: MetroMatch | None = None

    @property
    def key(self) -> str:
        """``DE``, or ``US-12420`` for a metro."""
        return self.country if self.metro is None else f"US-{self.metro.cbsa}"

    @property
    def name(self) -> str:
        return country_name(self.country) if self.metro is None else self.metro.metro.title


def _two_letters(text: str) -> bool:
    return len(text) == 2 and text.isalpha()


def parse_places(values: Iterable[str] | str, *, field: str = "countries") -> list[TeamPlace]:
    """Candidate places from repeated options and/or comma lists: countries (any spelling) and
    US metros as :func:`payatlas.normalize.metros.resolve_metro` reads them ("Austin, TX", a
    CBSA code such as 12420, a metro title or nickname). "City, ST" stays one place inside a comma
    list. Unique by country / CBSA, in order. Errors name ``field``."""
    items = [values] if isinstance(values, str) else list(values)
    out: list[TeamPlace] = []
    for item in items:
        parts = [p.strip() for p in item.split(",") if p.strip()]
        i = 0
        while i < len(parts):
            part, place = parts[i], None
            try:
                place = TeamPlace(to_alpha2(part))
            except UnknownCountry as exc:
                nxt = parts[i + 1] if i + 1 < len(parts) else ""
                tries = ([f"{part}, {nxt}"] if _two_letters(nxt) else []) + [part]
                for text in tries:
                    try:
                        place = TeamPlace("US", resolve_metro(text))
                    except UnknownPlace:
                        continue
                    except InvalidInput as amb:  # several metros: the choices, on the field
                        amb.field = field  # its type (ambiguous_place) kept
                        amb.args = (amb._message(),)
                        raise
                    i += text.count(",")
                    break
                if place is None:
                    raise UnknownCountry(
                        f"{exc.reason}; a place is a country or a US metro ('Austin, TX', a "
                        "CBSA code or a metro title)",
                        field=field,
                    ) from None
            if all(place.key != p.key for p in out):
                out.append(place)
            i += 1
    if not out:  # only blanks and commas: no place named (typed like an unknown place name)
        raise UnknownCountry("name at least one country or US metro", field=field)
    return out


def load_on_costs(path: Path | str) -> dict[str, OnCost]:
    """Read a user's on-cost TOML: country -> rate (fraction of pay, 0-2) and its source."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read on-costs TOML: {exc}", file=str(p)) from exc
    return parse_on_costs(data, where=str(p))


def parse_on_costs(data: Mapping[str, Any], *, where: str | None = None) -> dict[str, OnCost]:
    """On-cost rates from a mapping (see the module docstring for the layout)."""
    out: dict[str, OnCost] = {}
    for key, value in data.items():
        code = to_alpha2(key)
        if isinstance(value, Mapping):
            rate, source = value.get("rate"), value.get("source")
        else:
            rate, source = value, None
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 2:
            raise InvalidInput(
                f"on-cost rate for {code} must be a fraction 0-2 (got {rate!r})",
                file=where,
                field=key,
            )
        out[code] = OnCost(float(rate), str(source) if source else None)
    return out
