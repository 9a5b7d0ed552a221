"""Tests for payatlas.ingest.money: real-world pay strings, errors, and round-trip properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payatlas.errors import InvalidSalary
from payatlas.ingest.money import (
    PERIOD_MULTIPLIERS,
    Money,
    annualize,
    parse_money,
    parse_period,
)

NNBSP = "\u202f"
NBSP = "\u00a0"

REAL_WORLD = [
    # plain numbers and separators
    (225000, 225000, 225000, None, None),
    (225000.5, 225000.5, 225000.5, None, None),
    ("225000", 225000, 225000, None, None),
    ("225,000", 225000, 225000, None, None),
    ("225.000", 225000, 225000, None, None),
    ("1.234.567,89", 1234567.89, 1234567.89, None, None),
    ("1,234,567.89", 1234567.89, 1234567.89, None, None),
    ("1 234 567", 1234567, 1234567, None, None),
    (f"1{NNBSP}234{NNBSP}567", 1234567, 1234567, None, None),
    (f"1{NBSP}234,50 €", 1234.5, 1234.5, "EUR", None),
    ("12,5k", 12500, 12500, None, None),
    ("85.5K", 85500, 85500, None, None),
    ("1.5", 1.5, 1.5, None, None),
    ("0,500", 0.5, 0.5, None, None),
    ("225000.000", 225000, 225000, None, None),
    ("12,00,000", 1200000, 1200000, None, None),
    ("₹ 12,34,567.89", 1234567.89, 1234567.89, "INR", None),
    ("CHF 120'000", 120000, 120000, "CHF", None),
    ("1.250M", 1250000, 1250000, None, None),
    ("1,500k", 1500000, 1500000, None, None),
    # symbols and codes, prefix or suffix
    ("$120,000", 120000, 120000, "USD", None),
    ("US$ 95k", 95000, 95000, "USD", None),
    ("USD 95000", 95000, 95000, "USD", None),
    ("95000 USD", 95000, 95000, "USD", None),
    ("C$110k", 110000, 110000, "CAD", None),
    ("CA$110k", 110000, 110000, "CAD", None),
    ("A$150k", 150000, 150000, "AUD", None),
    ("AU$150k", 150000, 150000, "AUD", None),
    ("NZ$120k", 120000, 120000, "NZD", None),
    ("S$96k", 96000, 96000, "SGD", None),
    ("HK$600k", 600000, 600000, "HKD", None),
    ("R$ 10.000", 10000, 10000, "BRL", None),
    ("€65.000", 65000, 65000, "EUR", None),
    ("65.000 €", 65000, 65000, "EUR", None),
    ("EUR 65k", 65000, 65000, "EUR", None),
    ("£55,000", 55000, 55000, "GBP", None),
    ("55k GBP", 55000, 55000, "GBP", None),
    ("₹18,00,000", 1800000, 1800000, "INR", None),
    ("Rs 25L", 2500000, 2500000, "INR", None),
    ("Rs. 25 lakhs", 2500000, 2500000, "INR", None),
    ("INR 1.2 Cr", 12000000, 12000000, "INR", None),
    ("2.5 crore INR", 25000000, 25000000, "INR", None),
    ("12 lac", 1200000, 1200000, None, None),
    ("¥8M", 8000000, 8000000, "JPY", None),
    ("¥ 6,000,000", 6000000, 6000000, "JPY", None),
    ("CHF 140k", 140000, 140000, "CHF", None),
    ("Fr. 140 000", 140000, 140000, "CHF", None),
    ("AED 35,000", 35000, 35000, "AED", None),
    ("12 000 zł", 12000, 12000, "PLN", None),
    ("PLN 12k", 12000, 12000, "PLN", None),
    ("SEK 600 000", 600000, 600000, "SEK", None),
    ("600 000 kr SEK", 600000, 600000, "SEK", None),
    ("NOK 750k", 750000, 750000, "NOK", None),
    ("DKK 50.000", 50000, 50000, "DKK", None),
    ("₩50,000,000", 50000000, 50000000, "KRW", None),
    ("KRW 50M", 50000000, 50000000, "KRW", None),
    ("₽ 250 000", 250000, 250000, "RUB", None),
    ("₺80.000", 80000, 80000, "TRY", None),
    ("₱ 90,000", 90000, 90000, "PHP", None),
    ("R 500k", 500000, 500000, "ZAR", None),
    ("R500 000", 500000, 500000, "ZAR", None),
    ("ZAR 500k", 500000, 500000, "ZAR", None),
    ("$100k CAD", 100000, 100000, "CAD", None),
    ("5 Cr", 50000000, 50000000, None, None),
    ("2 mn", 2000000, 2000000, None, None),
    ("1.2MM", 1200000, 1200000, None, None),
    ("100k+", 100000, 100000, None, None),
    ("~50k", 50000, 50000, None, None),
    # ranges
    ("$53K-$91K", 53000, 91000, "USD", None),
    ("$53K–91K", 53000, 91000, "USD", None),
    ("€60k – €80k", 60000, 80000, "EUR", None),
    ("₹25L–₹40L", 2500000, 4000000, "INR", None),
    ("AED 420k–550k", 420000, 550000, "AED", None),
    ("50,000 - 70,000 GBP", 50000, 70000, "GBP", None),
    ("60-80k", 60000, 80000, None, None),
    ("12-15L", 1200000, 1500000, None, None),
    ("50,000-70k", 50000, 70000, None, None),
    ("100k to 120k USD", 100000, 120000, "USD", None),
    ("90k ~ 110k", 90000, 110000, None, None),
    ("$120,000 — $150,000", 120000, 150000, "USD", None),
    ("50 000 - 70 000 €", 50000, 70000, "EUR", None),
    ("80k-80k", 80000, 80000, None, None),
    # periods
    ("$45/hr", 45, 45, "USD", "hour"),
    ("$45 per hour", 45, 45, "USD", "hour"),
    ("$45/h", 45, 45, "USD", "hour"),
    ("$40-60 hourly", 40, 60, "USD", "hour"),
    ("€4,500 monthly", 4500, 4500, "EUR", "month"),
    ("€4,500/m", 4500, 4500, "EUR", "month"),
    ("£3,000 pcm", 3000, 3000, "GBP", "month"),
    ("£350 per day", 350, 350, "GBP", "day"),
    ("₹12L p.a.", 1200000, 1200000, "INR", "year"),
    ("Rs 25L per annum", 2500000, 2500000, "INR", "year"),
    ("$2,000/week", 2000, 2000, "USD", "week"),
    ("USD 120k/yr", 120000, 120000, "USD", "year"),
    ("$50k a year", 50000, 50000, "USD", "year"),
    ("$30 an hour", 30, 30, "USD", "hour"),
    ("$45/hr - $60/hr", 45, 60, "USD", "hour"),
]


@pytest.mark.parametrize(("text", "low", "high", "currency", "period"), REAL_WORLD)
def test_real_world_strings(
    text: str | float, low: float, high: float, currency: str | None, period: str | None
) -> None:
    money = parse_money(text)
    assert money.low == pytest.approx(low, rel=1e-12)
    assert money.high == pytest.approx(high, rel=1e-12)
    assert money.currency == currency
    assert money.period == period
    assert isinstance(money.low, float) and isinstance(money.high, float)


def test_money_properties() -> None:
    money = parse_money("$53K-$91K")
    assert money == Money(53000.0, 91000.0, "USD", None)
    assert money.mid == 72000.0
    assert money.is_range
    single = parse_money("€60k")
    assert single.mid == 60000.0 and not single.is_range


def test_defaults_apply_only_when_text_is_silent() -> None:
    assert parse_money("60000", default_currency="eur") == Money(60000.0, 60000.0, "EUR", None)
    assert parse_money("45", default_period="per hour").period == "hour"
    assert parse_money("£50k", default_currency="EUR").currency == "GBP"  # the text wins
    assert parse_money("$50k", default_currency="EUR").currency == "USD"
    assert parse_money("$50k/mo", default_period="year").period == "month"
    assert parse_money(50000, default_currency="INR", default_period="year") == Money(
        50000.0, 50000.0, "INR", "year"
    )


def test_loose_symbols_follow_a_compatible_default() -> None:
    assert parse_money("$120k", default_currency="CAD").currency == "CAD"
    assert parse_money("¥300k", default_currency="CNY").currency == "CNY"
    assert parse_money("Rs 90,000", default_currency="PKR").currency == "PKR"
    assert parse_money("500 000 kr", default_currency="SEK").currency == "SEK"
    assert parse_money("kr 45.000", default_currency="DKK") == Money(45000.0, 45000.0, "DKK", None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty pay value"),
        ("   ", "empty pay value"),
        (None, "empty pay value"),
        ("abc", "not a number: 'abc'"),
        ("nan", "not a number: 'nan'"),
        (float("nan"), "not a finite number: nan"),
        (float("inf"), "not a finite number: inf"),
        ("9" * 400, "not a finite number: inf"),
        (True, "not a number: True"),
        (-5, "negative amount"),
        (-0.01, "negative amount"),
        ("-500", "negative amount"),
        ("-$50k", "negative amount"),
        ("$-50k", "negative amount"),
        ("50k - -60k", "negative amount"),
        ("$80k - $60k", "range high below low"),
        ("90k-80k", "range high below low"),
        ("$50k - €60k", "mixed currencies: $, EUR"),
        ("USD 50k EUR", "mixed currencies: EUR, USD"),
        ("50k-60k-70k", "not a number: '50k-60k-70k'"),
        ("50k-", "not a number: '50k-'"),
        ("$", "not a number: '$'"),
        ("per hour", "not a number: 'per hour'"),
        ("50 60", "not a number: '50 60'"),
        ("1.2.3", "not a number: '1.2.3'"),
        ("1,23,4", "not a number: '1,23,4'"),
        ("ABC 5", "unknown currency code 'ABC'"),
        ("500 kr", "ambiguous currency 'kr': give a currency code"),
        ("$45/quarter", "unknown pay period: 'quarter'"),
        ("$45/hr or $8k/mo", "not a number: '$45/hr or $8k/mo'"),
        ("$45/hr - $8k/mo", "conflicting pay periods: hour, month"),
    ],
)
def test_errors(text: object, reason: str) -> None:
    with pytest.raises(InvalidSalary) as info:
        parse_money(text)  # type: ignore[arg-type]
    assert info.value.reason == reason


def test_kr_with_foreign_default_is_ambiguous() -> None:
    with pytest.raises(InvalidSalary, match="ambiguous currency"):
        parse_money("500 kr", default_currency="EUR")


@pytest.mark.parametrize(
    ("text", "period"),
    [
        *[(t, "hour") for t in ["per hour", "/hr", "hourly", "hr", "h", "HOUR", "Per Hour", "ph"]],
        *[(t, "day") for t in ["daily", "per day", "day", "/day", "p.d."]],
        *[(t, "week") for t in ["weekly", "wk", "per week", "/wk", "pw"]],
        *[(t, "biweek") for t in ["Bi-Weekly", "biweekly", "bi weekly", "per fortnight"]],
        *[(t, "month") for t in ["monthly", "per month", "/mo", "pm", "p.m.", "month", "m", "pcm"]],
        *[
            (t, "year")
            for t in ["annual", "annually", "yearly", "per year", "p.a.", "pa", "/yr", "year"]
        ],
        *[(t, "year") for t in ["y", "a", "per annum", "P.A.", " a year "]],
    ],
)
def test_parse_period(text: str, period: str) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "semimonthly", "per", "quarterly", "hours per week"])
def test_parse_period_unknown(text: str) -> None:
    with pytest.raises(InvalidSalary, match="unknown pay period"):
        parse_period(text)


def test_annualize() -> None:
    assert annualize(45.0, "hour") == 45.0 * 2080
    assert annualize(4500, "per month") == 54000.0
    assert annualize(100000, None) == 100000.0
    assert annualize(100.0, "day", multipliers={"day": 220}) == 22000.0
    with pytest.raises(InvalidSalary, match="no multiplier"):
        annualize(100.0, "hour", multipliers={"day": 220})
    with pytest.raises(InvalidSalary, match="unknown pay period"):
        annualize(100.0, "quarterly")
    # H-1B LCA filings' "Bi-Weekly" wage unit: paid 26 times a year (#10)
    assert annualize(3000.0, "Bi-Weekly") == 78000.0
    assert annualize(3000.0, "fortnightly") == 78000.0


# ---- properties -------------------------------------------------------------------------------

# (prefix, suffix) spellings, and the code each must resolve to.
CURRENCIES = [
    ("", "", None),
    ("$", "$", "USD"),
    ("US$", "", "USD"),
    ("€", " €", "EUR"),
    ("£", "", "GBP"),
    ("₹", "", "INR"),
    ("Rs ", "", "INR"),
    ("¥", "", "JPY"),
    ("CHF ", " CHF", "CHF"),
    ("AED ", " AED", "AED"),
    ("zł ", " zł", "PLN"),
    ("SEK ", " SEK", "SEK"),
    ("₩", "₩", "KRW"),
    ("R$", "", "BRL"),
    ("C$", "", "CAD"),
    ("HK$", "", "HKD"),
    ("R ", "", "ZAR"),
    ("", " USD", "USD"),
]
# (thousands separator, decimal mark) without a magnitude suffix
GROUPINGS = [("", "."), (",", "."), (".", ","), (" ", ","), (NNBSP, ","), (NBSP, "."), ("'", ".")]
SUFFIXES = [("k", 1e3), ("K", 1e3), ("M", 1e6), ("m", 1e6), ("L", 1e5), ("Cr", 1e7), (" lakh", 1e5)]


def _group(whole: int, sep: str) -> str:
    digits = str(whole)
    if not sep:
        return digits
    head = len(digits) % 3 or 3
    return sep.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


@st.composite
def formatted_amount(draw: st.DrawFn, amount: float, use_suffix: bool | None = None) -> str:
    """``amount`` written one of many real-world ways (no currency)."""
    suffixes = [(s, m) for s, m in SUFFIXES if amount >= m]
    if suffixes and (use_suffix if use_suffix is not None else draw(st.booleans())):
        suffix, mult = draw(st.sampled_from(suffixes))
        number = f"{amount / mult:.9f}".rstrip("0").rstrip(".")
        whole, _, frac = number.partition(".")
        # a lone comma before exactly three digits reads as a thousands separator; avoid it
        mark = draw(st.sampled_from([".", ","])) if frac and len(frac) != 3 else "."
        return whole + (mark + frac if frac else "") + suffix
    sep, mark = draw(st.sampled_from(GROUPINGS))
    cents = round(amount * 100)
    text = _group(cents // 100, sep)
    return text + (f"{mark}{cents % 100:02d}" if cents % 100 else "")


@st.composite
def with_currency(draw: st.DrawFn, body: str, prefix: str, suffix: str) -> str:
    if prefix and (not suffix or draw(st.booleans())):
        return prefix + body
    return body + suffix


amounts = st.integers(100, 10**10).map(lambda cents: cents / 100)  # 1.00 .. 100,000,000.00


@settings(max_examples=200, deadline=None)
@given(data=st.data(), amount=amounts, currency=st.sampled_from(CURRENCIES))
def test_formatted_amounts_round_trip(
    data: st.DataObject, amount: float, currency: tuple[str, str, str | None]
) -> None:
    prefix, suffix, code = currency
    body = data.draw(formatted_amount(amount))
    text = data.draw(with_currency(body, prefix, suffix))
    money = parse_money(text)
    assert math.isclose(money.low, amount, rel_tol=1e-6), text
    assert money.high == money.low
    assert money.currency == code, text
    assert money.period is None


SEPARATORS = ["-", " - ", "–", " – ", "—", " to ", " ~ "]
TEXT_PERIODS = [("", None), ("/hr", "hour"), (" per month", "month"), (" p.a.", "year")]


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    pair=st.tuples(amounts, amounts).map(sorted),
    currency=st.sampled_from(CURRENCIES),
    sep=st.sampled_from(SEPARATORS),
    period=st.sampled_from(TEXT_PERIODS),
)
def test_ranges_round_trip(
    data: st.DataObject,
    pair: list[float],
    currency: tuple[str, str, str | None],
    sep: str,
    period: tuple[str, str | None],
) -> None:
    (low, high), (prefix, suffix, code) = pair, currency
    use_suffix = data.draw(st.booleans())  # both sides or neither: "60-80k" is its own rule
    parts = [data.draw(formatted_amount(x, use_suffix and x >= 1000)) for x in (low, high)]
    if any(p[-1].isalpha() for p in parts) and not all(p[-1].isalpha() for p in parts):
        parts = [data.draw(formatted_amount(x, False)) for x in (low, high)]
    text = data.draw(with_currency(parts[0], prefix, suffix)) + sep
    text += data.draw(with_currency(parts[1], prefix, suffix)) + period[0]
    money = parse_money(text)
    assert math.isclose(money.low, low, rel_tol=1e-6), text
    assert math.isclose(money.high, high, rel_tol=1e-6), text
    assert money.currency == code, text
    assert money.period == period[1]


PAY_ALPHABET = st.sampled_from(
    [*"0123456789.,' -–~+/kKmMLlrRsS$€£₹¥₩", "Cr", " to ", "per ", "hr", "USD", "EUR", "kr"]
)


def _check_outcome(text: str) -> None:
    try:
        money = parse_money(text)
    except InvalidSalary as exc:
        assert exc.reason and len(exc.reason) < 120
        return
    assert math.isfinite(money.low) and math.isfinite(money.high)
    assert 0 <= money.low <= money.high
    assert money.period is None or money.period in PERIOD_MULTIPLIERS


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_arbitrary_text_only_raises_invalid_salary(text: str) -> None:
    _check_outcome(text)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(PAY_ALPHABET, max_size=12))
def test_pay_like_text_only_raises_invalid_salary(parts: list[str]) -> None:
    _check_outcome("".join(parts))


@settings(max_examples=200, deadline=None)
@given(
    amount=st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
    period=st.sampled_from(sorted(PERIOD_MULTIPLIERS)),
)
def test_annualize_multiplies(amount: float, period: str) -> None:
    assert annualize(amount, period) == amount * PERIOD_MULTIPLIERS[period]
