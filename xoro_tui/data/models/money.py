"""Exact money: amounts are integers in the currency's minor unit (ISO 4217 exponent)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: an amount as people write it: digits, thousands grouped by commas in threes, one point
_AMOUNT = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d+)?")

_ZERO_DECIMALS = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
    "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip
_THREE_DECIMALS = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
_FOUR_DECIMALS = {"CLF", "UYW"}
_TWO_DECIMALS = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD",
    "BDT", "BGN", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR",
    "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON",
    "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST", "XCD", "YER", "ZAR", "ZMW", "ZWG",
}  # fmt: skip

CURRENCIES: frozenset[str] = frozenset(
    _ZERO_DECIMALS | _THREE_DECIMALS | _FOUR_DECIMALS | _TWO_DECIMALS
)
#: every currency's exponent, the source of the database's ``currencies`` table
#: (``data/store/currencies.py``)
EXPONENTS: dict[str, int] = {
    **dict.fromkeys(sorted(_TWO_DECIMALS), 2),
    **dict.fromkeys(sorted(_ZERO_DECIMALS), 0),
    **dict.fromkeys(sorted(_THREE_DECIMALS), 3),
    **dict.fromkeys(sorted(_FOUR_DECIMALS), 4),
}


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has."""
    code = currency.upper()
    if code in _ZERO_DECIMALS:
        return 0
    if code in _THREE_DECIMALS:
        return 3
    if code in _FOUR_DECIMALS:
        return 4
    if code in _TWO_DECIMALS:
        return 2
    raise ValueError(f"unknown currency {currency!r} (use an ISO 4217 code such as USD)")


def normalise_currency(value: str) -> str:
    code = value.strip().upper()
    exponent(code)
    return code


def to_minor(amount: str | int | Decimal, currency: str) -> int:
    """Parse ``"1999.99"`` in USD as 199999; refuse digits past the currency's decimals.

    Trailing zeros are not extra decimals: ``"250000.00"`` JPY is 250000.
    """
    places = exponent(currency)
    if isinstance(amount, float):
        raise ValueError("amounts are given as text or Decimal, never as floats")
    text = str(amount).strip()
    if not text:
        raise ValueError("an amount is required")
    if isinstance(amount, str) and (
        not _AMOUNT.fullmatch(text) or not any(ch.isdigit() for ch in text)
    ):
        raise ValueError(f"{text!r} is not an amount (write it like 1999.99 or 1,999.99)")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount (write it like 1999.99)") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{text} has more decimals than {currency.upper()} allows ({places})")
    minor = int(scaled)
    if abs(minor) >= 10**15:
        raise ValueError(f"{text} is too large")
    return minor


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def plain(minor: int, currency: str) -> str:
    """The file form: ``1999.99``, ``250000``, no thousands separators."""
    places = exponent(currency)
    return f"{to_decimal(minor, currency):.{places}f}"


def display(minor: int, currency: str) -> str:
    """The screen form: ``1,999.99``."""
    places = exponent(currency)
    return f"{to_decimal(minor, currency):,.{places}f}"


def with_code(minor: int, currency: str) -> str:
    """The audit and history form: ``1,999.99 USD``, ``250,000 JPY``."""
    return f"{display(minor, currency)} {currency.upper()}"
