"""Column detection for ``payatlas mapping suggest``: which header names which field.

A column is a candidate for a field when its normalised header matches one of the field's
patterns (:data:`HEADERS`) and none of its exclusions; a value check (the share of its distinct
values, weighted by rows, that read as the field) then decides. Only distinct values are looked
at: the most frequent :data:`SAMPLE` of each column.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

from payatlas.errors import InvalidInput

SAMPLE = 2000  # distinct values looked at per column (the most frequent)
ACCEPT = 0.6  # share of (row-weighted) values that must read as a field for a value check

Values = list[tuple[str, int]]  # distinct value, rows

Pick = Callable[..., "tuple[str, float] | None"]


def norm_header(header: str) -> str:
    """The header in lower case, punctuation as spaces, without a bracketed aside (survey
    questions explain themselves in brackets: "What is your annual salary? (You'll indicate
    the currency in a later question ...)")."""
    text = re.sub(r"\([^)]*\)?", " ", header)
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def read_share(values: Values, ok: Callable[[str], object]) -> float:
    good = total = 0
    for value, n in values:
        total += n
        try:
            if ok(value) is not None:
                good += n
        except (InvalidInput, ValueError):
            continue
    return good / total if total else 0.0


def failing_values(values: Values, ok: Callable[[str], object]) -> Values:
    out = []
    for value, n in values:
        try:
            ok(value)
        except (InvalidInput, ValueError):
            out.append((value, n))
    return out


#: header patterns per field (on the lower-case header, punctuation as spaces): (pattern, score);
#: a header matching an ``exclude`` pattern of the field is never a candidate
HEADERS: dict[str, tuple[list[tuple[str, int]], str | None]] = {
    "title": ([(r"^(job )?title$", 5), (r"^job title", 4), (r"\btitle\b", 3),
               (r"^(position|role|job|occupation|job name)$", 3)],
              r"context|additional|short|soc|description|clarify|\bsoc\b"),
    "pay": ([(r"\b(annual )?(salary|pay|compensation|wage|wages|earnings|income)\b", 3),
             (r"salary estimate|annual salary|base salary|total pay", 4)],
            r"currency|unit|period|additional|context|bonus|\busd\b|prevailing|\bpw\b|rate$"
            r"|type|\bfrom\b|\bto\b|\bmin\b|\bmax\b|\blow\b|\bhigh\b|frequency|basis|level"),
    "pay_low": ([(r"(salary|pay|wage).*\b(from|min|minimum|low|lower)\b", 4),
                 (r"\b(min|minimum|low)\b.*(salary|pay|wage)", 4)], r"prevailing|\bpw\b"),
    "pay_high": ([(r"(salary|pay|wage).*\b(to|max|maximum|high|upper)\b", 4),
                  (r"\b(max|maximum|high)\b.*(salary|pay|wage)", 4)], r"prevailing|\bpw\b"),
    "currency": ([(r"currency", 4)], None),
    "period": ([(r"unit of pay|pay period|salary rate|pay frequency|wage unit|rate type", 5),
                (r"\b(period|unit|rate|frequency|basis)\b", 2)], r"prevailing|\bpw\b"),
    "usd": ([(r"\busd\b", 4)], r"currency"),
    "country": ([(r"\bcountry\b", 4)], r"search|residence|citizenship|birth"),
    "location": ([(r"^(job )?location$|worksite state|work state|^state$|work location", 4),
                  (r"\blocation\b", 3)], r"search|headquarters|\bhq\b"),
    "city": ([(r"\bcity\b", 3)], r"headquarters|\bhq\b|employer|company"),
    "date": ([(r"posted|timestamp|submitted|received date|pay date|^date$", 4),
              (r"\bdate\b|\btime\b", 2)], r"decision|end|expir|birth|founded|withdraw"),
    "year": ([(r"^(work |pay |fiscal )?year$", 4)], r"founded"),
    "company": ([(r"^(company|employer)( name)?$", 5), (r"company|employer|organi[sz]ation", 3)],
                r"size|type|rating|revenue|industry|\bfein\b|city|state|address|phone|postal"),
    "company_size": ([(r"company size|^size$|employees|headcount", 4)], None),
    "industry": ([(r"^industry$", 5), (r"industry|sector", 4)], None),
    "level": ([(r"experience level|seniority|^level$|job level", 4)], None),
    "employment_type": ([(r"schedule|employment type|job type|full time|contract type", 4)],
                        None),
    "remote": ([(r"remote|work from home|\bwfh\b|telework", 4)], None),
}  # fmt: skip


def header_candidates(columns: list[str], name: str) -> list[tuple[int, str]]:
    patterns, exclude = HEADERS[name]
    found = []
    for col in columns:
        h = norm_header(col)
        if exclude and re.search(exclude, h):
            continue
        score = max((s for p, s in patterns if re.search(p, h)), default=0)
        if score:
            found.append((score, col))
    return sorted(found, key=lambda t: (-t[0], len(t[1])))


def column_values(con: duckdb.DuckDBPyConnection, table: str, col: str) -> Values:
    c = '"' + col.replace('"', '""') + '"'
    rows = con.execute(
        f"SELECT {c}, count(*) AS n FROM {table} WHERE nullif(trim({c}), '') IS NOT NULL "
        f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {SAMPLE}"
    ).fetchall()
    return [(str(v).strip(), int(n)) for v, n in rows]


def short_header(header: str) -> str:
    return header if len(header) <= 40 else header[:37] + "..."


def pct(x: float) -> str:
    return f"{x:.0%}"
