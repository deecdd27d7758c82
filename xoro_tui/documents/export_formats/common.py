"""What the format writers share: options, typed-value parsing and the human text of a cell."""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MULTI_SEPARATOR = "|"
NUMERIC_KINDS = frozenset({"number", "money"})
#: C0 and C1 controls (and DEL) become spaces in the human formats: no line breaks in a
#: cell of an aligned table, no terminal escapes in ``less``, nothing XML refuses
_CONTROLS = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}


@dataclass(frozen=True, slots=True)
class Options:
    title: str = ""
    filter_text: str = ""
    delimiter: str = ","


def peek(rows: Iterator[Sequence[Any]], size: int) -> tuple[list[Sequence[Any]], Iterator[Any]]:
    """The first ``size`` rows (to size columns) and an iterator over all rows again."""
    sample = list(itertools.islice(rows, size))
    return sample, itertools.chain(sample, rows)


def plain_text(value: Any) -> str:
    """The text of a text or lookup cell: multi-values joined with ``|``, None as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    return str(value)


def clean(text: str) -> str:
    """Text for the human formats: control characters replaced with spaces."""
    return text if text.isprintable() else text.translate(_CONTROLS)


def as_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "t")
    return bool(value)


def as_decimal(value: Any) -> Decimal | None:
    """A number or money value as a Decimal; None when it is empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def as_date(value: Any) -> dt.date | dt.datetime | None:
    """An ISO date or date-time (``2026-11-23``, ``2026-11-23T10:20:30+00:00``); None if not."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def number_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return plain_text(value)


def money_text(value: Any) -> str:
    """An amount grouped for people, keeping the decimals it came with (its currency's):
    ``18671.86`` → ``18,671.86``, ``250000`` → ``250,000``. Anything else as it is."""
    number = as_decimal(value)
    if number is None:
        return plain_text(value)
    return f"{number:,.{decimals(number)}f}"


def date_text(value: Any) -> str:
    """Dates as ISO; date-times to the minute (``2026-11-23 10:20``) for people to read."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = plain_text(value)
    if len(text) > 16 and text[10] == "T" and text[:4].isdigit():
        return f"{text[:10]} {text[11:16]}"
    return text


def bool_text(value: Any) -> str:
    flag = as_bool(value)
    return "" if flag is None else ("Yes" if flag else "No")


def human(kind: str) -> Callable[[Any], str]:
    """How a cell of this kind reads in a text table, a Word table or a PDF."""
    if kind == "money":
        return lambda v: clean(money_text(v))
    if kind in NUMERIC_KINDS:
        return lambda v: clean(number_text(v))
    if kind == "date":
        return lambda v: clean(date_text(v))
    if kind == "bool":
        return bool_text
    return lambda v: clean(plain_text(v))


def width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` terminal columns, ending with … when anything was cut."""
    if width(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        w = 0 if unicodedata.combining(ch) else width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def column_widths(
    header: Sequence[str], sample: Sequence[Sequence[Any]], kinds: Sequence[str], cap: int
) -> list[int]:
    """Widths (in characters) that fit the header and the sampled cells, at most ``cap``."""
    texts = [human(k) for k in kinds]
    widths = [max(width(h), 3) for h in header]
    for row in sample:
        for i, value in enumerate(row):
            if value is not None:
                widths[i] = max(widths[i], width(texts[i](value)))
    return [min(w, cap) for w in widths]


#: one typed cell written into a sheet: ``(target, row, column, value)``; the target is
#: what the spreadsheet library writes into (an xlwt row, an XlsxWriter worksheet)
CellWriter = Callable[[Any, int, int, Any], None]


@dataclass(frozen=True, slots=True)
class CellSink:
    """How one spreadsheet library writes each type of cell, as ``(target, row, column,
    value)``; :func:`cell_writers` decides which type a value is."""

    text: Callable[[Any, int, int, str], None]
    number: Callable[[Any, int, int, float], None]
    #: the value and its number of decimals (0 to 4), to choose the number format
    money: Callable[[Any, int, int, float, int], None]
    date: Callable[[Any, int, int, dt.date], None]
    datetime: Callable[[Any, int, int, dt.datetime], None]
    boolean: Callable[[Any, int, int, bool], None]


def cell_writers(kinds: Sequence[str], sink: CellSink) -> list[CellWriter]:
    """A writer per column of a spreadsheet export: numbers, money, dates and flags become
    typed cells; anything else, and a value that does not parse as its column's type, is
    written as text (never as a formula); None and empty text leave the cell empty."""
    put_text, put_number, put_money = sink.text, sink.number, sink.money
    put_date, put_datetime, put_boolean = sink.date, sink.datetime, sink.boolean

    def text(target: Any, r: int, c: int, v: Any) -> None:
        if v is None:
            return
        s = v if type(v) is str else plain_text(v)
        if s:
            put_text(target, r, c, s)

    def number(target: Any, r: int, c: int, v: Any) -> None:
        if type(v) is int:
            put_number(target, r, c, v)
            return
        d = as_decimal(v)
        if d is None:
            text(target, r, c, v)
        else:
            put_number(target, r, c, float(d))

    def money(target: Any, r: int, c: int, v: Any) -> None:
        d = as_decimal(v)
        if d is None:
            text(target, r, c, v)
        else:
            put_money(target, r, c, float(d), min(decimals(d), 4))

    def date(target: Any, r: int, c: int, v: Any) -> None:
        d = as_date(v)
        if d is None:
            text(target, r, c, v)
        elif isinstance(d, dt.datetime):
            put_datetime(target, r, c, d)
        else:
            put_date(target, r, c, d)

    def boolean(target: Any, r: int, c: int, v: Any) -> None:
        flag = as_bool(v)
        if flag is not None:
            put_boolean(target, r, c, flag)

    by_kind: dict[str, CellWriter] = {
        "number": number, "money": money, "date": date, "bool": boolean
    }  # fmt: skip
    return [by_kind.get(k, text) for k in kinds]
