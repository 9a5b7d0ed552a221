"""Offer amounts as people type them, and the English ordinals the offer check prints (#11)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payatlas.errors import InvalidSalary
from payatlas.model.offer import ordinal, parse_amount


@pytest.mark.parametrize(
    ("text", "currency", "want"),
    [
        ("95.000", "EUR", 95_000.0),
        ("95k", "EUR", 95_000.0),
        ("€95,000.00", "EUR", 95_000.0),
        ("95,000.50", "USD", 95_000.5),
        ("1.234.567,89", "EUR", 1_234_567.89),
        ("$185,000", "USD", 185_000.0),
        ("95000", "EUR", 95_000.0),
        ("1,2m", "EUR", 1_200_000.0),
    ],
)
def test_amounts_read_in_the_currency_convention(text: str, currency: str, want: float) -> None:
    assert parse_amount(text, currency) == pytest.approx(want)


@pytest.mark.parametrize("text", ["abc", "", "95..000", "95,000", "1.2.3,4,5", "-5", "0", "1e300"])
def test_ambiguous_or_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidSalary) as info:
        parse_amount(text, "EUR")
    assert info.value.field == "amount"


@pytest.mark.parametrize(
    ("n", "want"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (62, "62nd"), (111, "111th"), (100, "100th")],
)  # fmt: skip
def test_ordinals(n: int, want: str) -> None:
    assert ordinal(n) == want


@given(st.integers(min_value=1, max_value=999_999_999 - 1))
def test_grouped_en_and_de_forms_read_back(n: int) -> None:
    en = f"{n:,}"
    de = en.replace(",", ".")
    assert parse_amount(en + ".00", "USD") == n
    assert parse_amount(de + ",00", "EUR") == n
    assert parse_amount(str(n), "EUR") == n


@given(st.text(max_size=20))
def test_parser_returns_a_positive_amount_or_a_typed_error(text: str) -> None:
    try:
        value = parse_amount(text, "EUR")
    except InvalidSalary:
        return
    assert 0 < value < 1e9
