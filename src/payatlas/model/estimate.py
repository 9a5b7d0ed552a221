"""Estimates for one profile or a batch, from the champion model.

An estimate is the model's P10-P90 of annual pay (USD and local currency), the evidence behind it
(comparable records in the same role family x level x country, and the wider cohort it borrows
from), a confidence label, flags where the profile leaves the data, and reasons.

Confidence rule (documented in docs/methodology.md), from the effective sample size and the
spread:

- ``n_effective``: the distinct comparable records (same role family x level x country,
  duplicates counted once); ``high`` when n_effective >= 30 (and >= the privacy threshold),
  ``medium`` when n_effective >= ``MEDIUM_MIN`` (10; and >= the threshold), else ``low``;
- ``spread``: the estimate's P90 / P10; wider than ``WIDE_SPREAD`` (3.0) lowers it one step;
- ``country_not_in_data`` makes it ``low``;
- each of ``unseen_title``, ``nearest_family``, ``few_country_records``, ``extrapolated_year``,
  ``level_assumed``
  lowers it one step (never below ``low``).

``confidence_basis`` says all of it in words. A year after the data (at most 3) is estimated as
the data's last pay year with a wider range (:func:`widen_for_years`) and the flag
``extrapolated_year``; ``extrapolated_from`` names the year.

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
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import Field

from payatlas.disclosure import Rule
from payatlas.errors import UnknownCurrency
from payatlas.model.artifact import FittedModel
from payatlas.model.calibration import QUANTILES
from payatlas.model.evidence import BORROW_MIN, COHORTS, Evidence, withheld_note
from payatlas.model.posting_range import PostingEvidence
from payatlas.model.profiles import Resolved, resolve
from payatlas.model.reasons import Reason, describe_reference, explain
from payatlas.model.registry import champion
from payatlas.normalize.countries import local_currency
from payatlas.normalize.fx import usd_rate
from payatlas.output import Output
from payatlas.schema import Profile
from payatlas.settings import Settings, get_settings

if TYPE_CHECKING:
    from payatlas.store import Store  # annotations only: no DuckDB for an estimate

CONFIDENCE = ("low", "medium", "high")
DEMOTE = frozenset(
    {"unseen_title", "nearest_family", "few_country_records", "extrapolated_year", "level_assumed"}
)
MEDIUM_MIN = 10  # distinct records for "medium" (#11: never "medium" on 6 records)
WIDE_SPREAD = 3.0  # a P90 / P10 above this lowers the confidence one step
#: per year after the data: the log-sd of pay growth added (in quadrature) to the range's spread
YEAR_DRIFT_SD = 0.05
_Z = np.array([-1.2815516, -0.6744898, 0.0, 0.6744898, 1.2815516])  # QUANTILES as normal scores
#: flag: a count of comparable records (``n_comparable`` or ``cohort.n``) is withheld
FEW_COMPARABLE = "few_comparable_records"
PCTS = ("p10", "p25", "p50", "p75", "p90")
#: why a count can be null (the same rule for every count of comparable records)
WITHHELD = (
    "Null when the count is from 1 to the privacy threshold - 1 (default 5): a cohort smaller "
    "than the privacy threshold is never published, not even its size. 0 (no comparable "
    "records) is published; other counts are rounded to a multiple of the privacy threshold "
    "(disclosure control, see docs/methodology.md)."
)


@dataclass(frozen=True, slots=True)
class LocalRange(Output):
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


@dataclass(frozen=True, slots=True)
class Cohort(Output):
    """The cohort whose evidence an estimate leans on: its records ``n`` as published (None
    when under the privacy threshold, with ``note`` saying so)."""

    name: str
    key: str
    n: Annotated[int | None, Field(description="Survey records in that cohort. " + WITHHELD)]
    note: Annotated[
        str | None,
        Field(description="Why ``n`` is null, e.g. 'fewer than 5 (...)'; else null."),
    ] = None

    def published(self, evidence: Evidence, rule: Rule) -> Cohort:
        """This cohort (holding its true count) with the count as published: withheld under
        the threshold, else rounded by its cell key (:meth:`Evidence.published_count`)."""
        if self.n is None:  # already withheld: nothing more to hide
            return self
        n = evidence.published_count(self.name, self.key, rule=rule)
        return Cohort(
            self.name, self.key, n, None if n is not None else withheld_note(rule.threshold)
        )


@dataclass(frozen=True, slots=True)
class Estimate(Output):
    """Annual pay P10-P90 in USD and local currency, evidence, reasons, data and model versions
    (what ``POST /v1/estimate`` answers and ``payatlas estimate --json`` prints)."""

    role_family: str
    role_label: str
    level: str
    country: str
    residence: str
    remote: int
    company_size: str
    employment_type: str
    year: int
    p10: Annotated[float, Field(description="USD per year.")]
    p25: float
    p50: float
    p75: float
    p90: float
    currency: Annotated[str, Field(description="The country's currency (see ``local``).")]
    local: LocalRange
    formatted: dict[str, str]
    n_comparable: Annotated[
        int | None,
        Field(description="Survey records: same role family x level x country. " + WITHHELD),
    ]
    n_comparable_note: Annotated[
        str | None,
        Field(
            description="Why ``n_comparable`` is null, e.g. 'fewer than 5 (under the privacy "
            "threshold, not published)'; null when the count is published."
        ),
    ]
    cohort: Cohort
    confidence: Annotated[
        str,
        Field(
            description="``low`` / ``medium`` / ``high``: from ``n_effective`` and ``spread`` "
            "and the flags (``confidence_basis`` says how)."
        ),
    ]
    n_effective: Annotated[
        int | None,
        Field(
            description="Distinct comparable survey records (role family x level x country, "
            "duplicates counted once): the effective sample size. " + WITHHELD
        ),
    ]
    spread: Annotated[float, Field(description="The estimate's P90 / P10.")]
    confidence_basis: Annotated[str, Field(description="The confidence label and what it follows.")]
    extrapolated_from: Annotated[
        int | None,
        Field(
            description="For a year after the data: the last pay year the estimate is "
            "extrapolated from (the range is wider); else null."
        ),
    ]
    flags: Annotated[
        tuple[str, ...],
        Field(
            description="Where the profile leaves the data (``unseen_title``, "
            "``level_assumed``, ``country_not_in_data``, ``few_country_records``, "
            "``extrapolated_year``, ``no_local_rate``) and ``few_comparable_records`` when a "
            "count of comparable records is withheld."
        ),
    ]
    reasons: tuple[Reason, ...]
    reference: dict[str, Any]
    data_version: int
    model_version: str
    basis: str = field(
        default="annual gross pay from survey submissions (not job postings), USD at the "
        "pay year's average rate"
    )
    metro: Annotated[
        dict[str, Any] | None,
        Field(
            description="With a US metro: the CBSA, how it was matched and the OEWS "
            "differential (ratio, uncertainty, occupation, source) applied to the US estimate."
        ),
    ] = None  # US metro and its differential (payatlas.model.metro)
    postings: Annotated[
        PostingEvidence | None,
        Field(
            description="Beside the survey range: job postings (advertised pay) for the same "
            "role family x seniority x place (the US metro, else the country), with their "
            "count; null when the store holds no job postings. Not part of the model."
        ),
    ] = None  # set when the estimate is given a store (payatlas.model.posting_evidence)


def confidence_label(
    n_effective: int,
    flags: tuple[str, ...] | list[str],
    threshold: int,
    spread: float | None = None,
) -> str:
    """The confidence rule of the module docstring (``spread``: the estimate's P90 / P10)."""
    if "country_not_in_data" in flags:
        return "low"
    high = max(BORROW_MIN, threshold)  # a withheld count never starts above 0's step
    medium = max(MEDIUM_MIN, threshold)
    step = 2 if n_effective >= high else (1 if n_effective >= medium else 0)
    if spread is not None and spread > WIDE_SPREAD:
        step -= 1
    step -= sum(1 for f in flags if f in DEMOTE)
    return CONFIDENCE[max(step, 0)]


def confidence_basis(
    label: str, n_shown: int | None, spread: float, flags: tuple[str, ...], threshold: int
) -> str:
    """The confidence label and what it follows, in words (counts as published)."""
    n = f"{n_shown:,}" if n_shown is not None else f"fewer than {threshold}"
    parts = [
        f"{label}: {n} distinct comparable survey submissions (role family x level x country, "
        f"duplicates counted once)",
        f"range P90/P10 {spread:.2f}"
        + (f" (wider than {WIDE_SPREAD:.1f})" if spread > WIDE_SPREAD else ""),
    ]
    lowered = [f for f in flags if f in DEMOTE or f == "country_not_in_data"]
    if lowered:
        parts.append("lowered by " + ", ".join(lowered))
    return "; ".join(parts)


def widen_for_years(log_q: np.ndarray, years_ahead: np.ndarray | int) -> np.ndarray:
    """Log quantiles (columns ``QUANTILES``) widened for years after the data: each quantile's
    distance from the median grows in quadrature by ``years_ahead * YEAR_DRIFT_SD`` normal
    scores (an 80% range gains about +-6.4% per year ahead); the median is unchanged."""
    ahead = np.asarray(years_ahead, dtype="float64").reshape(-1, 1)
    median = log_q[:, 2:3]
    dist = log_q - median
    extra = ahead * YEAR_DRIFT_SD * _Z
    return np.asarray(median + np.sign(_Z) * np.sqrt(dist**2 + extra**2))


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
    log_q = model.log_quantiles_rows([row])
    if resolved.years_ahead:
        log_q = widen_for_years(log_q, resolved.years_ahead)
    usd = np.round(np.exp(log_q[0]))
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
    usd, _, cohort, local, flags, formatted = _core(model.model_id, model, resolved)
    row = resolved.row()
    cell = "|".join(str(row[c]) for c in COHORTS[0][1])
    shown_n = model.evidence.published_count(COHORTS[0][0], cell, rule=rule)
    shown_cohort = cohort.published(model.evidence, rule)
    if shown_n is None or shown_cohort.n is None:
        flags = (*flags, FEW_COMPARABLE)
    n_eff = model.evidence.effective(cell)
    shown_eff = rule.count(n_eff, model.evidence.key_sum(COHORTS[0][0], cell))
    spread = round(usd[4] / usd[0], 2) if usd[0] > 0 else float("inf")
    label = confidence_label(n_eff, flags, rule.threshold, spread)
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
        confidence=label,
        n_effective=shown_eff,
        spread=spread,
        confidence_basis=confidence_basis(label, shown_eff, spread, flags, rule.threshold),
        extrapolated_from=resolved.extrapolated_from,
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
    "MEDIUM_MIN",
    "PCTS",
    "QUANTILES",
    "WITHHELD",
    "Cohort",
    "Estimate",
    "LocalRange",
    "confidence_basis",
    "confidence_label",
    "estimate",
    "widen_for_years",
]
