"""FX without private attributes: the rates PayAtlas reads from the ECB history CurrencyConverter
ships are the ones its public ``convert`` gives, day by day and for the yearly means."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from currency_converter import CurrencyConverter, RateNotFoundError

from payatlas.errors import UnknownCurrency
from payatlas.normalize import fx


@pytest.fixture(scope="module")
def converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


@pytest.mark.parametrize("currency", ["EUR", "GBP", "INR", "JPY", "BRL", "CHF"])
def test_daily_rates_match_the_public_convert(converter: CurrencyConverter, currency: str) -> None:
    day, checked = dt.date(2020, 1, 1), 0
    while day < dt.date(2024, 10, 1):
        try:
            expected = converter.convert(1.0, currency, "USD", date=day)
        except RateNotFoundError:  # weekend or holiday: PayAtlas uses the last ECB day before
            rate = fx.rate_on(currency, day)
            assert rate.date < day and not rate.fallback
        else:
            rate = fx.rate_on(currency, day)
            assert rate.date == day
            assert rate.usd_per_unit == pytest.approx(expected, rel=1e-12)
            checked += 1
        day += dt.timedelta(days=11)
    assert checked > 80


def test_year_average_is_the_mean_of_the_public_daily_rates(converter: CurrencyConverter) -> None:
    day, values = dt.date(2022, 1, 1), []
    while day.year == 2022:
        with contextlib.suppress(RateNotFoundError):
            values.append(converter.convert(1.0, "GBP", "USD", date=day))
        day += dt.timedelta(days=1)
    rate = fx.year_average("GBP", 2022)
    assert rate.basis == "year_avg" and not rate.fallback
    assert rate.usd_per_unit == pytest.approx(sum(values) / len(values), rel=1e-12)


def test_currencies_are_the_converters(converter: CurrencyConverter) -> None:
    assert fx.ecb_currencies() == frozenset(converter.currencies)
    assert fx.has_history("USD") and not fx.has_history("CLP")
    with pytest.raises(UnknownCurrency):
        fx.rate_on("CLP", dt.date(2023, 1, 2))
