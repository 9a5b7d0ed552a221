"""Team cost planner: what a team costs per year in each candidate country, vs a baseline.

Per line and country, pay per person (P10/P50/P90, USD) comes from:

* ``mode="employee"``: the champion model's estimate (``payatlas.model.estimate_batch``); with
  no champion yet, the cohort percentiles of role family x level x country, backing off to
  region and then to all countries (cohorts of at least ``max(privacy_threshold, 20)`` rows);
* ``mode="contract"``: the published contractor hourly rates by region (third-party figures,
  labelled as such) x 2,080 hours.

The lines' figures are :mod:`payatlas.analytics.team_lines`. Team totals add the lines' P10s,
P50s and P90s (a planning band: everyone at the low / middle / high end), plus optional employer
on-costs. Savings vs the baseline compare like with like: P50 with P50, and the range spans
P90-vs-P90 to P10-vs-P10.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from payatlas.analytics.filters import Slice, relation, resolve_version
from payatlas.analytics.privacy import Interval
from payatlas.analytics.team_input import OnCost, TeamLine, TeamPlace, parse_places, parse_team
from payatlas.analytics.team_lines import (
    HOURS_PER_YEAR,
    MIN_COHORT,
    RATE_COUNTRIES,
    RATE_REGIONS,
    cohort_lines,
    contract_lines,
    metro_lines,
    model_lines,
)
from payatlas.analytics.team_result import Band, CountryCost, LineCost, PppView, TeamCostResult
from payatlas.errors import InvalidInput, StoreError, UnknownCurrency
from payatlas.normalize.countries import local_currency
from payatlas.normalize.fx import from_usd
from payatlas.official.datasets import BEA, WORLD_BANK
from payatlas.official.ppp import metro_rpp, ppp_factor
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

Mode = Literal["employee", "contract"]


def team_cost(
    store: Store,
    *,
    team: Iterable[TeamLine | Mapping[str, Any]],
    countries: Iterable[str] | str,
    baseline: str = "US",
    settings: Settings | None = None,
    on_costs: Mapping[str, OnCost] | None = None,
    mode: Mode = "employee",
    source: str | None = None,
    kind: str | None = None,
) -> TeamCostResult:
    """Annual cost of ``team`` in each country (baseline first), savings vs the baseline.

    ``source`` / ``kind`` (default: survey submissions of every source) select the records; any
    other selection than the default is costed from cohorts of those records, not the model
    (which is trained on every survey source)."""
    settings = settings or get_settings()
    if mode not in ("employee", "contract"):
        raise InvalidInput(f"unknown mode {mode!r}; use employee or contract", field="mode")
    lines = parse_team(team)
    base_place = parse_places(baseline, field="baseline")[0]
    places = [base_place, *[p for p in parse_places(countries) if p.key != base_place.key]]
    codes = list(dict.fromkeys(p.country for p in places))
    base = base_place.key
    chosen = Slice(source=source, kind=kind)
    version = resolve_version(store, chosen)
    row = store.execute(
        f"SELECT max(pay_year) FROM {relation(store, chosen)} WHERE dataset_version <= ?", [version]
    ).fetchone()
    year = int(row[0]) if row and row[0] is not None else 2024
    model_version = None
    per_country: dict[str, list[LineCost]]
    if mode == "contract":
        method = "published contractor hourly rates x 2,080 hours (third-party figures)"
        per_country = {c: contract_lines(store, lines, c) for c in codes}
    else:
        default = chosen.kind is None and chosen.source is None
        got = (
            model_lines(store, lines, codes, settings)
            if default
            else f"{chosen.unit}{f' of {source}' if source else ''} only"
        )
        if isinstance(got, str):
            method = f"cohort percentiles of {chosen.unit}, pay years {year - 1}-{year} ({got})"
            per_country = {
                c: cohort_lines(store, lines, c, version, (year - 1, year), settings, chosen)
                for c in codes
            }
        else:
            per_country, model_version = got
            method = f"champion model estimates ({model_version or 'unversioned'})"
    if any(p.metro for p in places):
        method += "; US metros: the US figure times the BLS OEWS metro differential"
    result = []
    base_total: Band | None = None
    for place in places:
        c = place.country
        cl = per_country[c]
        if place.metro is not None:
            cl = metro_lines(store, cl, place, contract=mode == "contract")
        oc = (on_costs or {}).get(c)
        total = None
        if all(ln.total is not None for ln in cl):
            total = Band(0, 0, 0)
            for ln in cl:
                assert ln.total is not None
                total = total.plus(ln.total)
            if oc:
                total = total.scaled(1 + oc.rate)
        if place.key == base:
            base_total = total
        cur = local_currency(c)
        try:
            local = total.scaled(from_usd(1.0, cur, year=year)) if total else None
        except UnknownCurrency:  # no ECB rate and no official peg (ARS): USD only
            local = None
        savings = None
        if total and base_total and place.key != base:
            # savings at matched percentiles (P10 vs P10, P50 vs P50, P90 vs P90): the range
            # spans all three, so it always holds the median's saving
            matched = [
                (1 - getattr(total, p) / getattr(base_total, p)) * 100
                for p in ("p10", "p50", "p90")
            ]
            savings = Interval(matched[1], min(matched), max(matched))
        note = None if total else "incomplete: some lines have no figure"
        if total and local is None:
            note = f"no exchange rate for {cur}: USD only"
        result.append(
            CountryCost(
                c,
                place.name,
                cur,
                cl,
                total,
                local,
                oc,
                savings,
                note,
                place=place.key,
                metro=place.metro.as_dict() if place.metro else None,
                ppp=_ppp_view(store, place, total, local, year),
            )
        )
    return TeamCostResult(mode, method, base, version, year, lines, result, model_version)


def _ppp_view(
    store: Store, place: TeamPlace, total: Band | None, local: Band | None, year: int
) -> PppView | None:
    """The total in PPP international dollars (World Bank) and, for US places, in RPP-adjusted
    dollars (BEA; a place without a metro is the US average, RPP = 100)."""
    if total is None or local is None:
        return None
    notes: list[str] = []
    try:
        factor = ppp_factor(store, place.country, year)
        rpp = metro_rpp(store, place.metro.cbsa if place.metro else None)
    except StoreError as exc:
        return PppView(None, None, None, None, None, (str(exc.args[0]),))
    if factor is None:
        notes.append(f"World Bank publishes no PPP factor for {place.country}")
    elif factor[1] != year:
        notes.append(f"PPP factor of {factor[1]} (latest published)")
    intl = local.scaled(1 / factor[0]) if factor else None
    rpp_usd = None
    if place.country == "US":
        if rpp is None:
            notes.append("BEA publishes no RPP for this metro")
        else:
            rpp_usd = total.scaled(100.0 / rpp)
            if place.metro is None:
                notes.append("no metro: RPP = 100 (the US average)")
    else:
        rpp = None
    sources = [WORLD_BANK] + ([BEA] if rpp is not None else [])
    return PppView(intl, factor[0] if factor else None, factor[1] if factor else None, rpp,
                   rpp_usd, tuple(notes), tuple(sources))  # fmt: skip


__all__ = ["HOURS_PER_YEAR", "MIN_COHORT", "RATE_COUNTRIES", "RATE_REGIONS", "Mode", "team_cost"]
