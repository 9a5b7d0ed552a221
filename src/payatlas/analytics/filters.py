"""Slices: which survey records a figure is computed from, and the fields it can be grouped by.

A :class:`Slice` uses the profile's field names (``role``, ``level``, ``country``, ...). Every
value is validated and normalised on construction (``role`` -> role family slug via
``resolve_role``, ``country`` -> ISO alpha-2, ``remote`` -> band); unknown fields raise
:class:`~payatlas.errors.InvalidInput` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from payatlas.errors import EmptyStore, InvalidInput, UnknownVersion
from payatlas.normalize.countries import REGIONS, to_alpha2
from payatlas.normalize.titles import normalize_level, scoped_role
from payatlas.store import Store

#: remote share (0-100) -> band, as the aijobs survey defines it (<20% on-site, >80% remote)
REMOTE_BANDS: tuple[str, ...] = ("on-site", "hybrid", "remote")
REMOTE_BAND_SQL = (
    "CASE WHEN remote_ratio IS NULL THEN 'unknown' WHEN remote_ratio < 20 THEN 'on-site' "
    "WHEN remote_ratio <= 80 THEN 'hybrid' ELSE 'remote' END"
)

#: ``--by`` fields -> SQL expression over ``records``
BY_FIELDS: dict[str, str] = {
    "role_family": "role_family",
    "level": "coalesce(level, 'unknown')",
    "country": "country",
    "region": "region",
    "company_size": "coalesce(company_size, 'unknown')",
    "remote": REMOTE_BAND_SQL,
    "employment_type": "employment_type",
    "year": "pay_year",
}
BY_ALIASES: dict[str, str] = {"role": "role_family", "pay_year": "year", "remote_band": "remote"}
MAX_BY = 2

COMPANY_SIZES = ("S", "M", "L")
EMPLOYMENT_TYPES = ("FT", "PT", "CT", "FL")
_SIZE_WORDS = {"small": "S", "medium": "M", "large": "L"}
_REMOTE_WORDS = {
    "onsite": "on-site",
    "on-site": "on-site",
    "on site": "on-site",
    "office": "on-site",
    "in-office": "on-site",
    "hybrid": "hybrid",
    "remote": "remote",
    "full remote": "remote",
}
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|:|\.\.|to)\s*(\d{4})\s*$")


def remote_band(value: str | int | None) -> str | None:
    """A remote value (0-100 share or a word) -> ``on-site`` | ``hybrid`` | ``remote``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"unknown remote value {value!r}", field="remote")
    text = str(value).strip().lower()
    if text in _REMOTE_WORDS:
        return _REMOTE_WORDS[text]
    try:
        share = float(text.rstrip("%"))
    except ValueError:
        raise InvalidInput(
            f"unknown remote value {value!r}; use on-site, hybrid, remote or a share 0-100",
            field="remote",
        ) from None
    if not 0 <= share <= 100:
        raise InvalidInput(f"remote share {value!r} is outside 0-100", field="remote")
    return "on-site" if share < 20 else "hybrid" if share <= 80 else "remote"


