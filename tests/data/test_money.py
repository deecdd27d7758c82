"""Money is exact: minor units by the currency's ISO 4217 exponent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xoro_tui.data.models import money


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1999.99", "USD", 199999),
        ("250000", "JPY", 250000),
        ("250000.00", "JPY", 250000),
        ("1.234", "KWD", 1234),
        ("0.10", "EUR", 10),
    ],
)
def test_amounts_parse_to_minor_units(text: str, currency: str, minor: int) -> None:
    assert money.to_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"), [("1.001", "USD"), ("1.5", "JPY"), ("abc", "USD"), ("", "USD")]
)
def test_bad_amounts_are_refused(text: str, currency: str) -> None:
    with pytest.raises(ValueError):
        money.to_minor(text, currency)


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown currency"):
        money.exponent("XYZ")


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from(["USD", "JPY", "KWD"]))
def test_plain_form_round_trips(minor: int, currency: str) -> None:
    assert money.to_minor(money.plain(minor, currency), currency) == minor
