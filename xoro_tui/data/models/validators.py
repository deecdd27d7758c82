"""Field rules shared by every model: strict about what is wrong, lenient about the foreign."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticUseDefault

NAME_MAX = 255
TEXT_MAX = 255
MEMO_MAX = 4000

_PHONE = re.compile(
    r"^\+?[0-9()\s.\-]{2,30}(\s*(?:x|ext\.?|extension|#)\s*[0-9]{1,6})?$", re.IGNORECASE
)
#: a card number: 13–19 digits starting with 2–6, unbroken or grouped 4-4-4-4, 4-6-5 or
#: 4-4-4-4-3 by single spaces, dots or dashes; never next to another digit
_SEP = r"[ .\-]"
_PAN = re.compile(
    r"(?<!\d)(?=(?P<pan>"
    rf"[2-6]\d{{3}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{3}}(?!\d)"
    rf"|[2-6]\d{{3}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)"
    rf"|[2-6]\d{{3}}{_SEP}\d{{6}}{_SEP}\d{{5}}(?!\d)"
    r"|[2-6]\d{12,18}(?!\d)"
    r"))"
)
CARD_MASK = "••••"
CARD_REASON = (
    "looks like a full card number; never store one (keep only the last 4 digits, like ••••1111)"
)
#: category Cc is exactly U+0000–U+001F and U+007F–U+009F
_CC = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_chars(text: str, allow: str = "") -> list[str]:
    """The control characters in ``text`` (Unicode category Cc), except those in ``allow``."""
    if not _CC.search(text):  # the common case, without a per-character lookup
        return []
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allow]


def _describe(chars: list[str]) -> str:
    return ", ".join(sorted({f"U+{ord(c):04X}" for c in chars}))


def empty_to_none(value: object) -> object:
    """An empty optional cell is no value (NULL), never an empty string."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _line(max_len: int):
    def check(value: str) -> str:
        value = value.strip()
        bad = control_chars(value)
        if bad:
            raise ValueError(f"control characters are not allowed ({_describe(bad)})")
        if len(value) > max_len:
            raise ValueError(f"at most {max_len} characters (this has {len(value)})")
        return value

    return check


def _required_line(max_len: int):
    inner = _line(max_len)

    def check(value: str) -> str:
        value = inner(value)
        if not value:
            raise ValueError("missing")
        return value

    return check


def _memo(value: str) -> str:
    bad = control_chars(value, allow="\n\t")
    if bad:
        raise ValueError(f"control characters are not allowed ({_describe(bad)})")
    if len(value) > MEMO_MAX:
        raise ValueError(f"at most {MEMO_MAX} characters (this has {len(value)})")
    no_card_number(value)
    return value


def _email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


def _phone(value: str) -> str:
    value = value.strip()
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or digits < 3:
        raise ValueError(
            "not a phone number (digits, spaces, + ( ) - . and an extension such as x12)"
        )
    return value


