"""Evidence beside an estimate: the advertised pay of matching job postings, with its count.

An estimate is the survey model's range (survey submissions). Beside it PayAtlas shows what job
postings for the same work advertise: the P10/P25/P50/P75/P90 of the postings' annual pay (USD,
hourly pay annualised at ingest) for the estimate's role family x seniority x place, where the
place is the US metro when the estimate has one (postings whose "City, ST" resolves to the CBSA),
else the country (or, from the library, a US state). Labelled "job postings (advertised pay)":
what employers advertise, not what people earn.

Seniority: a posting has a level only through its title's seniority word
(:mod:`payatlas.normalize.seniority`): intern/junior -> entry; senior/staff/principal/lead ->
senior; head/director/vp/chief -> executive; a title without a seniority word is read as mid.

The privacy threshold applies to the count: a cell with fewer postings than the threshold is not
published (no figures, ``n`` null with a note); a metro cell under it falls back to the country,
saying so. Postings do not enter the survey model (docs/methodology.md, "Job postings in
estimates").

All cells are computed in one grouped DuckDB pass per store connection and kept for that
connection's life (the data cannot change while it is open); an estimate then only looks up a
cell.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from payatlas.model.posting_range import BASIS as BASIS
from payatlas.model.posting_range import LABEL as LABEL
from payatlas.model.posting_range import PostingEvidence
from payatlas.store import Store

if TYPE_CHECKING:
    import pandas as pd

#: the estimate's level -> the postings' title seniority words (mid: no seniority word)
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "entry": ("intern", "junior"),
    "mid": (),
    "senior": ("senior", "staff", "principal", "lead"),
    "executive": ("head", "director", "vp", "chief"),
}
QS = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(slots=True)
class PostingCells:
    """Every cell's count, percentiles and posting dates, by scope (one grouped pass)."""

    cells: dict[tuple[str, str, str, str], tuple[Any, ...]] = field(default_factory=dict)
    metro_names: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    metros_built: bool = False


_cache: weakref.WeakKeyDictionary[Store, PostingCells] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _bucket_sql() -> str:
    arms = " ".join(
        f"WHEN title_seniority IN ({', '.join(repr(w) for w in words)}) THEN '{level}'"
        for level, words in LEVEL_WORDS.items()
        if words
    )
    return f"CASE WHEN title_seniority IS NULL THEN 'mid' {arms} END"


def _has_postings(store: Store) -> bool:
    row = store.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'postings' AND NOT temporary"
    ).fetchone()
    if not (row and row[0]):
        return False
    one = store.execute("SELECT count(*) FROM (SELECT 1 FROM postings LIMIT 1)").fetchone()
    return bool(one and one[0])


def _metro_map(store: Store) -> pd.DataFrame:
    """US postings' distinct (city, state) -> CBSA (resolved once per distinct place)."""
    from payatlas.normalize.places import resolve_place

    places = store.execute(
        "SELECT DISTINCT city, state FROM postings WHERE country = 'US' AND city IS NOT NULL "
        "AND state IS NOT NULL"
    ).fetchdf()
    cbsa = [resolve_place(f"{c}, {s}").cbsa for c, s in zip(places.city, places.state, strict=True)]
    places["cbsa"] = cbsa
    return places.dropna(subset=["cbsa"])


def _agg() -> str:
    qs = ", ".join(str(q) for q in QS)
    return (
        f"count(*), quantile_cont(annual_usd, [{qs}]), min(posted_date)::VARCHAR, "
        "max(posted_date)::VARCHAR"
    )


def _postings_cte() -> str:
    return (
        f"WITH p AS (SELECT role_family, {_bucket_sql()} AS lvl, country, state, city, "
        "annual_usd, posted_date FROM postings)"
    )


def _put(out: PostingCells, rows: list[tuple[Any, ...]]) -> None:
    for scope, fam, lvl, area, n, q, first, last in rows:
        if lvl is not None:
            out.cells[(scope, str(fam), str(lvl), str(area))] = (int(n), q, first, last)


