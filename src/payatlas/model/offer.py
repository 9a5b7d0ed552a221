"""Offer check: where an offer falls in the predictive distribution and among comparable records."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from payatlas.model.artifact import group_of
from payatlas.model.estimate import Estimate, estimate_resolved, money
from payatlas.model.evidence import PCT_GRID
from payatlas.model.profiles import resolve
from payatlas.model.registry import champion
from payatlas.normalize.fields import currency_code
from payatlas.normalize.fx import usd_rate
from payatlas.schema import Profile
from payatlas.settings import Settings, get_settings
from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class OfferCheck:
    """An offer's percentile in the model's predictive distribution and in the comparable
    records (the estimate's cohort; the percentile is None when that cohort is under the privacy
    threshold, and ``comparable_n`` is published by the same rule as the estimate's counts)."""

    amount: float
    currency: str
    amount_usd: float
    usd_per_unit: float
    rate_date: str
    percentile_model: float
    percentile_comparable: float | None
    comparable_cohort: str
    comparable_n: int | None
    verdict: str
    estimate: Estimate

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "estimate"}
        out["estimate"] = self.estimate.as_dict()
        out["formatted"] = money(self.amount, self.currency)
        return out


def _verdict(pct: float) -> str:
    if pct < 25:
        return "below the typical range (under P25)"
    if pct <= 75:
        return "within the typical range (P25-P75)"
    return "above the typical range (over P75)"


def offer_check(
    profile: Profile | dict[str, Any],
    *,
    amount: float,
    currency: str = "USD",
    store: Store | None = None,
    settings: Settings | None = None,
) -> OfferCheck:
    """Place an annual offer of ``amount`` ``currency`` against the profile's estimate."""
    del store
    settings = settings or get_settings()
    p = profile if isinstance(profile, Profile) else Profile.model_validate(profile)
    model = champion(settings)
    resolved = resolve(p, model)
    est = estimate_resolved(model, resolved, rule=settings.disclosure, reasons=True)
    cur = currency_code(currency)
    rate = usd_rate(cur, year=resolved.year)
    usd = float(amount) * rate.usd_per_unit
    row = resolved.row()
    log_usd = math.log(max(usd, 1.0))
    pct_model = model.calibration.percentile(group_of(row), log_usd - model.point_rows([row])[0])
    # grids are saved only for cells with at least the training threshold of records; the true
    # count is checked against today's threshold too (it may have been raised since training)
    grid = model.evidence.pay_grid(est.cohort.name, est.cohort.key)
    n_true = model.evidence.count(est.cohort.name, est.cohort.key)
    pct_comp = None
    if grid is not None and n_true >= settings.privacy_threshold:
        pct_comp = float(np.interp(log_usd, grid, PCT_GRID, left=0.025, right=0.975) * 100)
    return OfferCheck(
        amount=float(amount),
        currency=cur,
        amount_usd=round(usd, 2),
        usd_per_unit=rate.usd_per_unit,
        rate_date=rate.date.isoformat(),
        percentile_model=round(pct_model, 1),
        percentile_comparable=None if pct_comp is None else round(pct_comp, 1),
        comparable_cohort=est.cohort.name,
        comparable_n=est.cohort.n,
        verdict=_verdict(pct_model),
        estimate=est,
    )