def parse_year(value: str | int | tuple[int, int] | list[int] | None) -> tuple[int, int] | None:
    """``2024``, ``"2023-2024"``, ``"2023:2024"`` or ``(2023, 2024)`` -> (first, last)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise InvalidInput(f"year range {value!r} needs two years", field="year")
        lo, hi = (int(v) for v in value)
    elif isinstance(value, int) and not isinstance(value, bool):
        lo = hi = value
    elif isinstance(value, str):
        match = _YEAR_RANGE.match(value)
        if match:
            lo, hi = int(match.group(1)), int(match.group(2))
        elif value.strip().isdigit():
            lo = hi = int(value.strip())
        else:
            raise InvalidInput(f"cannot read year {value!r}; use 2024 or 2023-2024", field="year")
    else:
        raise InvalidInput(f"cannot read year {value!r}", field="year")
    if not (1990 <= lo <= 2100 and 1990 <= hi <= 2100) or lo > hi:
        raise InvalidInput(f"invalid year range {lo}-{hi}", field="year")
    return lo, hi


def _region(value: str) -> str:
    key = re.sub(r"[^a-z]+", "_", value.strip().lower().replace("&", "_")).strip("_")
    for slug, label in REGIONS.items():
        label_key = re.sub(r"[^a-z]+", "_", label.lower().replace("&", "_")).strip("_")
        if key in (slug, label_key):
            return slug
    raise InvalidInput(
        f"unknown region {value!r}; use one of: {', '.join(REGIONS)}", field="region"
    )


def _choice(value: str, allowed: tuple[str, ...], field: str, words: Mapping[str, str]) -> str:
    text = value.strip()
    upper = text.upper()
    if upper in allowed:
        return upper
    if text.lower() in words:
        return words[text.lower()]
    raise InvalidInput(f"unknown {field} {value!r}; use one of {', '.join(allowed)}", field=field)


@dataclass(frozen=True, slots=True)
class Slice:
    """Which survey records to use. All fields optional; values are normalised on creation.

    ``distinct=True`` drops exact duplicates of earlier rows (``is_duplicate``); the default
    keeps all rows. ``exclude_outliers`` (default True) drops rows the ingest flagged as outliers.
    ``version`` pins a dataset version (default: the latest).
    """

    role: str | None = None
    level: str | None = None
    country: str | None = None
    region: str | None = None
    company_size: str | None = None
    remote: str | int | None = None
    employment_type: str | None = None
    year: tuple[int, int] | int | str | None = None
    version: int | None = None
    distinct: bool = False
    exclude_outliers: bool = True

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        if self.role is not None:
            put("role", scoped_role(self.role))
        if self.level is not None:
            try:
                put("level", normalize_level(self.level))
            except InvalidInput as exc:  # named after the slice's field, not the ingest column
                raise type(exc)(exc.reason, field="level") from None
        if self.country is not None:
            put("country", to_alpha2(self.country))
        if self.region is not None:
            put("region", _region(self.region))
        if self.company_size is not None:
            put(
                "company_size",
                _choice(self.company_size, COMPANY_SIZES, "company_size", _SIZE_WORDS),
            )
        if self.remote is not None:
            put("remote", remote_band(self.remote))
        if self.employment_type is not None:
            put(
                "employment_type",
                _choice(self.employment_type, EMPLOYMENT_TYPES, "employment_type", {}),
            )
        put("year", parse_year(self.year))
        if self.version is not None and (isinstance(self.version, bool) or int(self.version) < 1):
            raise InvalidInput(f"invalid dataset version {self.version!r}", field="version")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Slice:
        """Build from a mapping (API query, JSON); unknown keys raise InvalidInput naming them."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise InvalidInput(
                    f"unknown filter {key!r}; use one of: {', '.join(sorted(known))}", field=key
                )
        return cls(**{k: v for k, v in data.items() if v is not None})

    def filters(self) -> dict[str, Any]:
        """The filters that are set (JSON-ready), for saying what a figure is computed from."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("distinct", "exclude_outliers") or value is None:
                continue
            if f.name == "year":
                lo, hi = self.years or (0, 0)
                value = str(lo) if lo == hi else f"{lo}-{hi}"
            out[f.name] = value
        return out

    @property
    def years(self) -> tuple[int, int] | None:
        """The pay-year range (first, last), or None."""
        return parse_year(self.year)

    @property
    def row_policy(self) -> str:
        """``all rows`` or ``distinct rows`` (exact duplicates of earlier rows dropped)."""
        return "distinct rows" if self.distinct else "all rows"

    def replace(self, **changes: Any) -> Slice:
        """A copy with some fields changed (values are validated again)."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        return Slice(**current)


def resolve_version(store: Store, slice_: Slice) -> int:
    """The dataset version a slice reads (latest when unset); raises for an empty store."""
    latest = store.latest_version()
    if latest is None:
        raise EmptyStore("the store is empty: run `payatlas init` or `payatlas ingest FILE`")
    if slice_.version is None:
        return latest
    if slice_.version > latest:
        raise UnknownVersion(
            f"dataset version {slice_.version} does not exist (latest is {latest})",
            field="version",
        )
    return int(slice_.version)


def where_sql(slice_: Slice, version: int, *, skip: Iterable[str] = ()) -> tuple[str, list[Any]]:
    """SQL ``WHERE`` body and parameters for a slice (``skip`` leaves named filters out)."""
    skip = set(skip)
    clauses = ["dataset_version <= ?"]
    params: list[Any] = [version]
    if slice_.role is None or "role" in skip:  # other professions only when asked for by name
        clauses.append("role_family <> 'out_of_scope'")
    simple = {
        "role": "role_family",
        "level": "level",
        "country": "country",
        "region": "region",
        "company_size": "company_size",
        "employment_type": "employment_type",
    }
    for name, column in simple.items():
        value = getattr(slice_, name)
        if value is not None and name not in skip:
            clauses.append(f"{column} = ?")
            params.append(value)
    if slice_.remote is not None and "remote" not in skip:
        clauses.append(f"{REMOTE_BAND_SQL} = ?")
        params.append(slice_.remote)
    years = slice_.years
    if years is not None and "year" not in skip:
        clauses.append("pay_year BETWEEN ? AND ?")
        params.extend(years)
    if slice_.distinct:
        clauses.append("NOT is_duplicate")
    if slice_.exclude_outliers:
        clauses.append("NOT is_outlier")
    return " AND ".join(clauses), params


def resolve_by(by: Iterable[str] | str | None) -> tuple[str, ...]:
    """Validate ``--by`` fields (at most two, no repeats); aliases map to canonical names."""
    if by is None:
        return ()
    items = [by] if isinstance(by, str) else list(by)
    out: list[str] = []
    for item in items:
        name = BY_ALIASES.get(item.strip().lower(), item.strip().lower())
        if name not in BY_FIELDS:
            raise InvalidInput(
                f"cannot group by {item!r}; use one of: {', '.join(BY_FIELDS)}", field="by"
            )
        if name in out:
            raise InvalidInput(f"--by {name} given twice", field="by")
        out.append(name)
    if len(out) > MAX_BY:
        raise InvalidInput(f"group by at most {MAX_BY} fields (got {len(out)})", field="by")
    return tuple(out)
