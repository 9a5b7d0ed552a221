"""Pay per person of each team line in one country (the lines of :mod:`payatlas.analytics.team`).

* :func:`model_lines`: the champion model's estimate (``payatlas.model.estimate_batch``);
* :func:`cohort_lines`: without a champion (or for records the model is not trained on), the
  cohort percentiles of role family x level x country; a thin cohort is the US cohort times the
  country's (else its region's) matched pay ratio to the US (cohorts of at least
  ``max(privacy_threshold, 20)`` rows);
* :func:`contract_lines`: the published contractor hourly rates by region (third-party figures,
  labelled as such) x 2,080 hours;
* :func:`metro_lines`: the US lines for a US metro, times the BLS OEWS metro differential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from payatlas.analytics.filters import Slice, relation, where_sql
from payatlas.analytics.indicators import find
from payatlas.analytics.modelview import estimate_profiles
from payatlas.analytics.team_input import TeamLine, TeamPlace
from payatlas.analytics.team_result import Band, LineCost
from payatlas.disclosure import record_key_sql
from payatlas.errors import InvalidInput, StoreError
from payatlas.model.evidence import withheld_note
from payatlas.model.metro import widen
from payatlas.normalize.countries import REGIONS, region_of
from payatlas.official.differential import metro_differential
from payatlas.settings import Settings
from payatlas.store import Store

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


def _priced(
    line: TeamLine,
    band: Band,
    n: int | None,
    confidence: str,
    basis: str,
    note: str | None = None,
) -> LineCost:
    """A line with a figure: ``band`` per person, times the headcount for the line."""
    return LineCost(line, band, band.scaled(line.headcount), n, confidence, basis, note)


def _unpriced(line: TeamLine, n: int | None, basis: str, note: str) -> LineCost:
    """A line without a figure, and why."""
    return LineCost(line, None, None, n, "none", basis, note=note)


def _location_factor(
    store: Store,
    where_place: str,
    version: int,
    years: tuple[int, int],
    settings: Settings,
    key: str,
    base: Slice | None = None,
) -> tuple[float, float, float, int] | None:
    """Pay in a place relative to the US, matched on role family x level, in the records
    ``base`` selects (default: survey submissions; None: too thin)."""
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
        where = (base or Slice()).replace(year=window)
        view = matched_premium(store, spec, where, version, settings, purpose=53)
        p = view.premium
        if p.value is not None and p.low is not None and p.high is not None:
            return 1 + p.value / 100, 1 + p.low / 100, 1 + p.high / 100, int(view.n_a or 0)
    return None


def cohort_lines(
    store: Store,
    team: Sequence[TeamLine],
    country: str,
    version: int,
    years: tuple[int, int],
    settings: Settings,
    base: Slice | None = None,
) -> list[LineCost]:
    """Fallback without a champion (or for a source / kind the model is not trained on: ``base``
    names them; job postings state no level, so their cohort is the role family): the cohort
    of role family x level in the country; when
    that is thin, the US cohort scaled by the country's (else its region's) matched pay ratio
    to the US (P10 by the ratio's low end, P90 by its high end)."""
    rule = settings.disclosure
    need = max(rule.threshold, MIN_COHORT)
    region = region_of(country)
    factors: dict[str, tuple[float, float, float, int] | None] = {}
    out = []
    for line in team:
        base = base or Slice()
        level = None if base.record_kind == "job_posting" else line.level
        cohort = base.replace(role=line.role, level=level, year=years)
        where, params = where_sql(cohort, version)
        q = f"quantile_cont({rule.pay_sql()}, [0.1, 0.5, 0.9])"
        row = store.execute(
            f"SELECT count(*) FILTER (country = ?), {q} FILTER (country = ?), "
            f"count(*) FILTER (country = 'US'), {q} FILTER (country = 'US'), "
            f"sum({record_key_sql()}) FILTER (country = ?), "
            f"sum({record_key_sql()}) FILTER (country = 'US') "
            f"FROM {relation(store, cohort)} WHERE {where}",
            [country, country, country, *params],
        ).fetchone()
        assert row is not None
        n_exact = int(row[0])
        shown_n = rule.count(n_exact, int(row[4] or 0)) or None
        us_n = rule.count(int(row[2]), int(row[5] or 0))
        cell = f"{line.role} x {line.level}"
        if n_exact >= need:
            band = Band(*(float(v) for v in row[1]))
            basis = f"cohort percentiles: {cell} in {country} (n = {shown_n:,})"
            out.append(_priced(line, band, shown_n, _confidence(n_exact), basis))
            continue
        factor, place = None, ""
        if int(row[2]) >= need:
            for key, cond, label in (
                (country, f"country = '{country}'", country),
                (region, f"region = '{region}'", REGIONS[region]),
            ):
                if key not in factors:
                    factors[key] = _location_factor(
                        store, cond, version, years, settings, key, base
                    )
                if factors[key] is not None:
                    factor, place = factors[key], label
                    break
        if factor is None:
            out.append(_unpriced(line, shown_n, "cohort percentiles", "too few records"))
            continue
        k, k_lo, k_hi, n_place = factor
        q10, q50, q90 = (float(v) for v in row[3])
        band = Band(q10 * k_lo, q50 * k, q90 * k_hi)
        basis = (
            f"US {cell} (n = {us_n:,}) x {place}/US pay ratio {k:.2f} "
            f"[{k_lo:.2f}, {k_hi:.2f}] (n = {n_place:,} in {place})"
        )
        out.append(_priced(line, band, shown_n, "low", basis))
    return out


def model_lines(
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
                lines.append(_unpriced(ln, None, basis, "the model cannot estimate this profile"))
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
            lines.append(_priced(ln, band, shown, str(r.get("confidence", "unknown")), basis, note))
        out[c] = lines
    return out, est.model_version


def contract_lines(store: Store, team: Sequence[TeamLine], country: str) -> list[LineCost]:
    place = RATE_COUNTRIES.get(country) or RATE_REGIONS.get(region_of(country))
    out = []
    for line in team:
        kind = "hourly_rate_senior" if line.level in ("senior", "executive") else "hourly_rate_avg"
        found = find(store, kind, region=place) if place else []
        if not found:
            why = "no published rate for this country's region"
            out.append(_unpriced(line, None, "published contractor rates", why))
            continue
        ind = found[0]
        lo, hi = ind.value_low * HOURS_PER_YEAR, ind.value_high * HOURS_PER_YEAR
        band = Band(lo, (lo + hi) / 2, hi)
        basis = f"published rates ({ind.region}, {ind.period}): {ind.value_text}; {ind.citation}"
        out.append(_priced(line, band, None, "published rate", basis))
    return out


def metro_lines(
    store: Store, us_lines: Sequence[LineCost], place: TeamPlace, *, contract: bool
) -> list[LineCost]:
    """The US lines for a US metro: each band times the OEWS differential of the line's family,
    widened by its uncertainty (as the metro estimate does, :mod:`payatlas.model.metro`)."""
    match = place.metro
    assert match is not None
    out = []
    for ln in us_lines:
        if ln.per_person is None:
            out.append(ln)
            continue
        if contract:
            out.append(replace(ln, note="no published rates per metro: the national rate"))
            continue
        try:
            diff = metro_differential(store, family=ln.line.role, metro=match)
        except (InvalidInput, StoreError) as exc:
            why = f"no metro differential: {getattr(exc, 'reason', exc)}"
            out.append(_unpriced(ln.line, ln.n_comparable, ln.basis, why))
            continue
        b = ln.per_person
        q = widen((b.p10, b.p50, b.p50, b.p50, b.p90), ratio=diff.ratio, log_sd=diff.log_sd)
        band = Band(q[0], q[2], q[4])
        basis = (
            f"{ln.basis}; x {diff.label} {diff.ratio:.3f} (BLS OEWS SOC {diff.soc}, "
            f"official statistics, {diff.match})"
        )
        out.append(_priced(ln.line, band, ln.n_comparable, ln.confidence, basis, ln.note))
    return out


__all__ = [
    "HOURS_PER_YEAR",
    "MIN_COHORT",
    "RATE_COUNTRIES",
    "RATE_REGIONS",
    "cohort_lines",
    "contract_lines",
    "metro_lines",
    "model_lines",
]
