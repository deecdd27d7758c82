"""Amounts in words: English for every currency, unit names from our own table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xoro_tui.data.models import money
from xoro_tui.documents.words import UNITS, amount_in_words, cheque_words


@pytest.mark.parametrize(
    ("minor", "currency", "words"),
    [
        (250000, "JPY", "two hundred and fifty thousand yen"),
        (12550, "SEK", "one hundred and twenty-five kronor and fifty öre"),
        (10500, "CHF", "one hundred and five CHF"),
        (10550, "CHF", "one hundred and five CHF and 50/100"),
        (101, "USD", "one dollar and one cent"),
        (10000, "USD", "one hundred dollars"),
        (50, "USD", "fifty cents"),
        (0, "USD", "zero dollars"),
        (1, "GBP", "one penny"),
        (250, "GBP", "two pounds and fifty pence"),
        (100, "UAH", "one hryvnia"),
        (10302, "UAH", "one hundred and three hryvnias and two kopiyky"),
        (1500, "INR", "fifteen rupees"),
        (1234, "KWD", "one dinar and two hundred and thirty-four fils"),
        (1005, "KWD", "one dinar and five fils"),
        (1, "ISK", "one króna"),
        (-101, "USD", "minus one dollar and one cent"),
        (123456, "eur", "one thousand, two hundred and thirty-four euros and fifty-six cents"),
    ],
)
def test_amount_in_words(minor: int, currency: str, words: str) -> None:
    assert amount_in_words(minor, currency) == words


@pytest.mark.parametrize(
    ("minor", "currency", "words"),
    [
        (12550, "USD", "One hundred and twenty-five dollars and 50/100"),
        (10000, "USD", "One hundred dollars and 00/100"),
        (101, "USD", "One dollar and 01/100"),
        (250000, "JPY", "Two hundred and fifty thousand yen"),
        (10550, "CHF", "One hundred and five CHF and 50/100"),
        (1005, "KWD", "One dinar and 005/1000"),
    ],
)
def test_cheque_words(minor: int, currency: str, words: str) -> None:
    assert cheque_words(minor, currency) == words


def test_chf_is_the_documented_fallback_example() -> None:
    assert "CHF" not in UNITS


def test_the_table_only_names_known_currencies() -> None:
    assert set(UNITS) <= money.CURRENCIES


def test_unknown_currency_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        amount_in_words(100, "XYZ")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(money.CURRENCIES)), st.integers(min_value=0, max_value=10**12))
def test_never_raises_for_a_known_currency(currency: str, minor: int) -> None:
    words = amount_in_words(minor, currency)
    cheque = cheque_words(minor, currency)
    assert words and words == words.strip()
    assert cheque[0].isupper()
    if minor % 10 ** money.exponent(currency) == 0:  # no minor part: ends with the unit
        unit = UNITS.get(currency)
        names = (unit.one, unit.many) if unit else (currency,)
        assert words.endswith(names)
