"""The fast path for .xlsx rows: ``<row>`` elements written straight into the row file
XlsxWriter keeps for each sheet in constant-memory mode.

XlsxWriter's ``write_string`` costs about 18 µs a cell (a million rows of 15 columns:
4.5 minutes); these few lines cost about 1.5 µs and write the same XML XlsxWriter
would: inline strings escaped as it escapes them, numbers, booleans, and dates as
serial numbers with a date format. XlsxWriter still writes everything else (styles,
column widths, the frozen header, the autofilter, the zip). This touches three of
its internals (``row_data_fh``, the ``dim_*`` bounds, ``Format._get_xf_index``);
:func:`supported` checks them and the caller falls back to the public API without them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from xoro_tui.documents.export_formats.common import (
    as_bool,
    as_date,
    as_decimal,
    decimals,
    plain_text,
)

MAX_TEXT = 32_767
#: Excel's day 0 for the 1900 date system (right for every date from March 1900)
_EPOCH = dt.date(1899, 12, 30).toordinal()
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_PLAIN_AMOUNT = re.compile(r"-?\d{1,15}(?:\.(\d{1,6}))?")

Cell = Callable[[str, Any], str]


def supported(sheet: Any) -> bool:
    names = ("row_data_fh", "dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax")
    return bool(getattr(sheet, "constant_memory", False)) and all(hasattr(sheet, n) for n in names)


def inline_string(text: str) -> str:
    """``<is><t>…</t></is>`` escaped as XlsxWriter escapes inline strings."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if _SPECIAL.search(text):
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text[0].isspace() or text[-1].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def serial(value: dt.date) -> str:
    """Excel's serial number of a date or (time-zone-less wall clock) date-time."""
    days = value.toordinal() - _EPOCH
    if not isinstance(value, dt.datetime):
        return str(days)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return repr(days + seconds / 86400)


class FastRows:
    """Writes header and data rows of one workbook's sheets as XML."""

    def __init__(self, kinds: Sequence[str], bold: Any, date: Any, datetime: Any, money: list):
        self.bold = bold._get_xf_index()
        self.date = date._get_xf_index()
        self.datetime = datetime._get_xf_index()
        self.money = [f._get_xf_index() for f in money]
        by_kind = {"number": self.number, "money": self.amount, "date": self.when}
        by_kind["bool"] = self.flag
        self.cells = [by_kind.get(k, self.text) for k in kinds]
        self.letters: list[str] = []

    def _columns(self, count: int) -> list[str]:
        from xlsxwriter.utility import xl_col_to_name

        if len(self.letters) < count:
            self.letters = [xl_col_to_name(c) for c in range(count)]
        return self.letters

    def header(self, sheet: Any, titles: Sequence[str]) -> None:
        letters = self._columns(len(titles))
        cells = "".join(
            f'<c r="{letters[c]}1" s="{self.bold}" t="inlineStr">{inline_string(t)}</c>'
            for c, t in enumerate(titles)
            if t
        )
        sheet.row_data_fh.write(f'<row r="1">{cells}</row>')

    def row(self, sheet: Any, r: int, values: Sequence[Any]) -> None:
        """Row ``r`` (0-based) of ``sheet``."""
        n = str(r + 1)
        parts = [f'<row r="{n}">']
        for letter, cell, value in zip(self.letters, self.cells, values, strict=True):
            if value is not None:
                parts.append(cell(letter + n, value))
        parts.append("</row>")
        sheet.row_data_fh.write("".join(parts))

    @staticmethod
    def finish(sheet: Any, last_row: int, columns: int) -> None:
        """Tell XlsxWriter how far the data goes (else it writes an empty sheet)."""
        sheet.dim_rowmin, sheet.dim_rowmax = 0, last_row
        sheet.dim_colmin, sheet.dim_colmax = 0, columns - 1

    @staticmethod
    def text(ref: str, value: Any) -> str:
        text = value if type(value) is str else plain_text(value)
        if not text:
            return ""
        return f'<c r="{ref}" t="inlineStr">{inline_string(text)}</c>'

    def number(self, ref: str, value: Any) -> str:
        if type(value) is int:
            return f'<c r="{ref}"><v>{value}</v></c>'
        number = as_decimal(value)
        if number is None:
            return self.text(ref, value)
        return f'<c r="{ref}"><v>{float(number)!r}</v></c>'

    def amount(self, ref: str, value: Any) -> str:
        if type(value) is str:
            plain = _PLAIN_AMOUNT.fullmatch(value)
            if plain:
                places = len(plain.group(1) or "")
                return f'<c r="{ref}" s="{self.money[min(places, 4)]}"><v>{value}</v></c>'
        number = as_decimal(value)
        if number is None:
            return self.text(ref, value)
        style = self.money[min(decimals(number), 4)]
        return f'<c r="{ref}" s="{style}"><v>{float(number)!r}</v></c>'

    def when(self, ref: str, value: Any) -> str:
        moment = as_date(value)
        if moment is None:
            return self.text(ref, value)
        if isinstance(moment, dt.datetime):
            return f'<c r="{ref}" s="{self.datetime}"><v>{serial(moment)}</v></c>'
        return f'<c r="{ref}" s="{self.date}"><v>{serial(moment)}</v></c>'

    @staticmethod
    def flag(ref: str, value: Any) -> str:
        flag = as_bool(value)
        if flag is None:
            return ""
        return f'<c r="{ref}" t="b"><v>{int(flag)}</v></c>'
