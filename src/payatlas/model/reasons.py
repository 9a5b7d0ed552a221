"""Reasons: each profile field's share of the difference from a reference profile, in percent.

The P50 of a profile is compared with the P50 of a fixed reference profile (a mid-level Data
Scientist working on site, full time, in the US, for a mid-size company, in the latest pay year).
For the k fields where the two differ, the model's log-P50 is evaluated on all 2^k hybrids
(each field taken from the profile or from the reference) and each field gets its exact Shapley
value. This is baseline (interventional) Shapley at the level of *input fields*: TreeSHAP
attributes to model features, and several features here derive from more than one field (the
shrunk cell means), so grouping TreeSHAP by field would not be exact; evaluating the hybrids is
exact and cheap (k <= 8, so at most 256 rows in one predict call).

By the efficiency property the log contributions sum to ``log P50 - log P50_ref``; as premiums,
``P50_ref * prod(1 + premium_i) = P50``. The calibration offset (which depends on country and
level) is part of the P50 and so is attributed to those fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from payatlas.model.artifact import FittedModel
from payatlas.model.data import title_key
from payatlas.model.profiles import Resolved
from payatlas.normalize.countries import country_name
from payatlas.normalize.titles import FAMILY_BY_SLUG
from payatlas.output import Output

#: field -> the model-frame columns it sets
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "role": ("role_family", "tkey"),
    "level": ("level",),
    "country": ("country", "region"),
    "residence": ("abroad",),
    "remote": ("remote",),
    "company_size": ("company_size",),
    "employment_type": ("employment_type",),
    "year": ("year",),
}
EMPLOYMENT_LABELS = {"FT": "full-time", "PT": "part-time", "CT": "contract", "FL": "freelance"}


@dataclass(frozen=True, slots=True)
class Reason(Output):
    """One field's premium against the reference profile (they add up to the estimate)."""

    field: str
    label: str
    premium_pct: float


def reference_row(model: FittedModel) -> dict[str, Any]:
    """The reference profile as a model-frame row."""
    return {
        "role_family": "data_scientist",
        "tkey": title_key("Data Scientist"),
        "level": "mid",
        "country": "US",
        "region": "north_america",
        "residence": "US",
        "abroad": False,
        "remote": 0,
        "company_size": "M",
        "employment_type": "FT",
        "year": int(model.meta["years"][1]),
    }


def describe_reference(model: FittedModel) -> str:
    """The reference profile in words."""
    year = int(model.meta["years"][1])
    return f"Data Scientist, mid level, on site, full-time, company size M, US, {year}"


def explain(model: FittedModel, profile: Resolved) -> tuple[float, list[Reason]]:
    """(reference log-P50, reasons) for a resolved profile; reasons sum to the log ratio.

    A pure function of the model and the resolved profile (flags aside), so it is remembered
    per model id and model-frame row: a profile asked again costs no model evaluation. Not the
    same cache as the model's row memo (``FittedModel.point_rows``): that one keeps the point
    prediction of each of the 2^k hybrid rows (what a new row saves), this one the finished
    explanation of a row (what different requests for the same row save, e.g. other years of
    experience of one level: without it such requests cost 2.7x the server CPU)."""
    ref_log, reasons = _explain(model.model_id, model, profile.row_key())
    return ref_log, list(reasons)


@lru_cache(maxsize=32768)
def _explain(
    model_id: str, model: FittedModel, key: tuple[tuple[str, Any], ...]
) -> tuple[float, tuple[Reason, ...]]:
    del model_id  # part of the cache key only: a promoted model never reuses an entry
    ref_log, reasons = _shapley(model, dict(key))
    return ref_log, tuple(reasons)


def _shapley(model: FittedModel, row: dict[str, Any]) -> tuple[float, list[Reason]]:
    """Exact Shapley values of the fields that differ from the reference profile."""
    ref = reference_row(model)
    fields = [f for f, cols in FIELD_COLUMNS.items() if any(row[c] != ref[c] for c in cols)]
    k = len(fields)
    hybrids = []
    for mask in range(1 << k):
        h = dict(ref)
        for i, f in enumerate(fields):
            if mask >> i & 1:
                for c in FIELD_COLUMNS[f]:
                    h[c] = row[c]
        hybrids.append(h)
    values = model.log_quantiles_rows(hybrids)[:, 2]
    reasons = []
    for i, f in enumerate(fields):
        phi = 0.0
        others = [j for j in range(k) if j != i]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in combinations(others, size):
                base = sum(1 << j for j in subset)
                phi += weight * (values[base | 1 << i] - values[base])
        reasons.append(Reason(f, _label(f, row, ref), math.expm1(phi) * 100.0))
    return float(values[0]), reasons


def _label(field: str, row: dict[str, Any], ref: dict[str, Any]) -> str:
    if field == "role":
        label = FAMILY_BY_SLUG[row["role_family"]].label
        if row["role_family"] == ref["role_family"]:
            return f"title '{row['tkey']}' vs Data Scientist"
        return f"{label} vs Data Scientist"
    if field == "level":
        return f"{row['level']} vs {ref['level']}"
    if field == "country":
        return f"{country_name(row['country'])} vs {country_name(ref['country'])}"
    if field == "residence":
        return f"lives in {country_name(row['residence'])} vs in the country of work"
    if field == "remote":
        # this profile's share against the reference profile; the Market's remote premium is an
        # average over a slice (payatlas.analytics.premium_specs.REMOTE_NOTE)
        return f"remote {row['remote']}% vs on site (this profile)"
    if field == "company_size":
        return f"company size {row['company_size']} vs {ref['company_size']}"
    if field == "employment_type":
        emp = EMPLOYMENT_LABELS.get(row["employment_type"], row["employment_type"])
        return f"{emp} vs full-time"
    return f"{row['year']} vs {ref['year']}"
