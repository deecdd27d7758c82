"""Amounts in English words, for every ISO 4217 currency the app knows.

num2words spells numbers in English fine but has English currency forms for only a few
currencies (``JPY`` and ``UAH`` raise ``NotImplementedError``), so only the numbers come
from num2words and the unit names come from :data:`UNITS` below.

Rules (the cheque and the receipt rely on them):

* ``amount_in_words(12550, "SEK") == "one hundred and twenty-five kronor and fifty öre"``
* singular for exactly one: ``"one dollar and one cent"``; plural otherwise, zero included;
* a zero minor part is left out: ``"one hundred dollars"``; a zero major part with a
  minor part is left out too: ``"fifty cents"``; ``0`` is ``"zero dollars"``;
* a currency without decimals has no minor part: ``"two hundred and fifty thousand yen"``;
* a currency the table lacks (CHF, for one) falls back to its ISO code, and its minor part
  becomes a fraction of the major unit: ``"one hundred and five CHF"``,
  ``"one hundred and five CHF and 50/100"`` (three-decimal currencies: ``"…/1000"``);
* a negative amount starts with ``"minus "``.

:func:`cheque_words` is the cheque form: capitalised, the minor part always written as a
fraction even when zero, so nothing can be added after it:
``"One hundred and twenty-five dollars and 50/100"``, ``"One hundred dollars and 00/100"``,
``"Two hundred and fifty thousand yen"``.
"""

from __future__ import annotations

from typing import NamedTuple

from num2words import num2words

from xoro_tui.data.models import money


class Unit(NamedTuple):
    """Names of a currency's major and minor units, singular then plural."""

    one: str
    many: str
    minor_one: str = ""
    minor_many: str = ""


def _u(
    one: str, many: str | None = None, minor_one: str = "", minor_many: str | None = None
) -> Unit:
    return Unit(
        one, many or one + "s", minor_one, minor_many or (minor_one + "s" if minor_one else "")
    )


_DOLLAR = _u("dollar", None, "cent")
_CENT_EURO = _u("euro", None, "cent")

