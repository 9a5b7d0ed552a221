"""A differencing attack on published benchmark cells (tests of payatlas.disclosure).

A cell is ``(role_family, level, geo, year)`` with ``None`` for "any"; ``geo`` is
``("country", code)``, ``("region", slug)`` or ``None``. :func:`published_cells` collects what
the library publishes for every cell of the attacked shapes; :func:`exact_cells` the truth. The
attack takes every nested pair (B inside A) and every cell minus all its published parts along
one field, and counts the cohorts of 1 .. threshold - 1 records whose exact size and (within
5%) mean pay the published figures give away.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from payatlas.analytics import Slice, benchmark
from payatlas.analytics.filters import resolve_version, where_sql
from payatlas.normalize.countries import region_of
from payatlas.settings import Settings
from payatlas.store import Store

Cell = tuple[Any, Any, Any, Any]
LEVELS = ("entry", "mid", "senior", "executive")
TOLERANCE = 0.05
_BY = {"role_family": 0, "level": 1, "country": 2, "region": 2, "year": 3}


def _cell(filters: dict[str, Any], keys: dict[str, Any]) -> Cell:
    out: list[Any] = [None, None, None, None]
    for name, value in {**filters, **keys}.items():
        name = {"role": "role_family"}.get(name, name)
        if name == "year":
            value = int(str(value).split("-")[0])
        if name in ("country", "region"):
            value = (name, value)
        out[_BY[name]] = value
    return (out[0], out[1], out[2], out[3])


def published_cells(store: Store, settings: Settings) -> dict[Cell, tuple[int, float]]:
    """(published n, published mean) of every unsuppressed cell of the attacked shapes."""
    years = [int(r[0]) for r in store.execute("SELECT DISTINCT pay_year FROM records").fetchall()]
    queries: list[tuple[Slice, list[str]]] = [(Slice(), [])]
    one = ["role_family", "level", "country", "region", "year"]
    queries += [(Slice(), [f]) for f in one]
    queries += [(Slice(), list(p)) for p in combinations(one, 2) if p != ("country", "region")]
    for lv in LEVELS:
        queries += [(Slice(level=lv), ["role_family", "country"])]
        queries += [(Slice(level=lv), ["role_family", "region"])]
    for y in years:
        queries += [(Slice(year=y), ["role_family", "country"])]
        queries += [(Slice(year=y), ["role_family", "region"])]
    out: dict[Cell, tuple[int, float]] = {}
    for sl, by in queries:
        result = benchmark(store, slice=sl, by=by, settings=settings)
        filters = {k: v for k, v in sl.filters().items() if k != "version"}
        rows = [({}, result.overall)] + [(g.keys, g.stats) for g in result.groups]
        for keys, stats in rows:
            if stats.suppressed or stats.n is None or stats.mean is None:
                continue
            cell = _cell(filters, keys)
            seen = out.setdefault(cell, (stats.n, stats.mean))
            assert seen == (stats.n, stats.mean), (cell, seen, stats)  # consistent
    return out


def exact_cells(store: Store) -> dict[Cell, tuple[int, float, float]]:
    """(n, pay sum, largest pay) of every cell of any shape, from the records themselves."""
    version = resolve_version(store, Slice())
    where, params = where_sql(Slice(), version)
    rows = store.execute(
        "SELECT role_family, coalesce(level, 'unknown'), country, region, pay_year, count(*), "
        f"sum(annual_usd), max(annual_usd) FROM records WHERE {where} GROUP BY ALL",
        params,
    ).fetchall()
    out: dict[Cell, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for role, level, country, region, year, n, total, top in rows:
        for geo in (("country", country), ("region", region), None):
            for keep in range(8):  # role, level, year each kept or not
                cell = (
                    role if keep & 1 else None,
                    level if keep & 2 else None,
                    geo,
                    int(year) if keep & 4 else None,
                )
                acc = out[cell]
                acc[0] += n
                acc[1] += total
                acc[2] = max(acc[2], top)
    return {c: (int(v[0]), float(v[1]), float(v[2])) for c, v in out.items()}


def _parents(cell: Cell) -> list[tuple[Cell, int]]:
    """The cells directly above ``cell`` and the field that splits them (geo: country ->
    region -> any)."""
    out = []
    for i, v in enumerate(cell):
        if v is None:
            continue
        up: Any = None
        if i == 2 and v[0] == "country":
            up = ("region", region_of(v[1]))
        parent = tuple(up if j == i else x for j, x in enumerate(cell))
        out.append((parent, i))
    return out  # type: ignore[return-value]


def _ancestors(cell: Cell) -> set[Cell]:
    seen: set[Cell] = set()
    todo = [cell]
    while todo:
        for parent, _ in _parents(todo.pop()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


@dataclass
class AttackResult:
    candidates: int = 0  # differences that isolate 1 .. threshold - 1 records
    hits: int = 0  # ... whose exact count and mean within 5% the published figures give
    strong_single_hits: int = 0  # single people within 5% given the exact counts
    strong_small: dict[int, list[int]] = field(default_factory=dict)  # d -> [within, tried]
    examples: list[Any] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "hits": self.hits,
            "strong_single_hits": self.strong_single_hits,
            "strong_by_size": {str(d): v for d, v in sorted(self.strong_small.items())},
        }


def attack(
    published: dict[Cell, tuple[int, float]],
    exact: dict[Cell, tuple[int, float, float]],
    *,
    threshold: int,
) -> AttackResult:
    """Every nested pair A - B, and every cell minus its published parts along one field."""
    out = AttackResult()
    differences: list[tuple[Cell, list[Cell]]] = []
    for b in published:
        differences += [(a, [b]) for a in _ancestors(b) if a in published]
    parts: dict[tuple[Cell, int], list[Cell]] = defaultdict(list)
    for c in published:
        for parent, i in _parents(c):
            parts[(parent, i)].append(c)
    differences += [(a, kids) for (a, _), kids in parts.items() if a in published and len(kids)]
    for a, kids in differences:
        n_true = exact[a][0] - sum(exact[k][0] for k in kids)
        if not 1 <= n_true < threshold:
            continue
        out.candidates += 1
        pay_true = (exact[a][1] - sum(exact[k][1] for k in kids)) / n_true
        sum_pub = published[a][0] * published[a][1] - sum(
            published[k][0] * published[k][1] for k in kids
        )
        n_pub = published[a][0] - sum(published[k][0] for k in kids)
        if n_pub == n_true and abs(sum_pub / n_pub - pay_true) <= TOLERANCE * pay_true:
            out.hits += 1
            out.examples.append((a, kids[:3], n_true, pay_true))
        # a stronger attacker: the exact counts, the published means
        sum_strong = exact[a][0] * published[a][1] - sum(
            exact[k][0] * published[k][1] for k in kids
        )
        close = abs(sum_strong / n_true - pay_true) <= TOLERANCE * pay_true
        tally = out.strong_small.setdefault(n_true, [0, 0])
        tally[0] += int(close)
        tally[1] += 1
        if close and n_true == 1:
            out.strong_single_hits += 1
            out.examples.append(("strong", a, kids[:3], pay_true))
    return out
