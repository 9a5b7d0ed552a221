"""What a premium compares (its specification) and one way of measuring it (a view): shared by
the matched-cohort measure (:mod:`payatlas.analytics.premiums`), the model-adjusted one
(:mod:`payatlas.analytics.modelview`) and their caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from payatlas.analytics.filters import REMOTE_BAND_SQL
from payatlas.analytics.privacy import Interval
from payatlas.normalize.titles import ROLE_FAMILIES

MIN_MATCHED = 30  # matched records needed on each side

AI_ML_FAMILIES = tuple(f.slug for f in ROLE_FAMILIES if f.group == "ai_ml")
#: the comparison group of the AI/ML premium: software engineering roles and data analysts
SOFTWARE_ANALYST_FAMILIES = (
    *(f.slug for f in ROLE_FAMILIES if f.group == "software"),
    "data_analyst",
)


#: the remote premium here and the remote reason of an estimate measure different things
REMOTE_NOTE = (
    "An average over the slice: remote (over 80%) vs on-site (under 20%) survey records matched "
    "on family, level, country and year, and the model's P50 at 100% vs 0% remote over the "
    "slice's profiles. An estimate's reasons show the remote share for that one profile against "
    "the reference profile (a mid-level Data Scientist on site in the US), so the two can differ."
)


@dataclass(frozen=True, slots=True)
class PremiumSpec:
    """What a premium compares: side A vs side B, matched on ``cells``.

    Every built-in premium is matched on the pay year as well as the country (a fixed mix: the
    same years and countries on both sides), so a group that exists only in some years (the
    software families, 2024 only in the bundled data) cannot turn a change of the comparison
    group into a change of the premium; :func:`payatlas.analytics.premiums.mix_warnings` says
    when a group is missing in some years."""

    key: str
    label: str
    side_a: str  # SQL condition
    side_b: str
    cells: tuple[str, ...]  # BY_FIELDS names matched on
    varies: str  # the slice field the premium varies (its filter is ignored)
    a_label: str
    b_label: str
    model_change: dict[str, Any] = field(default_factory=dict)  # for the model view
    #: what the figure is, where another surface shows a figure of the same name
    note: str | None = None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


SPECS: tuple[PremiumSpec, ...] = (
    PremiumSpec(
        "ai_ml",
        "AI/ML roles vs software engineering & analyst roles",
        _in("role_family", AI_ML_FAMILIES),
        _in("role_family", SOFTWARE_ANALYST_FAMILIES),
        ("level", "country", "year"),
        "role",
        "AI/ML roles",
        "software & analyst roles",
    ),
    PremiumSpec(
        "remote",
        "Remote vs on-site",
        f"{REMOTE_BAND_SQL} = 'remote'",
        f"{REMOTE_BAND_SQL} = 'on-site'",
        ("role_family", "level", "country", "year"),
        "remote",
        "remote",
        "on-site",
        {"remote": (100, 0)},
        REMOTE_NOTE,
    ),
    PremiumSpec(
        "size_L_vs_M",
        "Company size L vs M",
        "company_size = 'L'",
        "company_size = 'M'",
        ("role_family", "level", "country", "year"),
        "company_size",
        "L",
        "M",
        {"company_size": ("L", "M")},
    ),
    PremiumSpec(
        "size_S_vs_M",
        "Company size S vs M",
        "company_size = 'S'",
        "company_size = 'M'",
        ("role_family", "level", "country", "year"),
        "company_size",
        "S",
        "M",
        {"company_size": ("S", "M")},
    ),
    *(
        PremiumSpec(
            f"level_{lv}_vs_mid",
            f"{lv.capitalize()} vs mid",
            f"level = '{lv}'",
            "level = 'mid'",
            ("role_family", "country", "year"),
            "level",
            lv,
            "mid",
            {"level": (lv, "mid")},
        )
        for lv in ("entry", "senior", "executive")
    ),
)
SPEC_BY_KEY = {s.key: s for s in SPECS}


@dataclass(frozen=True, slots=True)
class PremiumView:
    """One way of measuring a premium: percent with 90% interval, and what it rests on."""

    method: str
    premium: Interval
    n_a: int | None = None
    n_b: int | None = None
    cells: int | None = None

    def as_dict(self) -> dict[str, Any]:
        p = self.premium.as_dict()
        out: dict[str, Any] = {
            "method": self.method,
            "premium_pct": p["value"],
            "low_pct": p["low"],
            "high_pct": p["high"],
        }
        out.update(n_a=self.n_a, n_b=self.n_b, cells=self.cells, note=self.premium.note)
        return out
