"""Field by field guesses for ``payatlas mapping suggest``: title, pay (and its cleaning),
currency, places, dates and the optional fields, each writing its lines and comments into a
:class:`~payatlas.ingest.suggest_render.Builder`; and the check that calls a country value
unknown where it contradicts its rows' locations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import duckdb

from payatlas.errors import InvalidInput
from payatlas.ingest.money import decimal_mark, parse_money, parse_period
from payatlas.ingest.suggest_columns import (
    Pick,
    Values,
    failing_values,
    norm_header,
    pct,
    read_share,
    short_header,
)
from payatlas.ingest.suggest_render import Builder
from payatlas.normalize import fields
from payatlas.normalize.countries import to_alpha2
from payatlas.normalize.places import read_location, us_context
from payatlas.normalize.titles import classify_title, normalize_level

_SIZE_RANGE = re.compile(r"^(\d[\d,]*)\s*(?:to|-|–)\s*(\d[\d,]*)\s*(?:employees|people)?$", re.I)
_SIZE_PLUS = re.compile(r"^(\d[\d,]*)\s*\+\s*(?:employees|people)?$", re.I)
_UNKNOWN_WORDS = frozenset({"unknown", "-1", "n/a", "na", "none", "other", "not specified",
                            "prefer not to say", "null", "?", "-"})  # fmt: skip


def _first_schedule(value: str) -> str | None:
    """ "Full-time and Part-time" -> FT: the first schedule named, when several are."""
    first = re.split(r",|\band\b|/", value, maxsplit=1)[0].strip()
    if first == value.strip():
        return None
    try:
        return fields.employment_type(first)
    except InvalidInput:
        return None


def _size_band(value: str) -> str | None:
    m = _SIZE_RANGE.match(value.strip())
    if m:
        low, high = (int(g.replace(",", "")) for g in m.groups())
        mid = (low + high) / 2
        return "S" if mid < 50 else ("M" if mid <= 250 else "L")
    m = _SIZE_PLUS.match(value.strip())
    if m:
        low = int(m.group(1).replace(",", ""))
        return "S" if low < 50 else ("M" if low <= 250 else "L")
    return None


def suggest_contradictions(b: Builder, con: duckdb.DuckDBPyConnection) -> None:
    """A country value that nearly always contradicts its rows' locations is a defect of the
    file (the postings collector's "Sudan" on US listings): call it unknown, so the location
    (or, for remote rows, the default) gives the country, and say so."""
    loc, country = b.columns.get("location"), b.columns.get("country")
    if not isinstance(loc, str) or not isinstance(country, str):
        return
    q = [f'"{c.replace(chr(34), chr(34) * 2)}"' for c in (country, loc)]
    pairs = con.execute(
        f"SELECT trim({q[0]}), trim({q[1]}), count(*) FROM _pa_raw "
        f"WHERE nullif(trim({q[0]}), '') IS NOT NULL GROUP BY ALL LIMIT 50000"
    ).fetchall()
    us = us_context(list({str(p[1]) for p in pairs if p[1]}))
    seen: dict[str, list[int]] = {}  # value -> [rows with a located place, contradicting]
    found_in: dict[str, dict[str, int]] = {}
    for value, place, n in pairs:
        try:
            said = to_alpha2(str(value))
            located = read_location(str(place), us=us).country if place else None
        except InvalidInput:
            continue
        if located is None:
            continue
        counts = seen.setdefault(str(value), [0, 0])
        counts[0] += int(n)
        if located != said:
            counts[1] += int(n)
            where = found_in.setdefault(str(value), {})
            where[located] = where.get(located, 0) + int(n)
    bad = sorted(v for v, (n, wrong) in seen.items() if n >= 20 and wrong >= 0.8 * n)
    if not bad:
        return
    b.cleaning("country", "unknown", bad, "this country contradicts the location on "
               + ", ".join(f"{v!r} {seen[v][1]:,} of {seen[v][0]:,} rows" for v in bad)
               + ": a defect of the file; the location gives the country")  # fmt: skip
    instead = {c for v in bad for c, _ in sorted(found_in[v].items(), key=lambda t: -t[1])[:1]}
    if len(instead) == 1 and "country" not in b.defaults:
        (code,) = instead
        b.default("country", code, f"where such a row has no located place (remote), "
                                   f"{code}: what its other rows' locations say")  # fmt: skip


def suggest_title(b: Builder, pick: Pick, values: dict[str, Values]) -> None:
    found = pick("title", lambda v: v if re.search(r"[^\W\d_]{2}", v) else None)
    if found is None:
        b.todo.append('title = "..."  # REQUIRED: no column looks like a job title')
        return
    col, _ = found
    sample = values[col][:300]
    matched = sum(n for v, n in sample if classify_title(v).matched)
    total = sum(n for _, n in sample) or 1
    b.take("title", col, f"header names a job title; {pct(matched / total)} of the most "
                         "common titles match a role family")  # fmt: skip


#: a pay range whose high end was left blank ("20000 -", H-1B LCA "WAGE_RATE_OF_PAY" before
#: FY2016 is "FROM - TO"); a cell it does not match is left as it is by ``extract``
_OPEN_RANGE = re.compile(r"^\s*(.*[0-9])\s*-\s*$")


def suggest_pay(
    b: Builder, pick: Pick, values: dict[str, Values], cols: list[str], used: set[str]
) -> None:
    def money(v: str) -> object:
        if v.strip() == "-1":
            return None
        open_end = _OPEN_RANGE.match(v)  # "20000 -": the high end left blank
        return parse_money(open_end.group(1) if open_end else v)

    pays = []
    while True:
        found = pick("pay", money, 0.3)
        if found is None:
            break
        pays.append(found)
    low, high = pick("pay_low", money, 0.3), pick("pay_high", money, 0.3)
    period_col = pick("period", parse_period, 0.5)
    if not pays and low:
        b.take("pay_low", low[0], f"header names the low end of a pay range; "
                                  f"{pct(low[1])} of values read as amounts")  # fmt: skip
        if high:
            b.take("pay_high", high[0], f"header names the high end; {pct(high[1])} read")
        pay_cols = [low[0]] + ([high[0]] if high else [])
        target = "pay_low"
    elif pays:
        names = [c for c, _ in pays]
        shares = ", ".join(f"{short_header(c)}: {pct(s)}" for c, s in pays)
        if len(names) == 1:
            b.take("pay", names[0], f"header names pay; values read as amounts ({shares})")
        else:
            b.take("pay", names, f"several pay columns, coalesced: the first non-empty is used "
                                 f"({shares})")  # fmt: skip
            by = {}
            for c in names:
                h = norm_header(c)
                if re.search(r"\b(hour|hourly|hr)\b", h):
                    by[c] = "hour"
                elif re.search(r"\b(year|yearly|annual|annually|yr)\b", h):
                    by[c] = "year"
                elif re.search(r"\b(month|monthly)\b", h):
                    by[c] = "month"
            if by:
                b.cleaning("pay", "period_by_column", by,
                           "the pay period of each pay column, from its header")  # fmt: skip
        pay_cols = names
        target = "pay"
        for u in (low, high):
            if u:
                used.discard(u[0])
    else:
        b.todo.append('pay = "..."  # REQUIRED: no column reads as pay amounts')
        return
    every = [v for c in pay_cols for v in values[c]]
    minus = [n for v, n in every if v.strip() == "-1"]
    if minus:
        b.cleaning(
            target,
            "unknown",
            ["-1"],
            f"{sum(minus):,} rows say -1: no pay given (rejected: missing pay)",
        )
    open_ended = [n for v, n in every if _OPEN_RANGE.match(v)]
    if open_ended:
        b.cleaning(
            target,
            "extract",
            _OPEN_RANGE.pattern,
            f"{sum(open_ended):,} rows give a range with no high end ('20000 -'): the low end is "
            "the pay",
        )
    noted = [v for v, _ in every if re.search(r"\([^()0-9]*\)\s*$|^[^\d$€£¥₹:]{2,60}:", v)]
    if noted:
        b.notes.append(f"pay text carries notes and labels (e.g. {noted[0]!r}); the pay reader "
                       "ignores a bracketed note and a leading label")  # fmt: skip
    dot = decimal_mark([v for v, _ in every])
    if dot:
        b.notes.append("pay values use '.' as the decimal mark: 34.875 reads as 34.875")
    bad = failing_values([(v, n) for v, n in every if v.strip() != "-1"], money)
    if bad:
        b.notes.append(f"{sum(n for _, n in bad):,} rows have pay that does not read "
                       f"(e.g. {bad[0][0]!r}): they will be rejected with the reason")  # fmt: skip
    if period_col:
        col, share = period_col
        b.take("period", col, f"header names a pay period; {pct(share)} of values read as one")
        bad_periods = failing_values(values[col], parse_period)
        if bad_periods:
            shown = ", ".join(repr(v) for v, _ in bad_periods[:4])
            b.notes.append(f"period values that are no pay period ({shown}): those rows are "
                           "rejected; map them in [clean.period] if they mean one")  # fmt: skip
    else:
        hourly = [v for v, _ in every if re.search(r"(?i)per hour|/\s*h(ou)?r|hourly", v)]
        note = "; pay text saying 'Per Hour' is read as hourly" if hourly else ""
        b.default("period", "year", f"no period column: pay is taken as yearly{note}")


def suggest_currency(b: Builder, pick: Pick, values: dict[str, Values]) -> None:
    found = pick("currency", fields.currency_code, 0.5)
    if found is None:
        pay_cols = b.columns.get("pay") or b.columns.get("pay_low") or []
        cols = [pay_cols] if isinstance(pay_cols, str) else list(pay_cols)
        symbols = [v for c in cols for v, _ in values.get(c, [])[:50] if "$" in v]
        why = ("no currency column; pay shows '$'" if symbols
               else "no currency column: check the file's currency")  # fmt: skip
        b.default("currency", "USD", why)
        return
    col, share = found
    other = pick("currency", fields.currency_code, 0.3)
    bad = failing_values(values[col], fields.currency_code)
    if other:
        b.take("currency", [col, other[0]], f"currency columns, coalesced ({pct(share)} of "
                                            f"{short_header(col)!r} are ISO codes)")  # fmt: skip
    else:
        b.take("currency", col, f"header names the currency; {pct(share)} are ISO codes")
    unknown = [v for v, _ in bad if v.strip().lower() in _UNKNOWN_WORDS]
    if unknown:
        b.cleaning("currency", "unknown", unknown,
                   "answers that name no currency" + (": the next currency column is used"
                                                       if other else ""))  # fmt: skip
    joint = [v for v, _ in bad if re.fullmatch(r"[A-Z]{3}/[A-Z]{3}", v.strip())]
    if joint:
        b.cleaning(
            "currency",
            "map",
            {v: v[:3] for v in joint},
            f"{', '.join(joint)} name two currencies: the first is taken; review",
        )
    rest = [v for v, _ in bad if v not in unknown and v not in joint]
    if rest:
        b.notes.append(f"currency values that are no ISO code ({', '.join(map(repr, rest[:5]))}):"
                       " such rows are rejected unless you map them")  # fmt: skip


def suggest_places(b: Builder, pick: Pick, values: dict[str, Values]) -> None:
    def country(v: str) -> object:
        return to_alpha2(v)

    def location(v: str) -> object:
        return read_location(v)

    loc = pick("location", location, 0.5)
    found = pick("country", country, 0.5)
    city = pick("city", None)
    if loc:
        col, share = loc
        us = us_context([v for v, _ in values[col]])
        b.take("location", col, f"header names a place; {pct(share)} of values read as "
                                "'City, ST', 'City, Country', a state, a country or remote"
                                + ("; mostly US places" if us else ""))  # fmt: skip
    if found:
        col, share = found
        b.take("country", col, f"header names the country; {pct(share)} of values read as one"
                               + ("; the location wins where they disagree (flagged)"
                                  if loc else ""))  # fmt: skip
        bad = failing_values(values[col], country)
        if bad:
            shown = ", ".join(repr(v) for v, _ in bad[:5])
            b.notes.append(
                f"{sum(n for _, n in bad):,} rows have a country PayAtlas does not "
                f"know ({shown}){' unless their location names one' if loc else ''}"
            )
    if city:
        b.take("city", city[0], "header names a city: kept as given")
    if not found:
        us = loc is not None and us_context([v for v, _ in values[loc[0]]])
        if us:
            b.default("country", "US", "no country column; the locations are US places")
        elif loc is None:
            b.todo.append('country = "..."  # REQUIRED: no country or location column; or set '
                          "[defaults] country")  # fmt: skip


def suggest_dates(b: Builder, pick: Pick, values: dict[str, Values]) -> None:
    def date(v: str) -> object:
        return fields.parse_date(v, "date", "MDY")

    found = pick("date", date, 0.8)
    if found:
        col, share = found
        keys = [v for v, _ in values[col]]
        serial = sum(1 for v in keys if fields.excel_serial(v) is not None)
        kind = "Excel serial day numbers" if serial > len(keys) / 2 else "dates"
        b.take("date", col, f"header names a date; {pct(share)} of values read as {kind}")
        order = fields.slash_date_order(keys)
        slash = [v for v in keys if re.match(r"^\d{1,2}/\d{1,2}/\d{4}", v)]
        if slash:
            chosen = order or "MDY"
            b.source["date_order"] = chosen
            b.source["date_order_why"] = (
                f"slash dates; a day above 12 shows the order {chosen}" if order
                else "slash dates whose order no value shows: MDY assumed, check")  # fmt: skip
        return
    year = pick("year", fields.parse_year, 0.8)
    if year:
        b.take("year", year[0], f"header names the pay year; {pct(year[1])} read as years")
        return
    b.default("year", str(dt.date.today().year),
              "no date or year column: set the year the pay is from")  # fmt: skip


def suggest_optional(b: Builder, pick: Pick, values: dict[str, Values]) -> None:
    company = pick("company", None)
    if company:
        col = company[0]
        lines = [v for v, _ in values[col] if "\n" in v]
        b.take("company", col, "header names the employer: kept as given")
        if lines:
            b.cleaning(
                "company",
                "extract",
                r"^([^\n]*)",
                f"{len(lines)} names carry a second line (e.g. a rating): first line kept",
            )
    industry = pick("industry", None)
    if industry:
        b.take("industry", industry[0], "header names the industry: kept as given")
    specs: list[tuple[str, Callable[[str], object]]] = [
        ("company_size", fields.company_size),
        ("level", normalize_level),
        ("employment_type", fields.employment_type),
        ("remote", fields.remote_share),
    ]
    for name, ok in specs:
        found = pick(name, None)
        if not found:
            continue
        col = found[0]
        vals = values[col]
        share = read_share(vals, ok)
        bad = failing_values(vals, ok)
        mapped: dict[str, str] = {}
        unknown: list[str] = []
        for v, _n in bad:
            band = _size_band(v) if name == "company_size" else None
            yes_no = {"y": "FT", "n": "PT", "yes": "FT", "no": "PT"}.get(v.strip().lower())
            if band:
                mapped[v] = band
            elif name == "employment_type" and yes_no and re.search("full time", norm_header(col)):
                mapped[v] = yes_no
            elif name == "employment_type" and _first_schedule(v):
                mapped[v] = str(_first_schedule(v))
            elif v.strip().lower() in _UNKNOWN_WORDS:
                unknown.append(v)
        b.take(name, col, f"header names {name.replace('_', ' ')}; {pct(share)} of values read "
                          "as one as they are")  # fmt: skip
        if mapped:
            what = {
                "company_size": "bands S < 50, M 50-250, L > 250 employees",
                "employment_type": "FT / PT / CT (several schedules: the first named)",
            }
            b.cleaning(name, "map", mapped,
                       "values read as " + what.get(name, "the field's values"))  # fmt: skip
        if unknown:
            b.cleaning(name, "unknown", unknown, "answers meaning 'not known': kept empty, "
                                                 f"flagged {name}_unknown")  # fmt: skip
        rest = [v for v, _ in bad if v not in mapped and v not in unknown]
        if rest:
            b.notes.append(f"{name}: {len(rest)} other values do not read "
                           f"({', '.join(map(repr, rest[:4]))}): kept empty, flagged "
                           f"{name}_unread")  # fmt: skip
