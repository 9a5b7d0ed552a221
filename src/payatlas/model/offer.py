"""Offer check: where an offer falls in the profile's own predictive range (one percentile),
with the count of comparable records from the same country (or region, labelled as such), and a
locale-aware reader for typed amounts ("95.000" EUR, "95k", "1.234.567,89")."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal
from pydantic import Field

from payatlas.errors import InvalidSalary
from payatlas.model.artifact import FittedModel, group_of
from payatlas.model.estimate import WITHHELD, Estimate, estimate_resolved, money
from payatlas.model.evidence import COHORTS
from payatlas.model.features import SEP
from payatlas.model.profiles import resolve
from payatlas.model.registry import champion
from payatlas.normalize.fields import currency_code
from payatlas.normalize.fx import usd_rate
from payatlas.output import Output
from payatlas.schema import Profile
from payatlas.settings import Settings, get_settings
from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class OfferCheck(Output):
    """An offer's one percentile, against the profile's own predictive range, and the count of
    comparable survey submissions from the same country (or, when the country cell is under the
    privacy threshold, the same region; ``comparable_scope`` says which). ``comparable_n`` is
    published by the same rule as the estimate's counts (None when withheld)."""

    amount: float
    currency: str
    amount_usd: float
    usd_per_unit: float
    rate_date: str
    percentile: Annotated[
        float, Field(description="The offer's percentile in the profile's own range.")
    ]
    percentile_label: Annotated[str, Field(description='In words, e.g. "62nd percentile".')]
    comparable_cohort: str
    comparable_scope: Annotated[
        str, Field(description='"country", or "region" when the country cell is thin.')
    ]
    comparable_n: Annotated[
        int | None,
        Field(
            description="Survey submissions in that same-country (or region) cohort. " + WITHHELD
        ),
    ]
    verdict: str
    estimate: Estimate
    formatted: Annotated[str, Field(description="The offer for people, e.g. '€95,000'.")]


def _verdict(pct: float) -> str:
    if pct < 25:
        return "below the typical range (under P25)"
    if pct <= 75:
        return "within the typical range (P25-P75)"
    return "above the typical range (over P75)"


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 62nd, 111th."""
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


#: the locale whose number conventions a currency's amounts are read with
CURRENCY_LOCALE = {
    "USD": "en_US", "EUR": "de_DE", "GBP": "en_GB", "INR": "en_IN", "CHF": "de_CH",
    "CAD": "en_CA", "AUD": "en_AU", "JPY": "ja_JP", "BRL": "pt_BR", "PLN": "pl_PL",
    "SEK": "sv_SE", "NOK": "nb_NO", "DKK": "da_DK", "CNY": "zh_CN", "MXN": "es_MX",
}  # fmt: skip
_SUFFIX = {"k": 1_000, "m": 1_000_000}
_NOISE = re.compile(r"[\s\u00a0\u202f'’$€£¥₹]|^[A-Za-z]{3}(?=\d)|(?<=\d)[A-Za-z]{3}$")
MAX_AMOUNT = 1e9


def parse_amount(text: str | float | int, currency: str = "USD") -> float:
    """An annual amount from what a person types, read with ``currency``'s locale conventions:
    "95.000" in EUR is 95,000; "95k", "€95,000", "95,000.50" and "1.234.567,89" are read as
    written. A string whose separators could mean either grouping or decimals in that locale
    ("95,000" in EUR, "95.000" in USD), or that is not a number, raises :class:`InvalidSalary`."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        return _checked(value, str(text))
    raw = str(text)
    cleaned = _NOISE.sub("", raw.strip())
    mult = 1
    if cleaned[-1:].lower() in _SUFFIX:
        mult = _SUFFIX[cleaned[-1].lower()]
        cleaned = cleaned[:-1]
    if not re.fullmatch(r"\d[\d.,]*", cleaned or "x") or re.search(r"[.,]{2}|[.,]$", cleaned):
        raise InvalidSalary(f"cannot read {raw!r} as an amount", field="amount")
    locale = CURRENCY_LOCALE.get(currency.upper(), "en_US")
    decimal_sym = get_decimal_symbol(locale)
    group_sym = get_group_symbol(locale)
    seps = [c for c in cleaned if c in ".,"]
    if len(set(seps)) == 2:  # both: the last one is the decimal mark
        dec = seps[-1]
        if seps.count(dec) > 1:
            raise InvalidSalary(f"cannot read {raw!r} as an amount", field="amount")
        use = "en_US" if dec == "." else "de_DE"
    elif len(seps) > 1:  # one mark repeated: grouping
        use = "en_US" if seps[0] == "," else "de_DE"
    elif len(seps) == 1:
        tail = cleaned.split(seps[0])[1]
        if len(tail) != 3:  # "95000.5" in USD, "95,50" in EUR: the locale's decimal mark
            if seps[0] != decimal_sym:
                raise InvalidSalary(
                    f"cannot read {raw!r} in {currency.upper()}: {seps[0]!r} is not its "
                    "decimal mark",
                    field="amount",
                )
            use = "en_US" if seps[0] == "." else "de_DE"
        elif seps[0] == group_sym:
            use = "en_US" if seps[0] == "," else "de_DE"
        elif seps[0] == decimal_sym or mult > 1:
            use = "en_US" if seps[0] == "." else "de_DE"
            if mult == 1:
                raise InvalidSalary(
                    f"{raw!r} is ambiguous in {currency.upper()}: {seps[0]!r} could group "
                    "thousands or mark decimals; write it without separators (e.g. 95000)",
                    field="amount",
                )
        else:
            use = "en_US" if seps[0] == "," else "de_DE"
    else:
        use = "en_US"
    try:
        value = float(parse_decimal(cleaned, locale=use, strict=True) * Decimal(mult))
    except (NumberFormatError, ArithmeticError) as exc:
        raise InvalidSalary(f"cannot read {raw!r} as an amount", field="amount") from exc
    return _checked(value, raw)