def card_numbers(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the card numbers in ``text`` (see :data:`_PAN`)."""
    spans: list[tuple[int, int]] = []
    if not text or sum(ch.isdigit() for ch in text) < 13:
        return spans
    for match in _PAN.finditer(text):
        start = match.start()
        if spans and start < spans[-1][1]:
            continue
        # the longest grouping that is a valid number wins (4-4-4-4-3 before 4-4-4-4)
        for candidate in _groupings(match.group("pan")):
            digits = [int(c) for c in candidate if c.isdigit()]
            if 13 <= len(digits) <= 19 and _luhn_ok(digits):
                spans.append((start, start + len(candidate)))
                break
    return spans


def _groupings(found: str) -> list[str]:
    """The lookahead captures only the first alternative that matched; a grouped run of
    4-4-4-4-3 also contains a 4-4-4-4 one, which may be the valid number."""
    out = [found]
    if found[:1].isdigit() and not found.isdigit() and len(found) == 23:
        out.append(found[:19])
    return out


def looks_like_card_number(text: str) -> bool:
    """True when ``text`` holds a card number (see :data:`_PAN`)."""
    return bool(card_numbers(text))


def mask_card_numbers(text: str) -> tuple[str, int]:
    """``text`` with each card number replaced by ``••••`` and its last four digits."""
    spans = card_numbers(text)
    for start, end in reversed(spans):
        last4 = "".join(ch for ch in text[start:end] if ch.isdigit())[-4:]
        text = f"{text[:start]}{CARD_MASK}{last4}{text[end:]}"
    return text, len(spans)


def no_card_number(value: str) -> str:
    """Refuse a free-text value holding a card number, saying why."""
    if looks_like_card_number(value):
        raise ValueError(CARD_REASON)
    return value


def _luhn_ok(digits: list[int]) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


DATE_EXAMPLE = "a date like 2026-11-23"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> object:
    """A date as people write it in files and forms: ``2026-11-23``; every refusal says so."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError(f"missing: write {DATE_EXAMPLE}")
    if not _DATE.fullmatch(text):
        raise ValueError(f"{DATE_EXAMPLE}; got {text}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2026-13-01, 2026-02-30
        raise ValueError(f"{DATE_EXAMPLE}; got {text}") from None


def parse_optional_date(value: object) -> object:
    value = empty_to_none(value)
    return None if value is None else parse_date(value)


def not_far_ahead(value: dt.date | None) -> dt.date | None:
    """A refund date at most a year ahead of today (a typo such as 2099 is refused)."""
    from xoro_tui.data.store.clock import today

    if value is None:
        return value
    now = today()
    try:
        limit = now.replace(year=now.year + 1)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year + 1, day=28)
    if value > limit:
        raise ValueError(f"more than a year ahead: a refund date is at most {limit.isoformat()}")
    return value


def parse_bool(value: object) -> object:
    """Booleans are read as true/false, yes/no or 1/0 (any case)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"true", "yes", "1", "y"}:
            return True
        if text in {"false", "no", "0", "n"}:
            return False
        if not text:
            raise PydanticUseDefault()
        raise ValueError("expected true/false, yes/no or 1/0")
    if value is None:
        raise PydanticUseDefault()
    return value


def split_multi(value: object) -> object:
    """Multi-value cells hold values separated by ``|``; duplicates (any case) collapse."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split("|")
    if isinstance(value, list | tuple | set):
        seen: dict[str, str] = {}
        for item in value:
            text = str(item).strip()
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
        return list(seen.values())
    return value


def _each_line(values: list[str]) -> list[str]:
    check = _required_line(TEXT_MAX)
    return [no_card_number(check(v)) for v in values]


def _text(max_len: int):
    """One line of free text: no control characters, not too long, no card number."""
    line = _line(max_len)
    return lambda v: v and no_card_number(line(v))


#: free-text fields a card number may not be refused in: their own formats allow long digit runs
CARD_EXEMPT_FIELDS: frozenset[str] = frozenset(
    {"phone", "postal_code", "bill_to_postal_code", "ship_to_postal_code", "mandate_reference"}
)

Name = Annotated[str, AfterValidator(_required_line(NAME_MAX)), AfterValidator(no_card_number)]
RequiredCode = Annotated[str, AfterValidator(_required_line(60))]
OptionalLine = Annotated[str | None, BeforeValidator(empty_to_none)]
OptionalText = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(_text(TEXT_MAX))
]
#: free text that may hold long digit runs (postal codes, mandate references): no card check
OptionalPlainText = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(lambda v: v and _line(TEXT_MAX)(v))
]
OptionalName = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(_text(NAME_MAX))
]
OptionalMemo = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(lambda v: v and _memo(v))
]
OptionalEmail = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(lambda v: v and _email(v))
]
OptionalPhone = Annotated[
    str | None, BeforeValidator(empty_to_none), AfterValidator(lambda v: v and _phone(v))
]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
MultiValue = Annotated[list[str], BeforeValidator(split_multi), AfterValidator(_each_line)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(parse_optional_date)]
RefundDate = Annotated[dt.date, BeforeValidator(parse_date), AfterValidator(not_far_ahead)]
OptionalRefundDate = Annotated[
    dt.date | None, BeforeValidator(parse_optional_date), AfterValidator(not_far_ahead)
]
