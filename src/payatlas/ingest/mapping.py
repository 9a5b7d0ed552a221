"""Column mappings: which source column feeds which canonical field.

A mapping file is TOML (see docs/mapping.md)::

    [source]
    name = "acme-survey"          # stored with every record
    encoding = "cp1252"           # optional: the file's text encoding (detected when absent)

    [columns]                      # canonical field = source column
    title = "Job Title"
    pay = "Salary"                 # an amount or a range string ("$53K-$91K", "₹25L–₹40L")
    currency = "Currency"
    period = "Pay Period"
    country = "Location"

    [defaults]                     # used where a column is absent or a cell is empty
    currency = "USD"
    period = "year"
    employment_type = "FT"

    [periods]                      # override annualisation multipliers
    hour = 2000

    [clean.company_size]           # per-field cleaning (payatlas.ingest.cleaning)
    map = { "1001 to 5000 employees" = "L" }
    unknown = ["Unknown", "-1"]

A field may name several columns (``pay = ["Yearly", "Hourly"]``): the first non-empty is used.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from payatlas.errors import InvalidInput, InvalidMapping
from payatlas.ingest.cleaning import Clean, parse_clean
from payatlas.ingest.money import parse_period
from payatlas.normalize import fields
from payatlas.normalize.countries import region_of, to_alpha2
from payatlas.normalize.titles import normalize_level

#: canonical fields an adapter can fill, with what each means
FIELDS: dict[str, str] = {
    "title": "job title as written (required)",
    "level": "explicit experience level (EN/MI/SE/EX, junior/mid/senior/executive...)",
    "employment_type": "FT/PT/CT/FL or full-time/part-time/contract/freelance",
    "country": "country of work: name, alpha-2/3, alias or 'City, Country' (required, or location)",
    "location": "place of work: 'City, ST', 'City, Country', a state, a country, 'Remote'",
    "residence": "employee residence (defaults to country)",
    "remote": "remote share 0-100 (or a 0-1 fraction column), or remote/hybrid/on-site",
    "company_size": "S/M/L, small/medium/large, or a headcount like '51-200'",
    "company": "employer name",
    "industry": "industry",
    "city": "city",
    "pay": "pay amount or range string, symbols and suffixes allowed",
    "pay_low": "lower end of a pay range (alternative to pay)",
    "pay_high": "upper end of a pay range (alternative to pay)",
    "currency": "ISO 4217 currency of the pay",
    "period": "pay period: hour/day/week/biweek/month/year (or per hour, bi-weekly, p.a., ...)",
    "date": "pay date (ISO, DD.MM.YYYY, 'Mon YYYY', or a/b/YYYY read per [source] date_order)",
    "year": "pay year",
    "first_seen": "date the row arrived in the source",
    "usd": "the source's own USD conversion, kept for comparison",
}
DEFAULTABLE = frozenset(
    {"currency", "period", "employment_type", "country", "year", "level", "remote", "company_size"}
)
PERIOD_KEYS = frozenset({"hour", "day", "week", "biweek", "month", "year"})
#: fields a mapping may feed from several columns (the first non-empty one is used)
COALESCABLE = frozenset(
    {"pay", "pay_low", "pay_high", "currency", "period", "date", "first_seen", "location",
     "country", "company", "title", "usd", "year"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mapping:
    """A parsed mapping: canonical field -> source column, defaults, period multipliers."""

    name: str
    columns: dict[str, str]
    defaults: dict[str, str] = field(default_factory=dict)
    periods: dict[str, float] = field(default_factory=dict)
    date_order: str | None = None  # "DMY" or "MDY" for a/b/YYYY dates; None: inferred per file
    encoding: str | None = None  # the file's text encoding; None: detected
    #: field -> every source column feeding it, coalesced in order (default: its one column)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    clean: dict[str, Clean] = field(default_factory=dict)  # field -> its cleaning

    def cols(self, name: str) -> tuple[str, ...]:
        """The source columns of field ``name`` (empty when unmapped)."""
        if name in self.sources:
            return self.sources[name]
        return (self.columns[name],) if name in self.columns else ()

    def fingerprint(self) -> str:
        """A hash of what the mapping does to a file (columns, defaults, periods, date order,
        encoding; not the source name): the same file content is refused a second time with
        the same mapping, and allowed with a corrected one."""
        spec = {
            "columns": self.columns,
            "defaults": self.defaults,
            "periods": self.periods,
            "date_order": self.date_order,
            "encoding": self.encoding,
        }
        if self.sources or self.clean:  # older mappings keep their fingerprints
            spec["sources"] = {k: list(v) for k, v in sorted(self.sources.items())}
            spec["clean"] = {k: c.spec() for k, c in sorted(self.clean.items())}
        return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()

    def check_against(self, available: list[str], *, file: str) -> None:
        """Refuse a mapping that names columns the file lacks or misses required fields."""
        missing = [
            f"{k} -> {v!r}" for k in self.columns for v in self.cols(k) if v not in available
        ]
        if missing:
            raise InvalidMapping(
                f"mapping names columns the file lacks: {', '.join(missing)}; "
                f"file has {', '.join(available)}",
                file=file,
            )
        if "title" not in self.columns:
            raise InvalidMapping("mapping has no 'title' column", file=file, field="title")
        if not ({"pay", "pay_low", "pay_high"} & self.columns.keys()):
            raise InvalidMapping("mapping has no 'pay' (or pay_low/pay_high) column", file=file)
        if not ({"country", "location"} & self.columns.keys()) and "country" not in self.defaults:
            raise InvalidMapping(
                "mapping has no 'country' or 'location' column, nor a country default", file=file
            )


def load_mapping(path: Path | str) -> Mapping:
    """Read and validate a TOML mapping file (UTF-8, as TOML requires)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidMapping("no such mapping file", file=str(path)) from exc
    except OSError as exc:
        raise InvalidMapping(
            f"cannot read the mapping file: {exc.strerror}", file=str(path)
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidMapping(
            f"line {line}: the mapping file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "TOML files are UTF-8: save it as UTF-8",
            file=str(path),
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidMapping(f"not valid TOML: {exc}", file=str(path)) from exc
    return mapping_from_dict(data, file=str(path))


def mapping_from_dict(data: dict[str, Any], *, file: str = "<mapping>") -> Mapping:
    """Validate a mapping given as a dict (the parsed TOML)."""
    unknown_sections = set(data) - {"source", "columns", "defaults", "periods", "clean"}
    if unknown_sections:
        raise InvalidMapping(f"unknown sections: {sorted(unknown_sections)}", file=file)
    for section in ("source", "columns", "defaults", "periods", "clean"):
        if section in data and not isinstance(data[section], dict):
            raise InvalidMapping(
                f"[{section}] must be a table of key = value pairs", file=file, field=section
            )
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not columns:
        raise InvalidMapping("a [columns] table is required", file=file, field="columns")
    for key, value in columns.items():
        if key not in FIELDS:
            raise InvalidMapping(
                f"unknown field {key!r}; known: {', '.join(FIELDS)}", file=file, field=key
            )
        names = value if isinstance(value, list) else [value]
        if not names or not all(isinstance(v, str) and v for v in names):
            raise InvalidMapping(
                "a column name must be a non-empty string (or a list of them, coalesced)",
                file=file,
                field=key,
            )
        if isinstance(value, list) and key not in COALESCABLE:
            raise InvalidMapping(
                f"only {', '.join(sorted(COALESCABLE))} may name several columns",
                file=file,
                field=key,
            )
    defaults = {str(k): str(v) for k, v in data.get("defaults", {}).items()}
    for key in defaults:
        if key not in DEFAULTABLE:
            raise InvalidMapping(f"no default allowed for {key!r}", file=file, field=key)
    periods: dict[str, float] = {}
    for key, value in data.get("periods", {}).items():
        if (
            key not in PERIOD_KEYS
            or isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value < 10_000
        ):
            raise InvalidMapping(f"bad period multiplier {key} = {value!r}", file=file, field=key)
        periods[key] = float(value)
    source = data.get("source", {})
    unknown_keys = set(source) - {"name", "date_order", "encoding"}
    if unknown_keys:
        raise InvalidMapping(f"unknown [source] keys: {sorted(unknown_keys)}", file=file)
    name = str(source.get("name", "generic"))
    order = source.get("date_order")
    if order is not None and str(order).upper() not in fields.DATE_ORDERS:
        raise InvalidMapping('date_order must be "DMY" or "MDY"', file=file, field="date_order")
    encoding = source.get("encoding")
    if encoding is not None:
        try:
            encoding = codecs.lookup(str(encoding)).name
        except LookupError:
            raise InvalidMapping(
                f"unknown text encoding {encoding!r} (e.g. utf-8, cp1252, utf-16)",
                file=file,
                field="encoding",
            ) from None
    sources = {k: tuple(v) for k, v in columns.items() if isinstance(v, list)}
    clean: dict[str, Clean] = {}
    for key, spec in data.get("clean", {}).items():
        if key not in columns:
            raise InvalidMapping(
                f"[clean.{key}] cleans a field that [columns] does not map",
                file=file,
                field=f"clean.{key}",
            )
        of_field: tuple[str, ...] = (
            tuple(columns[key]) if isinstance(columns[key], list) else (columns[key],)
        )
        clean[key] = parse_clean(key, spec, columns=of_field, file=file, periods=PERIOD_KEYS)
    mapping = Mapping(
        name=name,
        columns={k: v[0] if isinstance(v, list) else v for k, v in columns.items()},
        sources=sources,
        clean=clean,
        defaults=defaults,
        periods=periods,
        date_order=str(order).upper() if order else None,
        encoding=encoding,
    )
    normalized_defaults(mapping, file=file)  # an invalid default fails here, naming the file
    return mapping


AIJOBS_COLUMNS: dict[str, str] = {
    "title": "job_title",
    "level": "experience_level",
    "employment_type": "employment_type",
    "country": "company_location",
    "residence": "employee_residence",
    "remote": "remote_ratio",
    "company_size": "company_size",
    "pay": "salary",
    "currency": "salary_currency",
    "year": "work_year",
    "usd": "salary_in_usd",
    "first_seen": "first_seen",
}
#: the aijobs.net layout: recognised automatically when these columns are present
AIJOBS = Mapping(name="aijobs", columns=AIJOBS_COLUMNS, defaults={"period": "year"})
_AIJOBS_REQUIRED = frozenset(AIJOBS_COLUMNS.values()) - {"first_seen"}


def detect_adapter(columns: list[str]) -> Mapping | None:
    """The built-in adapter whose layout the columns match (or None)."""
    if set(columns) >= _AIJOBS_REQUIRED:
        cols = dict(AIJOBS_COLUMNS)
        if "first_seen" not in columns:
            del cols["first_seen"]
        return Mapping(name="aijobs", columns=cols, defaults=AIJOBS.defaults)
    return None


def normalized_defaults(mapping: Mapping, *, file: str = "<mapping>") -> dict[str, Any]:
    """The mapping's defaults, normalised once (an invalid default is a mapping error)."""
    out: dict[str, Any] = {}
    for key, value in mapping.defaults.items():
        try:
            if key == "country":
                code = to_alpha2(value)
                out["country"], out["region"] = code, region_of(code)
            elif key == "level":
                out["level"] = normalize_level(value)
            elif key == "employment_type":
                out[key] = fields.employment_type(value)
            elif key == "remote":
                out[key] = fields.remote_share(value)
            elif key == "company_size":
                out[key] = fields.company_size(value)
            elif key == "year":
                out[key] = fields.parse_year(value)
            elif key == "currency":
                out[key] = fields.currency_code(value)
            elif key == "period":
                out[key] = parse_period(value)
        except InvalidInput as exc:
            raise InvalidMapping(f"bad default: {exc.reason}", file=file, field=key) from exc
    return out
