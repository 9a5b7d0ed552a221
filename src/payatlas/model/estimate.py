"""Estimates for one profile or a batch, from the champion model.

An estimate is the model's P10-P90 of annual pay (USD and local currency), the evidence behind it
(comparable records in the same role family x level x country, and the wider cohort it borrows
from), a confidence label, flags where the profile leaves the data, and reasons.

Confidence rule (documented in docs/methodology.md):

- start from the comparable records n (same role family x level x country):
  ``high`` when n >= 30 (and >= the privacy threshold), ``medium`` when n >= the privacy
  threshold (5), else ``low``;
- ``country_not_in_data`` makes it ``low``;
- each of ``unseen_title``, ``few_country_records``, ``outside_years``, ``level_assumed``
  lowers it one step (never below ``low``).

Privacy (the project's rule: a cohort smaller than the privacy threshold is never published):
``n_comparable`` and ``cohort.n`` are published when 0 or at least the threshold; a count of
1 .. threshold - 1 is ``None``, with ``n_comparable_note`` / ``cohort.note`` saying "fewer than
5 ..." and the flag ``few_comparable_records``. The confidence label uses the true count, but
every withheld count gets the same starting step as 0 (``low``), so the label says no more than
"fewer than the threshold". A wider cohort's ``cohort.n`` counts only its narrow cells that are
published themselves, so subtracting published cells from it reveals no withheld cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from payatlas.disclosure import Rule
from payatlas.errors import UnknownCurrency
from payatlas.model.artifact import FittedModel
from payatlas.model.calibration import QUANTILES
from payatlas.model.evidence import BORROW_MIN, COHORTS, Evidence, withheld_note
from payatlas.model.profiles import Resolved, resolve
from payatlas.model.reasons import Reason, describe_reference, explain
from payatlas.model.registry import champion
from payatlas.normalize.countries import local_currency
from payatlas.normalize.fx import usd_rate
from payatlas.schema import Profile
from payatlas.settings import Settings, get_settings

if TYPE_CHECKING:
    from payatlas.store import Store  # annotations only: no DuckDB for an estimate

CONFIDENCE = ("low", "medium", "high")
DEMOTE = frozenset({"unseen_title", "few_country_records", "outside_years", "level_assumed"})
#: flag: a count of comparable records (``n_comparable`` or ``cohort.n``) is withheld
FEW_COMPARABLE = "few_comparable_records"
PCTS = ("p10", "p25", "p50", "p75", "p90")


@dataclass(frozen=True, slots=True)
class LocalRange:
    """The range in the country's currency, at the pay year's average ECB rate."""

    currency: str
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    usd_per_unit: float
    rate_date: str
    rate_basis: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Cohort:
    """The cohort whose evidence the estimate leans on: its records ``n`` as published (None
    when under the privacy threshold, with ``note`` saying so)."""

    name: str
    key: str
    n: int | None
    note: str | None = None

    def published(self, evidence: Evidence, rule: Rule) -> Cohort:
        """This cohort (holding its true count) with the count as published: withheld under
        the threshold, else rounded by its cell key (:meth:`Evidence.published_count`)."""
        if self.n is None:  # already withheld: nothing more to hide
            return self
        n = evidence.published_count(self.name, self.key, rule=rule)
        return Cohort(
            self.name, self.key, n, None if n is not None else withheld_note(rule.threshold)
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"name": self.name, "key": self.key, "n": self.n, "note": self.note}


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a profile pays: a range in USD and local currency, its evidence and its reasons."""

    role_family: str
    role_label: str
    level: str
    country: str
    residence: str
    remote: int
    company_size: str
    employment_type: str
    year: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    currency: str
    local: LocalRange
    formatted: dict[str, str]
    n_comparable: int | None
    n_comparable_note: str | None
    cohort: Cohort
    confidence: str
    flags: tuple[str, ...]
    reasons: tuple[Reason, ...]
    reference: dict[str, Any]
    data_version: int
    model_version: str
    basis: str = field(
        default="annual gross pay from survey submissions (not job postings), USD at the "
        "pay year's average rate"
    )
    metro: dict[str, Any] | None = None  # US metro and its differential (payatlas.model.metro)
    #: beside the survey range: matching job postings' advertised pay and count
    #: (payatlas.model.posting_evidence; set when the estimate is given a store)
    postings: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in ("local", "cohort"):
                value = value.as_dict()
            elif name == "reasons":
                value = [r.as_dict() for r in value]
            elif name == "flags":
                value = list(value)
            out[name] = value
        return out


def confidence_label(n_comparable: int, flags: tuple[str, ...] | list[str], threshold: int) -> str:
    """The confidence rule of the module docstring."""
    if "country_not_in_data" in flags:
        return "low"
    high = max(BORROW_MIN, threshold)  # a withheld count never starts above 0's step
    step = 2 if n_comparable >= high else (1 if n_comparable >= threshold else 0)
    step -= sum(1 for f in flags if f in DEMOTE)
    return CONFIDENCE[max(step, 0)]


@lru_cache(maxsize=16384)
def money(amount: float, currency: str) -> str:
    """A rounded amount for people (nearest 100), e.g. '€123,400'."""
    from babel.numbers import format_currency

    return str(
        format_currency(
            round(amount, -2), currency, locale="en_US", format="¤#,##0", currency_digits=False
        )
    )


