"""Profiles -> the model's canonical fields, with flags wherever the input leaves the data.

Resolution never guesses silently: an unknown country raises :class:`UnknownCountry`, a role that
maps to no family raises :class:`UnknownRole`, and every default or fallback that changes what the
estimate rests on is named in ``flags``:

- ``unseen_title``: the role text is neither a role family nor a title seen in training;
  the estimate uses its family.
- ``level_assumed``: no level, years or level word in the title; "mid" is used.
- ``country_not_in_data``: a valid country without a single training record; the estimate
  falls back to its region (then the world).
- ``few_country_records``: fewer than ``FEW_COUNTRY`` records for the country.
- ``outside_years``: the year is outside the pay years of the training data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as fields_of
from functools import lru_cache
from typing import Any

from payatlas.errors import InvalidInput, UnknownCountry
from payatlas.model.artifact import FittedModel
from payatlas.model.data import title_key
from payatlas.normalize import fields
from payatlas.normalize.countries import region_of, to_alpha2
from payatlas.normalize.titles import (
    FAMILY_BY_SLUG,
    ROLE_FAMILIES,
    classify_title,
    normalize_level,
    resolve_role,
    years_to_level,
)
from payatlas.schema import Profile

FEW_COUNTRY = 30
DEFAULT_SIZE = "M"
_FAMILY_KEYS = frozenset(
    {title_key(f.slug) for f in ROLE_FAMILIES} | {title_key(f.label) for f in ROLE_FAMILIES}
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A profile in the model's terms, plus the flags its resolution raised."""

    role_family: str
    tkey: str
    level: str
    country: str
    region: str
    residence: str
    abroad: bool
    remote: int
    company_size: str
    employment_type: str
    year: int
    flags: tuple[str, ...] = field(default=())

    @property
    def role_label(self) -> str:
        """The family's readable label."""
        return FAMILY_BY_SLUG[self.role_family].label

    def row(self) -> dict[str, Any]:
        """The model-frame row (dict) for this profile."""
        return {name: getattr(self, name) for name in _ROW_FIELDS}

    def row_key(self) -> tuple[tuple[str, Any], ...]:
        """The model-frame row as a hashable key (what a model's answer depends on)."""
        return tuple((name, getattr(self, name)) for name in _ROW_FIELDS)


_ROW_FIELDS = tuple(f.name for f in fields_of(Resolved))


def resolve(profile: Profile, model: FittedModel) -> Resolved:
    """Resolve a validated profile against a model (its titles, countries and years)."""
    return resolve_fields(
        model,
        role=profile.role,
        country=profile.country,
        level=profile.level,
        years=profile.years,
        residence=profile.residence,
        remote=profile.remote,
        company_size=profile.company_size,
        employment_type=profile.employment_type,
        year=profile.year,
    )


def resolve_fields(
    model: FittedModel,
    *,
    role: str,
    country: str,
    level: str | None = None,
    years: float | None = None,
    residence: str | None = None,
    remote: int | str | None = 0,
    company_size: str | None = None,
    employment_type: str | None = "FT",
    year: int | str | None = None,
) -> Resolved:
    """Resolve raw field values (as typed by a person or read from a file)."""
    try:
        yrs = None if years is None else float(years)
    except ValueError:
        raise InvalidInput(
            f"years of experience must be a number, got {years!r}", field="years"
        ) from None
    return _resolve_cached(
        model.model_id or str(id(model)),
        _ModelView.of(model),
        str(role),
        str(country),
        None if level is None else str(level),
        yrs,
        None if residence is None else str(residence),
        None if remote is None else str(remote),
        None if company_size is None else str(company_size),
        None if employment_type is None else str(employment_type),
        None if year is None else str(year),
    )


@dataclass(frozen=True, slots=True)
class _ModelView:
    """What resolution needs from a model (hashable, for the cache)."""

    titles: frozenset[str]
    countries: tuple[tuple[str, int], ...]
    years: tuple[int, int]

    @property
    def country_counts(self) -> dict[str, int]:
        """Records per country (built once per view)."""
        return _country_counts(self.countries)

    @classmethod
    def of(cls, model: FittedModel) -> _ModelView:
        cached = model.meta.get("_view")
        if isinstance(cached, _ModelView):
            return cached
        view = cls(
            titles=frozenset(model.encoders.tables["title"]),
            countries=tuple(sorted(model.evidence.country_counts.items())),
            years=(int(model.meta["years"][0]), int(model.meta["years"][1])),
        )
        model.meta["_view"] = view
        return view


@lru_cache(maxsize=16)
def _country_counts(countries: tuple[tuple[str, int], ...]) -> dict[str, int]:
    return dict(countries)


@lru_cache(maxsize=16384)
def _role(view: _ModelView, role: str) -> tuple[str, str, str | None, bool]:
    """(family, title key, level implied by the title, unseen title?) of a role text."""
    family = resolve_role(role)
    tkey = title_key(role)
    unseen = tkey not in _FAMILY_KEYS and f"{family}|{tkey}" not in view.titles
    return family, tkey, classify_title(role).level, unseen


_level = lru_cache(maxsize=1024)(normalize_level)
_remote = lru_cache(maxsize=1024)(fields.remote_share)
_size = lru_cache(maxsize=1024)(fields.company_size)
_employment = lru_cache(maxsize=1024)(fields.employment_type)


@lru_cache(maxsize=65536)
def _resolve_cached(
    model_key: str,
    view: _ModelView,
    role: str,
    country: str,
    level: str | None,
    years: float | None,
    residence: str | None,
    remote: str | None,
    company_size: str | None,
    employment_type: str | None,
    year: str | None,
) -> Resolved:
    flags: list[str] = []
    family, tkey, title_level, unseen = _role(view, role)
    if unseen:
        flags.append("unseen_title")
    lvl = _level(level) if level not in (None, "") else None
    if lvl is None and years is not None:
        lvl = years_to_level(years)
    if lvl is None:
        lvl = title_level
    if lvl is None:
        lvl = "mid"
        flags.append("level_assumed")
    alpha2 = to_alpha2(country)
    n_country = view.country_counts.get(alpha2, 0)
    if n_country == 0:
        flags.append("country_not_in_data")
    elif n_country < FEW_COUNTRY:
        flags.append("few_country_records")
    try:
        lives = to_alpha2(residence) if residence not in (None, "") else alpha2
    except UnknownCountry as exc:  # the same check, named after the field that failed
        raise UnknownCountry(exc.reason, field="residence") from None
    share = 0 if remote in (None, "") else _remote(remote)
    size = _size(company_size) if company_size not in (None, "") else DEFAULT_SIZE
    emp = _employment(employment_type) if employment_type not in (None, "") else "FT"
    if year in (None, ""):
        pay_year = view.years[1]
    else:
        try:
            pay_year = int(float(year))
        except ValueError:
            raise InvalidInput(f"not a year: {year!r}", field="year") from None
    if not view.years[0] <= pay_year <= view.years[1]:
        flags.append("outside_years")
    return Resolved(
        role_family=family,
        tkey=tkey,
        level=lvl,
        country=alpha2,
        region=region_of(alpha2),
        residence=lives,
        abroad=lives != alpha2,
        remote=share,
        company_size=size,
        employment_type=emp,
        year=pay_year,
        flags=tuple(flags),
    )