#: Unit names by ISO code. CHF is deliberately absent: it shows the ISO-code fallback.
UNITS: dict[str, Unit] = {
    "USD": _DOLLAR, "CAD": _DOLLAR, "AUD": _DOLLAR, "NZD": _DOLLAR, "HKD": _DOLLAR,
    "SGD": _DOLLAR, "TWD": _DOLLAR, "BSD": _DOLLAR, "BBD": _DOLLAR, "BZD": _DOLLAR,
    "BMD": _DOLLAR, "BND": _DOLLAR, "FJD": _DOLLAR, "GYD": _DOLLAR, "JMD": _DOLLAR,
    "KYD": _DOLLAR, "LRD": _DOLLAR, "NAD": _DOLLAR, "SBD": _DOLLAR, "SRD": _DOLLAR,
    "TTD": _DOLLAR, "XCD": _DOLLAR,
    "EUR": _CENT_EURO,
    "GBP": _u("pound", None, "penny", "pence"),
    "JPY": _u("yen", "yen"),
    "KRW": _u("won", "won"),
    "VND": _u("dong", "dong"),
    "ISK": _u("króna", "krónur"),
    "SEK": _u("krona", "kronor", "öre", "öre"),
    "NOK": _u("krone", "kroner", "øre", "øre"),
    "DKK": _u("krone", "kroner", "øre", "øre"),
    "UAH": _u("hryvnia", "hryvnias", "kopiyka", "kopiyky"),
    "RUB": _u("rouble", None, "kopek"),
    "PLN": _u("zloty", "zlotys", "grosz", "groszy"),
    "CZK": _u("koruna", "korunas", "haler", "halers"),
    "HUF": _u("forint", None, "fillér"),
    "RON": _u("leu", "lei", "ban", "bani"),
    "BGN": _u("lev", "leva", "stotinka", "stotinki"),
    "TRY": _u("lira", None, "kuruş", "kuruş"),
    "ILS": _u("shekel", None, "agora", "agorot"),
    "INR": _u("rupee", None, "paisa", "paise"),
    "PKR": _u("rupee", None, "paisa", "paise"),
    "LKR": _u("rupee", None, "cent"),
    "NPR": _u("rupee", None, "paisa", "paise"),
    "CNY": _u("yuan", "yuan", "fen", "fen"),
    "THB": _u("baht", "baht", "satang", "satang"),
    "MYR": _u("ringgit", "ringgit", "sen", "sen"),
    "IDR": _u("rupiah", "rupiah", "sen", "sen"),
    "PHP": _u("peso", None, "centavo"),
    "MXN": _u("peso", None, "centavo"),
    "ARS": _u("peso", None, "centavo"),
    "COP": _u("peso", None, "centavo"),
    "CLP": _u("peso"),
    "BRL": _u("real", "reais", "centavo"),
    "ZAR": _u("rand", "rand", "cent"),
    "NGN": _u("naira", "naira", "kobo", "kobo"),
    "KES": _u("shilling", None, "cent"),
    "EGP": _u("pound", None, "piastre"),
    "AED": _u("dirham", None, "fils", "fils"),
    "SAR": _u("riyal", None, "halala", "halalas"),
    "QAR": _u("riyal", None, "dirham"),
    "KWD": _u("dinar", None, "fils", "fils"),
    "BHD": _u("dinar", None, "fils", "fils"),
    "JOD": _u("dinar", None, "fils", "fils"),
    "IQD": _u("dinar", None, "fils", "fils"),
    "LYD": _u("dinar", None, "dirham"),
    "TND": _u("dinar", None, "millime"),
    "OMR": _u("rial", None, "baisa", "baisa"),
}  # fmt: skip


def _number(value: int) -> str:
    return str(num2words(value, lang="en"))


def _split(minor: int, currency: str) -> tuple[str, int, int, int]:
    """(sign, major, minor part, exponent) of an amount in minor units."""
    places = money.exponent(currency)
    sign = "minus " if minor < 0 else ""
    major, rest = divmod(abs(minor), 10**places)
    return sign, major, rest, places


def _fraction(rest: int, places: int) -> str:
    return f"{rest:0{places}d}/{10**places}"


def amount_in_words(minor: int, currency: str) -> str:
    """The amount spelled out in English, e.g. ``"one dollar and one cent"``.

    Raises ``ValueError`` only for a currency code :mod:`money` does not know.
    """
    code = currency.upper()
    sign, major, rest, places = _split(minor, code)
    unit = UNITS.get(code)
    if unit is None:
        text = f"{_number(major)} {code}"
        if rest:
            text += f" and {_fraction(rest, places)}"
        return sign + text
    major_text = f"{_number(major)} {unit.one if major == 1 else unit.many}"
    if not rest:
        return sign + major_text
    if not unit.minor_one:
        return f"{sign}{major_text} and {_fraction(rest, places)}"
    minor_text = f"{_number(rest)} {unit.minor_one if rest == 1 else unit.minor_many}"
    if major == 0:
        return sign + minor_text
    return f"{sign}{major_text} and {minor_text}"


def cheque_words(minor: int, currency: str) -> str:
    """The cheque line: ``"One hundred and twenty-five dollars and 50/100"``.

    The whole units in words with the unit name (or the ISO code), then the minor part
    as a fraction, always written (``"and 00/100"``) for currencies with decimals.
    """
    code = currency.upper()
    sign, major, rest, places = _split(minor, code)
    unit = UNITS.get(code)
    name = code if unit is None else (unit.one if major == 1 else unit.many)
    text = f"{sign}{_number(major)} {name}"
    if places:
        text += f" and {_fraction(rest, places)}"
    return text[0].upper() + text[1:]
