"""Team cost results: P10/P50/P90 bands, per-line costs with evidence, per-country totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payatlas.analytics.privacy import Interval
from payatlas.analytics.team_input import OnCost, TeamLine


@dataclass(frozen=True, slots=True)
class Band:
    """A P10/P50/P90 band in one currency."""

    p10: float
    p50: float
    p90: float

    def scaled(self, k: float) -> Band:
        return Band(self.p10 * k, self.p50 * k, self.p90 * k)

    def plus(self, other: Band) -> Band:
        return Band(self.p10 + other.p10, self.p50 + other.p50, self.p90 + other.p90)

    def as_dict(self) -> dict[str, float]:
        return {"p10": round(self.p10), "p50": round(self.p50), "p90": round(self.p90)}


@dataclass(frozen=True, slots=True)
class LineCost:
    """One team line in one country: pay per person, line total and the evidence behind it."""

    line: TeamLine
    per_person: Band | None
    total: Band | None
    n_comparable: int | None
    confidence: str
    basis: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.line.as_dict(),
            "per_person_usd": self.per_person.as_dict() if self.per_person else None,
            "total_usd": self.total.as_dict() if self.total else None,
            "n_comparable": self.n_comparable,
            "confidence": self.confidence,
            "basis": self.basis,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class PppView:
    """A team total in purchasing power: PPP international dollars (World Bank) and, for US
    places, RPP-adjusted dollars (BEA regional price parities, US = 100)."""

    international_dollars: Band | None
    ppp_factor: float | None
    ppp_year: int | None
    rpp: float | None
    rpp_adjusted_usd: Band | None
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        intl, rpp_usd = self.international_dollars, self.rpp_adjusted_usd
        return {
            "ppp_international_dollars": intl.as_dict() if intl else None,
            "ppp_factor": self.ppp_factor,
            "ppp_year": self.ppp_year,
            "rpp": self.rpp,
            "rpp_adjusted_usd": rpp_usd.as_dict() if rpp_usd else None,
            "notes": list(self.notes),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class CountryCost:
    """The whole team in one country."""

    country: str
    name: str
    currency: str
    lines: list[LineCost]
    total_usd: Band | None
    total_local: Band | None
    on_cost: OnCost | None
    savings_pct: Interval | None
    note: str | None = None
    #: the place's key: the country code, or ``US-<CBSA>`` for a US metro
    place: str = ""
    metro: dict[str, Any] | None = None
    ppp: PppView | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "place": self.place or self.country,
            "metro": self.metro,
            "name": self.name,
            "currency": self.currency,
            "total_usd": self.total_usd.as_dict() if self.total_usd else None,
            "total_local": self.total_local.as_dict() if self.total_local else None,
            "on_cost_rate": self.on_cost.rate if self.on_cost else None,
            "on_cost_source": self.on_cost.source if self.on_cost else None,
            "savings_vs_baseline_pct": self.savings_pct.as_dict() if self.savings_pct else None,
            "note": self.note,
            "ppp": self.ppp.as_dict() if self.ppp else None,
            "lines": [ln.as_dict() for ln in self.lines],
        }


@dataclass(frozen=True, slots=True)
class TeamCostResult:
    """Team cost per candidate country, with savings vs the baseline and per-line evidence."""

    mode: str
    method: str
    baseline: str
    dataset_version: int
    fx_year: int
    team: list[TeamLine]
    countries: list[CountryCost] = field(default_factory=list)
    model_version: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "team_cost",
            "mode": self.mode,
            "method": self.method,
            "baseline": self.baseline,
            "dataset_version": self.dataset_version,
            "unit": "survey records",
            "row_policy": "all rows, outliers excluded",
            "model_version": self.model_version,
            "fx": f"ECB mean rate of {self.fx_year}",
            "range": "sum of per-line P10 / P50 / P90 (planning band)",
            "purchasing_power": "total in PPP international dollars (World Bank PA.NUS.PPP) "
            "and, for US places, in RPP-adjusted dollars (BEA RPP 2024, US = 100)",
            "team": [t.as_dict() for t in self.team],
            "countries": [c.as_dict() for c in self.countries],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per country: totals, savings and the evidence summary."""
        out = []
        for c in self.countries:
            t = c.total_usd.as_dict() if c.total_usd else {}
            loc = c.total_local.as_dict() if c.total_local else {}
            s = c.savings_pct.as_dict() if c.savings_pct else {}
            pp = c.ppp
            intl = pp.international_dollars.p50 if pp and pp.international_dollars else None
            rpp_usd = pp.rpp_adjusted_usd.p50 if pp and pp.rpp_adjusted_usd else None
            out.append(
                {
                    "country": c.country,
                    "place": c.place or c.country,
                    "currency": c.currency,
                    **{f"total_usd_{k}": v for k, v in t.items()},
                    **{f"total_local_{k}": v for k, v in loc.items()},
                    "savings_pct": s.get("value"),
                    "savings_low": s.get("low"),
                    "savings_high": s.get("high"),
                    "on_cost_rate": c.on_cost.rate if c.on_cost else None,
                    "total_ppp_intl_p50": None if intl is None else round(intl),
                    "total_rpp_usd_p50": None if rpp_usd is None else round(rpp_usd),
                    "min_n_comparable": _min_n(c.lines),
                    "note": c.note,
                }
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows())

    def lines_frame(self) -> pd.DataFrame:
        rows = []
        for c in self.countries:
            for ln in c.lines:
                d = ln.as_dict()
                pp, tt = d.pop("per_person_usd") or {}, d.pop("total_usd") or {}
                rows.append(
                    {
                        "country": c.country,
                        "place": c.place or c.country,
                        **d,
                        **{f"per_person_{k}": v for k, v in pp.items()},
                        **{f"line_total_{k}": v for k, v in tt.items()},
                    }
                )
        return pd.DataFrame(rows)


def _min_n(lines: Sequence[LineCost]) -> int | None:
    ns = [ln.n_comparable for ln in lines]
    return None if any(n is None for n in ns) else min(n for n in ns if n is not None)
