"""Phone numbers found by their digits, however they were written or typed.

The search row of a customer holds its phone as written and, after a space, without
separators (:func:`searchable_phone`, twin of the ``phone`` column of the search view in
``schema_v11.sql``); a typed number is reduced to the digits that follow any ``+``, ``00``
or trunk ``0`` (:func:`typed_phone_digits`), which that form contains however the number
was stored: ``2079460011`` finds both ``+44 20 7946 0011`` and ``020 7946 0011``.
"""

from __future__ import annotations

import re

from xoro_tui.data.search.folding import fold

#: removed from the stored number's second form (the view's nested ``replace`` calls)
PHONE_SEPARATORS = (" ", "-", "(", ")", ".", "+", "/")
#: fewer typed digits than this are not taken for a phone number
PHONE_MIN_DIGITS = 6
_TYPED_PHONE = re.compile(r"^\+?[\d\s().\-/]+$")


def compact(text: str) -> str:
    for sep in PHONE_SEPARATORS:
        text = text.replace(sep, "")
    return text


def searchable_phone(phone: str | None) -> str:
    """The search row's phone text: ``"+44 20 7946 0011"`` gives
    ``"+44 20 7946 0011 442079460011"``."""
    if phone is None:
        return ""
    folded = fold(phone)
    return f"{folded} {compact(folded)}"


def typed_phone_digits(term: str) -> str | None:
    """The digits a typed phone number is searched by, or None when ``term`` is not one
    (letters, or fewer than :data:`PHONE_MIN_DIGITS` digits).

    ``"+44 (20) 7946-0011"`` and ``"0044 20 7946 0011"`` give ``"442079460011"``;
    ``"020 7946 0011"`` gives ``"2079460011"`` (the trunk ``0`` is left out, so the
    number is found stored with its country code too).
    """
    text = term.strip()
    if not _TYPED_PHONE.match(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < PHONE_MIN_DIGITS:
        return None
    if text.startswith("+"):
        return digits
    for prefix in ("00", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= PHONE_MIN_DIGITS:
            return digits[len(prefix) :]
    return digits
