"""Metro pay differentials from OEWS: how a US metro's median compares with the national median for
the occupation that matches a role family.

``oews_ratio = exp(mean over years of log(metro median / national median))`` over the May
2022-2025 series for the family's closest SOC, and the ratio applied is ``oews_ratio ** BETA``:
the metro backtest on 2023 postings (benchmarks/metro_backtest.py, docs/methodology.md) found
that about 0.61 of the OEWS log differential shows up in advertised AI/data pay, and the damped
ratio had the lowest error in every metro size band. ``log_sd`` is its uncertainty: the standard
error of the mean log ratio (year-to-year spread, never below :data:`MIN_LOG_SD`) combined with
the part of the differential the damping leaves out (``(1 - BETA) * |log oews_ratio|``).
When BLS publishes no series for the family's SOC in the metro, the closest published
occupation is used (``match = "fallback"``), and failing that the metro's employment-weighted
tech median (all 21 occupations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from payatlas.errors import InvalidInput
from payatlas.normalize.metros import MetroMatch
from payatlas.official.crosswalk import CROSSWALK, SOC_TITLES
from payatlas.official.datasets import BLS
from payatlas.official.oews import median_series, query_official

#: occupations to fall back on, closest first, when the family's own has no metro series
FALLBACK_SOCS = ("15-1252", "15-1211", "15-1299", "11-3021")
#: the smallest log uncertainty a differential carries (OEWS medians have sampling error)
MIN_LOG_SD = 0.02
#: share of the OEWS log differential applied (fitted by benchmarks/metro_backtest.py)
BETA = 0.61
METHODS = ("damped", "mean_log", "latest")


@dataclass(frozen=True, slots=True)
class Differential:
    """A metro's pay level relative to the US for one occupation."""

    cbsa: str
    metro: str
    short_name: str
    soc: str
    occupation: str
    match: str  # "direct" | "proxy" | "fallback" | "all_tech"
    ratio: float  # applied to the US estimate
    oews_ratio: float  # metro median / national median (geometric mean over the years)
    log_sd: float
    years: tuple[int, ...]
    metro_median: float  # latest year
    national_median: float  # latest year
    method: str

    @property
    def label(self) -> str:
        """e.g. "Austin vs US"."""
        return f"{self.short_name} vs US"

    @property
    def source(self) -> str:
        span = f"{self.years[0]}-{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])
        return (
            f"BLS OEWS May {span}, SOC {self.soc} {self.occupation}: {self.metro} median over "
            f"the national median ({self.match}), method {self.method}"
        )

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out.update(years=list(self.years), label=self.label, source=self.source, credit=BLS)
        for name in ("ratio", "oews_ratio", "log_sd"):
            out[name] = round(getattr(self, name), 4)
        return out


def _from_series(series: dict[int, tuple[float, float]], method: str) -> tuple[float, float, float]:
    """(applied ratio, OEWS ratio, log uncertainty) of a year -> (metro, national) series."""
    logs = [math.log(m / n) for _, (m, n) in sorted(series.items())]
    mean = sum(logs) / len(logs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (len(logs) - 1)) if len(logs) > 1 else 0.0
    if method == "latest":
        return math.exp(logs[-1]), math.exp(logs[-1]), max(sd, MIN_LOG_SD)
    se = max(sd / math.sqrt(len(logs)), MIN_LOG_SD)
    if method == "mean_log":
        return math.exp(mean), math.exp(mean), se
    left_out = (1 - BETA) * abs(mean)
    return math.exp(BETA * mean), math.exp(mean), math.sqrt(se**2 + left_out**2)


def _all_tech(store: Any, cbsa: str) -> dict[int, tuple[float, float]]:
    """Year -> (metro, national) employment-weighted medians over the occupations both publish."""
    rows = query_official(
        store,
        "SELECT m.year, sum(m.p50 * m.tot_emp) / sum(m.tot_emp), "
        "sum(n.p50 * m.tot_emp) / sum(m.tot_emp) FROM oews_metro_median m JOIN oews_national n "
        "ON n.year = m.year AND n.soc = m.soc WHERE m.cbsa = ? AND m.p50 IS NOT NULL "
        "AND m.tot_emp > 0 AND n.p50 IS NOT NULL GROUP BY m.year ORDER BY m.year",
        [cbsa],
    )
    return {int(y): (float(a), float(b)) for y, a, b in rows}


def metro_differential(
    store: Any, *, family: str, metro: MetroMatch, method: str = "damped"
) -> Differential:
    """The OEWS differential of ``metro`` for ``family`` (see the module docstring)."""
    if method not in METHODS:
        raise InvalidInput(f"unknown differential method {method!r}", field="method")
    if not metro.metro.official:
        raise InvalidInput(
            f"BLS OEWS publishes no figures for {metro.metro.title}; no metro differential",
            field="metro",
        )
    own = CROSSWALK.get(family)
    tries = [(own.soc, own.match)] if own else []
    tries += [(soc, "fallback") for soc in FALLBACK_SOCS if not own or soc != own.soc]
    for soc, match in tries:
        series = median_series(store, soc=soc, cbsa=metro.cbsa)
        if series:
            return _build(metro, soc, SOC_TITLES[soc], match, series, method)
    series = _all_tech(store, metro.cbsa)
    if not series:
        raise InvalidInput(f"no OEWS medians for {metro.metro.title}", field="metro")
    return _build(metro, "15-0000", "all tech occupations (weighted)", "all_tech", series, method)


def _build(
    metro: MetroMatch,
    soc: str,
    occupation: str,
    match: str,
    series: dict[int, tuple[float, float]],
    method: str,
) -> Differential:
    ratio, oews_ratio, sd = _from_series(series, method)
    latest = series[max(series)]
    return Differential(
        cbsa=metro.cbsa,
        metro=metro.metro.title,
        short_name=metro.short_name,
        soc=soc,
        occupation=occupation,
        match=match,
        ratio=ratio,
        oews_ratio=oews_ratio,
        log_sd=sd,
        years=tuple(sorted(series)),
        metro_median=latest[0],
        national_median=latest[1],
        method=method,
    )
