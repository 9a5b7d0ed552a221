"""Slices: which records a figure is computed from, and the fields it can be grouped by.

A slice reads one **kind** of record (default: survey submissions) and, optionally, one
**source**. Kinds are never mixed: survey submissions are the ``records`` table; job postings
are the ``postings`` table, read through :func:`relation` as the same columns (a posting has no
level, company size or residence of its own: its level is what its title's seniority word
implies, its residence its country), so every analysis runs on either.

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

from payatlas.errors import EmptyStore, InvalidInput, NoPostings, UnknownVersion
from payatlas.normalize.countries import REGIONS, region_of, to_alpha2
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
#: record kinds a slice can read -> how a result names its rows
KINDS: dict[str, str] = {"survey_submission": "survey records", "job_posting": "job postings"}
SURVEY = "survey_submission"
_KIND_WORDS = {
    "survey": SURVEY, "surveys": SURVEY, "survey_submission": SURVEY,
    "survey_submissions": SURVEY, "submission": SURVEY, "submissions": SURVEY,
    "posting": "job_posting", "postings": "job_posting", "job_posting": "job_posting",
    "job_postings": "job_posting",
}  # fmt: skip
_SOURCE_NAME = re.compile(r"^[\w .:/+-]{1,100}$")
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
    source: str | None = None
    kind: str | None = None
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
        if self.kind is not None:
            put("kind", parse_kind(self.kind))
        if self.source is not None:
            text = str(self.source).strip()
            if not _SOURCE_NAME.match(text):
                raise InvalidInput(f"invalid source name {self.source!r}", field="source")
            put("source", text)
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
    def record_kind(self) -> str:
        """The kind of record the slice reads (``survey_submission`` unless set)."""
        return self.kind or SURVEY

    @property
    def unit(self) -> str:
        """How a result names the slice's rows: "survey records" or "job postings"."""
        return KINDS[self.record_kind]

    @property
    def row_policy(self) -> str:
        """``all rows`` or ``distinct rows`` (exact duplicates of earlier rows dropped)."""
        return "distinct rows" if self.distinct else "all rows"

    def replace(self, **changes: Any) -> Slice:
        """A copy with some fields changed (values are validated again)."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        return Slice(**current)


def parse_kind(value: str) -> str:
    """``survey`` / ``posting`` (or the full names) -> ``survey_submission`` / ``job_posting``."""
    key = re.sub(r"[^a-z]+", "_", str(value).strip().lower()).strip("_")
    if key not in _KIND_WORDS:
        raise InvalidInput(
            f"unknown kind {value!r}; use survey (survey submissions) or posting (job postings)",
            field="kind",
        )
    return _KIND_WORDS[key]


def _posting_versions_sql() -> str:
    return "SELECT version FROM dataset_sources WHERE kind = 'job_posting'"


def resolve_version(store: Store, slice_: Slice) -> int:
    """The dataset version a slice reads (latest of its kind when unset); raises for a store
    without records of that kind."""
    if slice_.record_kind == "job_posting":
        return _posting_version(store, slice_)
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
    if slice_.record_kind == SURVEY:  # a version of another kind is never read as survey
        clauses.append(f"dataset_version NOT IN ({_posting_versions_sql()})")
    if slice_.source is not None and "source" not in skip:
        clauses.append("source = ?")
        params.append(slice_.source)
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


def _posting_version(store: Store, slice_: Slice) -> int:
    row = store.execute(
        f"SELECT max(version) FROM dataset_versions WHERE version IN ({_posting_versions_sql()})"
    ).fetchone()
    latest = row[0] if row else None
    if latest is None:
        raise NoPostings("the store holds no job postings: `payatlas init` loads the bundled ones")
    if slice_.version is None:
        return int(latest)
    if slice_.version > latest:
        raise UnknownVersion(
            f"dataset version {slice_.version} does not exist (latest with job postings is "
            f"{latest})",
            field="version",
        )
    return int(slice_.version)


#: a posting's title seniority word -> the level it implies (normalize.seniority)
_POSTING_LEVEL = (
    "CASE WHEN p.title_seniority IN ('intern', 'junior') THEN 'entry' "
    "WHEN p.title_seniority IN ('senior', 'staff', 'principal', 'lead') THEN 'senior' "
    "WHEN p.title_seniority IN ('head', 'director', 'vp', 'chief') THEN 'executive' END"
)
_POSTING_EMPLOYMENT = (
    "CASE WHEN p.schedule ILIKE 'full%' THEN 'FT' WHEN p.schedule ILIKE 'part%' THEN 'PT' "
    "WHEN p.schedule ILIKE 'contract%' THEN 'CT' ELSE 'FT' END"
)


def relation(store: Store, slice_: Slice) -> str:
    """The SQL relation (aliased ``records``) holding the slice's kind of record, with the
    ``records`` columns every analysis reads."""
    if slice_.record_kind == SURVEY:
        return "records"
    countries = [
        r[0]
        for r in store.execute(
            "SELECT DISTINCT country FROM postings WHERE country IS NOT NULL"
        ).fetchall()
    ]
    regions = ", ".join(f"('{c}', '{region_of(c)}')" for c in countries if c.isalpha()) or (
        "(NULL, NULL)"
    )
    return f"""(
    SELECT p.dataset_version, p.source, p.source_row, p.raw_title, p.role_family,
        {_POSTING_LEVEL} AS level, {_POSTING_EMPLOYMENT} AS employment_type, p.country,
        p.country AS residence, g.region, CASE WHEN p.is_remote THEN 100 END AS remote_ratio,
        NULL::VARCHAR AS company_size, p.annual_usd, year(p.posted_date)::SMALLINT AS pay_year,
        p.posted_date AS pay_date, p.posted_date AS first_seen, false AS is_duplicate,
        list_contains(p.flags, 'pay_implausible') AS is_outlier, p.flags
    FROM postings p LEFT JOIN (VALUES {regions}) g(country, region) ON g.country = p.country
    ) records"""