def cells_for(store: Store) -> PostingCells | None:
    """The posting cells of ``store`` by country and US state (None without postings), built
    once per connection in one grouped pass."""
    with _lock:
        hit = _cache.get(store)
    if hit is not None:
        return hit
    if not _has_postings(store):
        return None
    agg = _agg()
    rows = store.execute(
        f"""{_postings_cte()}
        SELECT 'country', role_family, lvl, country, {agg} FROM p
        WHERE country IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT 'state', role_family, lvl, state, {agg} FROM p
        WHERE country = 'US' AND state IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    credits = store.execute(
        "SELECT DISTINCT coalesce(s.credit, p.source) FROM (SELECT DISTINCT dataset_version, "
        "source FROM postings) p LEFT JOIN dataset_sources s ON s.version = p.dataset_version "
        "ORDER BY 1"
    ).fetchall()
    out = PostingCells(sources=tuple(str(c[0]) for c in credits))
    _put(out, rows)
    with _lock:
        _cache[store] = out
    return out


def _with_metros(store: Store, cells: PostingCells) -> None:
    """Add the metro cells (US postings' "City, ST" -> CBSA; first metro request only: reading
    the place crosswalks takes a few seconds once per process)."""
    with _lock:
        if cells.metros_built:
            return
    from payatlas.normalize.geodata import geo

    con = store.con.cursor()  # its own cursor: the registration stays local to it
    try:
        con.register("_pa_metro_map", _metro_map(store))
        rows = con.execute(
            f"""{_postings_cte()}
            SELECT 'metro', role_family, lvl, m.cbsa, {_agg()}
            FROM p JOIN _pa_metro_map m ON m.city = p.city AND m.state = p.state
            WHERE p.country = 'US' GROUP BY ALL"""
        ).fetchall()
    finally:
        con.close()
    g = geo()
    with _lock:
        _put(cells, rows)
        cells.metro_names = {k[3]: g.cbsas[k[3]].title for k in cells.cells if k[0] == "metro"}
        cells.metros_built = True


def _area_name(scope: str, area: str, cells: PostingCells) -> str:
    if scope == "metro":
        from payatlas.normalize.geodata import geo

        known = geo().cbsas.get(area)
        return cells.metro_names.get(area) or (known.title if known else area)
    if scope == "state":
        return f"{area}, US"
    from payatlas.normalize.countries import country_name

    return country_name(area)


def _seniority(level: str) -> str:
    words = LEVEL_WORDS.get(level, ())
    if not words:
        return "titles without a seniority word (read as mid)"
    return "titles with " + "/".join(words)


def posting_evidence(
    store: Store,
    *,
    family: str,
    level: str,
    country: str,
    threshold: int,
    metro: str | None = None,
    state: str | None = None,
) -> PostingEvidence | None:
    """The advertised range of job postings for ``family`` x ``level`` in the narrowest of
    ``metro`` (a CBSA code), ``state`` (US) and ``country`` (module docstring); None when the
    store holds no postings."""
    cells = cells_for(store)
    if cells is None:
        return None
    tries: list[tuple[str, str]] = []
    if country == "US" and metro:
        _with_metros(store, cells)
        tries.append(("metro", metro))
    if country == "US" and state:
        tries.append(("state", state.upper()))
    tries.append(("country", country))
    notes: list[str] = []
    for i, (scope, area) in enumerate(tries):
        got = cells.cells.get((scope, family, level, area))
        n = got[0] if got else 0
        last = i == len(tries) - 1
        if n >= threshold or last:
            return _evidence(family, level, scope, area, got, threshold, cells, notes)
        name = _area_name(scope, area, cells)
        notes.append(
            f"fewer than {threshold} matching postings in {name}"
            if n
            else f"no matching postings in {name}"
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _evidence(
    family: str,
    level: str,
    scope: str,
    area: str,
    got: tuple[Any, ...] | None,
    threshold: int,
    cells: PostingCells,
    notes: list[str],
) -> PostingEvidence:
    from dataclasses import replace

    n = got[0] if got else 0
    fallback = "; ".join(notes) + f": {scope}-level figures" if notes else None
    base = PostingEvidence(
        family=family,
        level=level,
        seniority=_seniority(level),
        scope=scope,
        area=area,
        area_name=_area_name(scope, area, cells),
        n=0,
        n_note=None,
        sources=cells.sources,
        note=fallback,
    )
    if n == 0:
        return replace(base, note="; ".join(filter(None, [fallback, "no matching postings"])))
    if n < threshold:
        note = f"fewer than {threshold} (under the privacy threshold, not published)"
        return replace(base, n=None, n_note=note)
    assert got is not None
    q = [float(round(v)) for v in got[1]]
    return replace(base, n=n, p10=q[0], p25=q[1], p50=q[2], p75=q[3], p90=q[4],
                   posted_from=got[2], posted_to=got[3])  # fmt: skip


def for_estimate(store: Store, est: Any, *, threshold: int) -> PostingEvidence | None:
    """:func:`posting_evidence` for an :class:`~payatlas.model.estimate.Estimate` (its family,
    level, country and metro)."""
    metro = est.metro["cbsa"] if est.metro else None
    return posting_evidence(store, family=est.role_family, level=est.level, country=est.country,
                            metro=metro, threshold=threshold)  # fmt: skip


def attach(est: Any, store: Store, *, threshold: int) -> Any:
    """``est`` with ``postings`` set to the matching postings' evidence (a copy)."""
    from dataclasses import replace

    ev = for_estimate(store, est, threshold=threshold)
    return replace(est, postings=ev)


def cached_cells(store: Store | None) -> PostingCells | None:
    """The cells already built for ``store`` (no query), or None."""
    if store is None:
        return None
    with _lock:
        return _cache.get(store)
