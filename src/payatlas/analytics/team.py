"""Team cost planner: what a team costs per year in each candidate country, vs a baseline.

Per line and country, pay per person (P10/P50/P90, USD) comes from:

* ``mode="employee"``: the champion model's estimate (``payatlas.model.estimate_batch``); with
  no champion yet, the cohort percentiles of role family x level x country, backing off to
  region and then to all countries (cohorts of at least ``max(privacy_threshold, 20)`` rows);
* ``mode="contract"``: the published contractor hourly rates by region (third-party figures,
  labelled as such) x 2,080 hours.

Team totals add the lines' P10s, P50s and P90s (a planning band: everyone at the low / middle /
high end), plus optional employer on-costs. Savings vs the baseline compare like with like:
P50 with P50, and the range spans P90-vs-P90 to P10-vs-P10.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from payatlas.analytics.filters import Slice, resolve_version, where_sql
from payatlas.analytics.indicators import find
from payatlas.analytics.modelview import estimate_profiles
from payatlas.analytics.privacy import Interval
from payatlas.analytics.team_input import OnCost, TeamLine, parse_countries, parse_team
from payatlas.analytics.team_result import Band, CountryCost, LineCost, TeamCostResult
from payatlas.disclosure import record_key_sql
from payatlas.errors import InvalidInput, UnknownCurrency
from payatlas.model.evidence import withheld_note
from payatlas.normalize.countries import REGIONS, country_name, local_currency, region_of
from payatlas.normalize.fx import from_usd
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

Mode = Literal["employee", "contract"]
HOURS_PER_YEAR = 2080
MIN_COHORT = 20
#: our regions -> the region names used by the published contractor rates
RATE_REGIONS: dict[str, str] = {
    "north_america": "USA/Canada",
    "western_europe": "UK/Western Europe",
    "eastern_europe": "Eastern Europe",
    "latin_america": "Latin America",
}
RATE_COUNTRIES: dict[str, str] = {"IN": "India"}


def _confidence(n: int) -> str:
    return "high" if n >= 100 else "medium" if n >= 30 else "low"


def _location_factor(
    store: Store,
    where_place: str,
    version: int,
    years: tuple[int, int],
    settings: Settings,
    key: str,
) -> tuple[float, float, float, int] | None:
    """Pay in a place relative to the US, matched on role family x level (None: too thin)."""
    from payatlas.analytics.premium_specs import PremiumSpec
    from payatlas.analytics.premiums import matched_premium

    spec = PremiumSpec(
        f"loc_{key}",
        "location factor",
        where_place,
        "country = 'US'",
        ("role_family", "level"),
        "country",
        key,
        "US",
    )
    for window in (years, None):  # the recent pay years, else all years
        view = matched_premium(store, spec, Slice(year=window), version, settings, purpose=53)
        p = view.premium
        if p.value is not None and p.low is not None and p.high is not None:
            return 1 + p.value / 100, 1 + p.low / 100, 1 + p.high / 100, int(view.n_a or 0)
    return None


def _cohort_lines(
    store: Store,
    team: Sequence[TeamLine],
    country: str,
    version: int,
    years: tuple[int, int],
    settings: Settings,
) -> list[LineCost]:
    """Fallback without a champion: the cohort of role family x level in the country; when
    that is thin, the US cohort scaled by the country's (else its region's) matched pay ratio
    to the US (P10 by the ratio's low end, P90 by its high end)."""
    rule = settings.disclosure
    need = max(rule.threshold, MIN_COHORT)
    region = region_of(country)
    factors: dict[str, tuple[float, float, float, int] | None] = {}
    out = []
    for line in team:
        where, params = where_sql(Slice(role=line.role, level=line.level, year=years), version)
        q = f"quantile_cont({rule.pay_sql()}, [0.1, 0.5, 0.9])"
        row = store.execute(
            f"SELECT count(*) FILTER (country = ?), {q} FILTER (country = ?), "
            f"count(*) FILTER (country = 'US'), {q} FILTER (country = 'US'), "
            f"sum({record_key_sql()}) FILTER (country = ?), "
            f"sum({record_key_sql()}) FILTER (country = 'US') "
            f"FROM records WHERE {where}",
            [country, country, country, *params],
        ).fetchone()
        assert row is not None
        n_exact = int(row[0])
        shown_n = rule.count(n_exact, int(row[4] or 0)) or None
        us_n = rule.count(int(row[2]), int(row[5] or 0))
        cell = f"{line.role} x {line.level}"
        if n_exact >= need:
            band = Band(*(float(v) for v in row[1]))
            out.append(
                LineCost(
                    line,
                    band,
                    band.scaled(line.headcount),
                    shown_n,
                    _confidence(n_exact),
                    f"cohort percentiles: {cell} in {country} (n = {shown_n:,})",
                )
            )
            continue
        factor, place = None, ""
        if int(row[2]) >= need:
            for key, cond, label in (
                (country, f"country = '{country}'", country),
                (region, f"region = '{region}'", REGIONS[region]),
            ):
                if key not in factors:
                    factors[key] = _location_factor(store, cond, version, years, settings, key)
                if factors[key] is not None:
                    factor, place = factors[key], label
                    break
        if factor is None:
            out.append(
                LineCost(
                    line, None, None, shown_n, "none", "cohort percentiles", note="too few records"
                )
            )
            continue
        k, k_lo, k_hi, n_place = factor
        q10, q50, q90 = (float(v) for v in row[3])
        band = Band(q10 * k_lo, q50 * k, q90 * k_hi)
        out.append(
            LineCost(
                line,
                band,
                band.scaled(line.headcount),
                shown_n,
                "low",
                f"US {cell} (n = {us_n:,}) x {place}/US pay ratio {k:.2f} "
                f"[{k_lo:.2f}, {k_hi:.2f}] (n = {n_place:,} in {place})",
            )
        )
    return out


def _model_lines(
    store: Store, team: Sequence[TeamLine], countries: Sequence[str], settings: Settings
) -> tuple[dict[str, list[LineCost]], str | None] | str:
    profiles = pd.DataFrame(
        [{"role": ln.role, "level": ln.level, "country": c} for c in countries for ln in team]
    )
    est = estimate_profiles(profiles, store=store, settings=settings)
    if isinstance(est, str):
        return est
    frame = est.frame
    out: dict[str, list[LineCost]] = {}
    i = 0
    for c in countries:
        lines = []
        for ln in team:
            r = frame.iloc[i]
            i += 1
            basis = f"champion model {est.model_version or ''}".strip()
            if any(pd.isna(r[k]) for k in ("p10_usd", "p50_usd", "p90_usd")):
                lines.append(
                    LineCost(
                        ln,
                        None,
                        None,
                        None,
                        "none",
                        basis,
                        note="the model cannot estimate this profile",
                    )
                )
                continue
            band = Band(float(r["p10_usd"]), float(r["p50_usd"]), float(r["p90_usd"]))
            # the batch already publishes counts by the estimates' rule (0 or >= threshold)
            shown = int(r["n_comparable"]) if pd.notna(r.get("n_comparable")) else None
            note = None
            if shown is None:
                note = f"comparable records: {withheld_note(settings.privacy_threshold)}"
            elif shown == 0:
                note = (
                    "no comparable records in this country; the estimate borrows from wider cohorts"
                )
            lines.append(
                LineCost(
                    ln,
                    band,
                    band.scaled(ln.headcount),
                    shown,
                    str(r.get("confidence", "unknown")),
                    basis,
                    note,
                )
            )
        out[c] = lines
    return out, est.model_version


def _contract_lines(store: Store, team: Sequence[TeamLine], country: str) -> list[LineCost]:
    place = RATE_COUNTRIES.get(country) or RATE_REGIONS.get(region_of(country))
    out = []
    for line in team:
        kind = "hourly_rate_senior" if line.level in ("senior", "executive") else "hourly_rate_avg"
        found = find(store, kind, region=place) if place else []
        if not found:
            out.append(
                LineCost(
                    line,
                    None,
                    None,
                    None,
                    "none",
                    "published contractor rates",
                    note="no published rate for this country's region",
                )
            )
            continue
        ind = found[0]
        lo, hi = ind.value_low * HOURS_PER_YEAR, ind.value_high * HOURS_PER_YEAR
        band = Band(lo, (lo + hi) / 2, hi)
        out.append(
            LineCost(
                line,
                band,
                band.scaled(line.headcount),
                None,
                "published rate",
                f"published rates ({ind.region}, {ind.period}): {ind.value_text}; {ind.citation}",
            )
        )
    return out


def team_cost(
    store: Store,
    *,
    team: Iterable[TeamLine | Mapping[str, Any]],
    countries: Iterable[str] | str,
    baseline: str = "US",
    settings: Settings | None = None,
    on_costs: Mapping[str, OnCost] | None = None,
    mode: Mode = "employee",
) -> TeamCostResult:
    """Annual cost of ``team`` in each country (baseline first), savings vs the baseline."""
    settings = settings or get_settings()
    if mode not in ("employee", "contract"):
        raise InvalidInput(f"unknown mode {mode!r}; use employee or contract", field="mode")
    lines = parse_team(team)
    base = parse_countries(baseline, field="baseline")[0]
    codes = [base, *[c for c in parse_countries(countries) if c != base]]
    version = resolve_version(store, Slice())
    row = store.execute(
        "SELECT max(pay_year) FROM records WHERE dataset_version <= ?", [version]
    ).fetchone()
    year = int(row[0]) if row and row[0] is not None else 2024
    model_version = None
    per_country: dict[str, list[LineCost]]
    if mode == "contract":
        method = "published contractor hourly rates x 2,080 hours (third-party figures)"
        per_country = {c: _contract_lines(store, lines, c) for c in codes}
    else:
        got = _model_lines(store, lines, codes, settings)
        if isinstance(got, str):
            method = f"cohort percentiles of survey records, pay years {year - 1}-{year} ({got})"
            per_country = {
                c: _cohort_lines(store, lines, c, version, (year - 1, year), settings)
                for c in codes
            }
        else:
            per_country, model_version = got
            method = f"champion model estimates ({model_version or 'unversioned'})"
    result = []
    base_total: Band | None = None
    for c in codes:
        cl = per_country[c]
        oc = (on_costs or {}).get(c)
        total = None
        if all(ln.total is not None for ln in cl):
            total = Band(0, 0, 0)
            for ln in cl:
                assert ln.total is not None
                total = total.plus(ln.total)
            if oc:
                total = total.scaled(1 + oc.rate)
        if c == base:
            base_total = total
        cur = local_currency(c)
        try:
            local = total.scaled(from_usd(1.0, cur, year=year)) if total else None
        except UnknownCurrency:  # no ECB rate and no official peg (ARS): USD only
            local = None
        savings = None
        if total and base_total and c != base:
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
        result.append(CountryCost(c, country_name(c), cur, cl, total, local, oc, savings, note))
    return TeamCostResult(mode, method, base, version, year, lines, result, model_version)
