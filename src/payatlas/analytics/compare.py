"""Reports vs data: published indicators beside the same quantity measured on PayAtlas records.

Each comparison names the published figure with its citation, what PayAtlas measured (and how
the definitions differ), the PayAtlas figure with its 90% interval and record count -- or
"too few records" / a suppression note instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from payatlas.analytics.filters import Slice, resolve_version, where_sql
from payatlas.analytics.indicators import Indicator, find
from payatlas.analytics.premium_specs import AI_ML_FAMILIES, SPEC_BY_KEY, PremiumSpec
from payatlas.analytics.premiums import matched_premium
from payatlas.analytics.premiums_cache import MEDIAN_CACHE, data_key
from payatlas.analytics.privacy import COUNT_SQL, TOO_FEW, Interval, suppressed_note
from payatlas.analytics.stats import boot_medians, cohort_arrays, interval, rng_for
from payatlas.analytics.trends import MIN_RECORDS
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

_MEDIAN_PURPOSE = 41  # seeds the median's bootstrap (with the settings seed)

#: indicator region -> slice filters for the place it describes
REGION_SLICES: dict[str, dict[str, str]] = {
    "Latin America": {"region": "latin_america"},
    "India": {"country": "IN"},
    "UK/Western Europe": {"region": "western_europe"},
    "Eastern Europe": {"region": "eastern_europe"},
}


@dataclass(frozen=True, slots=True)
class Comparison:
    """A published figure and the PayAtlas measurement of the same quantity."""

    reported: Indicator
    measured: Interval
    unit: str
    n: int | None
    what: str
    data_period: str
    caveat: str
    #: what the measurement is computed from: "survey records", or "job postings" (demand rows)
    source: str = "survey records"

    @property
    def text(self) -> str:
        """'reports: ai_wage_premium 56 percent (2025, source) -- PayAtlas data: +25% [..]'."""
        r = self.reported
        head = f"reports: {r.indicator} {r.value_text} ({r.region}, {r.period}; {r.citation})"
        m = self.measured
        if m.value is None:
            return f"{head} -- PayAtlas data: {m.note}"
        if self.unit == "percent":
            value = f"{m.value:+.1f}% [{m.low:+.1f}%, {m.high:+.1f}%]"
        elif self.unit == "share percent":
            value = f"{m.value:.1f}% [{m.low:.1f}%, {m.high:.1f}%]"
        elif self.unit == "times":
            value = f"x{m.value:.2f} [x{m.low:.2f}, x{m.high:.2f}]"
        elif self.unit == "per 1,000":
            value = f"{m.value:.0f} per 1,000 [{m.low:.0f}, {m.high:.0f}]"
        else:
            value = f"${m.value:,.0f} [${m.low:,.0f}, ${m.high:,.0f}]"
        n = f"n = {self.n:,}" + ("" if self.source == "survey records" else f" {self.source}")
        return f"{head} -- PayAtlas data: {value}, {n} ({self.data_period})"

    def as_dict(self) -> dict[str, Any]:
        m = self.measured.as_dict()
        return {
            "reported": self.reported.as_dict(),
            "payatlas": {
                "value": m["value"],
                "low": m["low"],
                "high": m["high"],
                "unit": self.unit,
                "n": self.n,
                "note": self.measured.note,
                "what": self.what,
                "data_period": self.data_period,
                "interval": "90%",
                "source": self.source,
            },
            "caveat": self.caveat,
            "text": self.text,
        }

    def row(self) -> dict[str, Any]:
        d = self.as_dict()
        r, p = d["reported"], d["payatlas"]
        return {
            "indicator": r["indicator"],
            "region": r["region"],
            "period": r["period"],
            "reported_low": r["value_low"],
            "reported_high": r["value_high"],
            "reported_unit": r["unit"],
            "citation": r["citation"],
            "payatlas_value": p["value"],
            "payatlas_low": p["low"],
            "payatlas_high": p["high"],
            "payatlas_unit": p["unit"],
            "payatlas_n": p["n"],
            "payatlas_note": p["note"],
            "payatlas_what": p["what"],
            "payatlas_source": p["source"],
            "data_period": p["data_period"],
        }


@dataclass(frozen=True, slots=True)
class ComparisonsResult:
    """All the "reports vs data" comparisons PayAtlas can make on the current dataset."""

    dataset_version: int
    comparisons: list[Comparison]
    unit: str = "survey records"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "indicator_comparisons",
            "dataset_version": self.dataset_version,
            "unit": self.unit,
            "row_policy": "all rows, outliers excluded",
            "comparisons": [c.as_dict() for c in self.comparisons],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [c.row() for c in self.comparisons]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows())


def _pay_years(store: Store, version: int) -> tuple[int, int]:
    """The first and last pay year in the data ((0, 0) when there is none)."""
    row = store.execute(
        "SELECT min(pay_year), max(pay_year) FROM records WHERE dataset_version <= ?", [version]
    ).fetchone()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else (0, 0)


def _data_year(years: tuple[int, int], period: str) -> int:
    """The pay year to compare a report with: its own year, or the latest year in the data."""
    lo, hi = years
    year = int(period[:4]) if period[:4].isdigit() else hi
    return min(max(year, lo), hi)


def _premium(
    store: Store, spec: PremiumSpec, slice_: Slice, version: int, settings: Settings
) -> tuple[Interval, int | None, str]:
    """The matched premium, its record count and the count per side ("" when thin)."""
    view = matched_premium(store, spec, slice_, version, settings, purpose=31)
    if not view.premium.available:
        return view.premium, None, ""
    sides = f" (records: {view.n_a:,} {spec.a_label}, {view.n_b:,} {spec.b_label})"
    return view.premium, (view.n_a or 0) + (view.n_b or 0), sides


def compare_indicators(
    store: Store, *, settings: Settings | None = None, version: int | None = None
) -> ComparisonsResult:
    """Every published indicator PayAtlas can measure, beside the PayAtlas figure."""
    settings = settings or get_settings()
    v = resolve_version(store, Slice(version=version))
    ai = SPEC_BY_KEY["ai_ml"]
    years = _pay_years(store, v)
    out: list[Comparison] = []
    for ind in find(store, "ai_wage_premium") + find(store, "skills_wage_premium"):
        year = _data_year(years, ind.period)
        country = None if ind.region == "Global" else ind.region
        sl = Slice(year=year, version=v, country=country)
        value, n, sides = _premium(store, ai, sl, v, settings)
        out.append(
            Comparison(
                ind,
                value,
                "percent",
                n,
                "AI/ML role families vs software engineering & analyst roles, matched on level "
                f"and country, {country or 'all countries'}{sides}",
                f"pay year {year}",
                "reports measure AI *skills* within the same role from job postings; PayAtlas "
                "compares AI/ML *roles* with software/analyst roles in survey records",
            )
        )
    for ind in find(store, "median_ai_salary", region="US"):
        year = _data_year(years, ind.period)
        value, n = _ai_median(store, year, v, settings)
        out.append(
            Comparison(
                ind,
                value,
                "USD per year",
                n,
                "median annual pay of AI/ML role families in the US",
                f"pay year {year}",
                "reports' 'AI-related roles' may be defined more widely",
            )
        )
    for ind in find(store, "cost_saving_vs_us"):
        place = REGION_SLICES.get(ind.region, {})
        if not place:
            continue
        year = _data_year(years, ind.period)
        spec = PremiumSpec(
            "cost_vs_us",
            f"{ind.region} vs US",
            _place_sql(place),
            "country = 'US'",
            ("role_family", "level"),
            "country",
            ind.region,
            "US",
        )
        value, n, sides = _premium(store, spec, Slice(year=year, version=v), v, settings)
        saving = (
            Interval(-value.value, -(value.high or 0), -(value.low or 0))
            if value.value is not None
            else value
        )
        out.append(
            Comparison(
                ind,
                saving,
                "percent",
                n,
                f"pay saving vs US: all role families, {ind.region} vs US matched on role family "
                f"and level{sides}",
                f"pay year {year}",
                "PayAtlas compares salaries in survey records (all data/AI roles); reports compare "
                "hiring cost of AI/ML engineering",
            )
        )
    from payatlas.analytics.demand_compare import demand_comparisons

    demand_rows = demand_comparisons(store, settings, Comparison)
    unit = "survey records" + ("; job postings for the demand rows" if demand_rows else "")
    return ComparisonsResult(v, out + demand_rows, unit=unit)


def _place_sql(place: dict[str, str]) -> str:
    ((field, value),) = place.items()
    return f"{field} = '{value}'"


def _ai_median(
    store: Store, year: int, version: int, settings: Settings
) -> tuple[Interval, int | None]:

    base = Slice(country="US", year=year, version=version)
    where, params = where_sql(base, version)
    marks = ", ".join("?" for _ in AI_ML_FAMILIES)
    where = f"{where} AND role_family IN ({marks})"
    params = [*params, *AI_ML_FAMILIES]
    return _median_where(store, where, params, version, settings)


def _median_where(
    store: Store, where: str, params: list[Any], version: int, settings: Settings
) -> tuple[Interval, int | None]:
    """The median of the records matching ``where`` with its bootstrap 90% interval and count.

    Cached in process (bounded, see :mod:`payatlas.analytics.premiums_cache`) under the data
    version, the filter (SQL and parameters), the seed, the privacy threshold, the smallest count
    shown and the bootstrap's purpose: a repeated call returns the same figure at once.
    """
    key = (
        data_key(store, version),
        "median",
        where,
        tuple(params),
        settings.seed,
        settings.disclosure,
        MIN_RECORDS,
        _MEDIAN_PURPOSE,
    )
    return MEDIAN_CACHE.get_or_compute(
        key, lambda: _bootstrap_median(store, where, params, settings)
    )


def _bootstrap_median(
    store: Store, where: str, params: list[Any], settings: Settings
) -> tuple[Interval, int | None]:
    rule = settings.disclosure
    pay = rule.pay_sql()
    row = store.execute(
        f"SELECT {COUNT_SQL}, median({pay}) FROM records WHERE {where}", params
    ).fetchone()
    n = int(row[0]) if row else 0
    if n < rule.threshold or row is None:
        return Interval(None, note=suppressed_note(rule.threshold)), None
    if n < MIN_RECORDS:
        return Interval(None, note=TOO_FEW), None
    med = float(row[2])
    arrays = cohort_arrays(
        store,
        where=where,
        params=params,
        keys=["1"],
        counts={(1,): n},
        seed=settings.seed,
        pay=pay,
    )
    reps = boot_medians(
        arrays[(1,)], n_full=n, median_full=med, rng=rng_for(settings.seed, _MEDIAN_PURPOSE)
    )
    lo, hi = interval(reps)
    return Interval(med, lo, hi), rule.count(n, int(row[1]))