def _checked(value: float, raw: str) -> float:
    if not math.isfinite(value) or value <= 0 or value >= MAX_AMOUNT:
        raise InvalidSalary(
            f"{raw!r} is not an annual amount above 0 and under {MAX_AMOUNT:,.0f}", field="amount"
        )
    return value


def _comparable(model: Any, row: dict[str, Any], threshold: int) -> tuple[str, str, str]:
    """The narrowest same-country cohort with enough records, else same-region; (name, key,
    scope)."""
    for name, cols in COHORTS:
        scope = "country" if "country" in cols else "region" if "region" in cols else ""
        if not scope:
            continue
        key = _cell_key(row, cols)
        if model.evidence.count(name, key) >= threshold or scope == "region":
            return name, key, scope
    return COHORTS[0][0], _cell_key(row, COHORTS[0][1]), "country"


def _cell_key(row: dict[str, Any], cols: tuple[str, ...]) -> str:
    return SEP.join(str(row[c]) for c in cols)


def _percentile(model: FittedModel, row: dict[str, Any], est: Estimate, log_usd: float) -> float:
    """The offer's percentile in the estimate's own range: the estimate's log P10..P90 (after
    the level ladder, the structure step and any widening for years) are mapped piecewise
    linearly onto the calibration grid's, so P10, P50 and P90 land on the 10th, 50th and 90th
    percentiles; beyond P10 / P90 the grid's tails, shifted."""
    group = group_of(row)
    point = float(model.point_rows([row])[0])
    raw = point + model.calibration.offsets_one(group)
    shown = np.log(np.array([est.p10, est.p25, est.p50, est.p75, est.p90], dtype="float64"))
    if log_usd <= shown[0]:
        mapped = log_usd + raw[0] - shown[0]
    elif log_usd >= shown[-1]:
        mapped = log_usd + raw[-1] - shown[-1]
    else:
        mapped = float(np.interp(log_usd, shown, raw))
    return model.calibration.percentile(group, mapped - point)


def offer_check(
    profile: Profile | dict[str, Any],
    *,
    amount: float | str,
    currency: str = "USD",
    store: Store | None = None,
    settings: Settings | None = None,
) -> OfferCheck:
    """Place an annual offer of ``amount`` ``currency`` (a number, or text read by
    :func:`parse_amount`) against the profile's own estimate."""
    del store
    settings = settings or get_settings()
    p = profile if isinstance(profile, Profile) else Profile.model_validate(profile)
    model = champion(settings)
    resolved = resolve(p, model)
    est = estimate_resolved(model, resolved, rule=settings.disclosure, reasons=True)
    cur = currency_code(currency)
    rate = usd_rate(cur, year=resolved.year)
    value = parse_amount(amount, cur)
    usd = value * rate.usd_per_unit
    row = resolved.row()
    log_usd = math.log(max(usd, 1.0))
    pct_model = _percentile(model, row, est, log_usd)
    name, key, scope = _comparable(model, row, settings.privacy_threshold)
    n_pub = model.evidence.published_count(name, key, rule=settings.disclosure)
    pct = round(pct_model, 1)
    return OfferCheck(
        amount=value,
        currency=cur,
        amount_usd=round(usd, 2),
        usd_per_unit=rate.usd_per_unit,
        rate_date=rate.date.isoformat(),
        percentile=pct,
        percentile_label=f"{ordinal(round(pct))} percentile",
        comparable_cohort=name,
        comparable_scope=scope,
        comparable_n=n_pub,
        verdict=_verdict(pct_model),
        estimate=est,
        formatted=money(value, cur),
    )