def _local(usd: np.ndarray, country: str, year: int) -> tuple[LocalRange, bool]:
    currency = local_currency(country)
    try:
        rate = usd_rate(currency, year=year)
    except UnknownCurrency:
        currency, rate = "USD", usd_rate("USD", year=year)
        missing = True
    else:
        missing = False
    values = [float(round(v / rate.usd_per_unit)) for v in usd]
    return (
        LocalRange(
            currency,
            values[0],
            values[1],
            values[2],
            values[3],
            values[4],
            usd_per_unit=rate.usd_per_unit,
            rate_date=rate.date.isoformat(),
            rate_basis=rate.basis,
        ),
        missing,
    )


@lru_cache(maxsize=32768)
def _core(model_id: str, model: FittedModel, resolved: Resolved) -> tuple[Any, ...]:
    """The cached part of an estimate: quantiles, evidence, local money."""
    row = resolved.row()
    q = np.exp(model.log_quantiles_rows([row])[0])
    usd = np.round(q)
    ev = model.evidence
    n_cell = ev.count(COHORTS[0][0], f"{row['role_family']}|{row['level']}|{row['country']}")
    cohort = Cohort(COHORTS[-1][0], str(row["level"]), ev.count(COHORTS[-1][0], row["level"]))
    for name, cols in COHORTS:
        key = "|".join(str(row[c]) for c in cols)
        n = ev.count(name, key)
        if n >= BORROW_MIN:
            cohort = Cohort(name, key, n)
            break
    local, missing = _local(usd, resolved.country, resolved.year)
    flags = resolved.flags + (("no_local_rate",) if missing else ())
    formatted = {p: money(float(v), "USD") for p, v in zip(PCTS, usd, strict=True)}
    formatted.update({f"local_{p}": money(getattr(local, p), local.currency) for p in PCTS})
    return tuple(float(v) for v in usd), n_cell, cohort, local, flags, formatted


def estimate_resolved(
    model: FittedModel, resolved: Resolved, *, rule: Rule, reasons: bool = True
) -> Estimate:
    """An estimate for a resolved profile from ``model``; its counts are published by ``rule``
    (:attr:`payatlas.settings.Settings.disclosure`)."""
    usd, n_cell, cohort, local, flags, formatted = _core(model.model_id, model, resolved)
    row = resolved.row()
    cell = "|".join(str(row[c]) for c in COHORTS[0][1])
    shown_n = model.evidence.published_count(COHORTS[0][0], cell, rule=rule)
    shown_cohort = cohort.published(model.evidence, rule)
    if shown_n is None or shown_cohort.n is None:
        flags = (*flags, FEW_COMPARABLE)
    why: tuple[Reason, ...] = ()
    reference: dict[str, Any] = {"profile": describe_reference(model)}
    if reasons:
        ref_log, found = explain(model, resolved)
        why = tuple(found)
        reference["p50"] = float(round(math.exp(ref_log)))
    return Estimate(
        role_family=resolved.role_family,
        role_label=resolved.role_label,
        level=resolved.level,
        country=resolved.country,
        residence=resolved.residence,
        remote=resolved.remote,
        company_size=resolved.company_size,
        employment_type=resolved.employment_type,
        year=resolved.year,
        p10=usd[0],
        p25=usd[1],
        p50=usd[2],
        p75=usd[3],
        p90=usd[4],
        currency=local.currency,
        local=local,
        formatted=formatted,
        n_comparable=shown_n,
        n_comparable_note=None if shown_n is not None else withheld_note(rule.threshold),
        cohort=shown_cohort,
        confidence=confidence_label(n_cell, flags, rule.threshold),
        flags=flags,
        reasons=why,
        reference=reference,
        data_version=int(model.meta["data_version"]),
        model_version=model.model_id,
    )


def estimate(
    profile: Profile | dict[str, Any],
    *,
    store: Store | None = None,
    settings: Settings | None = None,
    reasons: bool = True,
) -> Estimate:
    """Estimate annual pay for one profile with the champion model.

    Estimates need only the champion (its evidence tables are saved with it); a profile with a
    US ``metro`` also reads the official statistics from ``store`` (default: the settings'
    store, read-only) for the metro step (:mod:`payatlas.model.metro`). Given a ``store`` (or a
    metro), ``postings`` carries the advertised pay of matching job postings beside the survey
    range (:mod:`payatlas.model.posting_evidence`). Raises UnknownCountry /
    UnknownRole for input that cannot be resolved and NoChampion before the first model exists.
    """
    settings = settings or get_settings()
    p = profile if isinstance(profile, Profile) else Profile.model_validate(profile)
    model = champion(settings)
    est = estimate_resolved(model, resolve(p, model), rule=settings.disclosure, reasons=reasons)
    if p.metro:
        from payatlas.model.metro import apply_metro

        if store is not None:
            return _postings(apply_metro(est, metro=p.metro, store=store), store, settings)
        from payatlas.store import Store as OwnStore  # only the metro step needs DuckDB

        with OwnStore.open(settings, read_only=True) as own:
            return _postings(apply_metro(est, metro=p.metro, store=own), own, settings)
    return est if store is None else _postings(est, store, settings)


def _postings(est: Estimate, store: Store, settings: Settings) -> Estimate:
    """The estimate with the matching job postings' advertised range beside it."""
    from payatlas.model.posting_evidence import attach

    return attach(est, store, threshold=settings.privacy_threshold)


__all__ = [
    "FEW_COMPARABLE",
    "PCTS",
    "QUANTILES",
    "Cohort",
    "Estimate",
    "LocalRange",
    "confidence_label",
    "estimate",
]
