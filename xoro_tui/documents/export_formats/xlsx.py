"""Excel .xlsx with XlsxWriter in constant-memory mode: typed cells, streamed row by row.

Numbers, money and dates are typed cells with number formats; text is always written
with ``write_string`` so ``=1+1`` stays text and never becomes a formula.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.documents.export_formats import xlsx_rows
from xoro_tui.documents.export_formats.common import (
    CellSink,
    CellWriter,
    Options,
    cell_writers,
    column_widths,
    peek,
)
from xoro_tui.documents.export_formats.xlsx_rows import FastRows

#: data rows per sheet (Excel's 1,048,576 rows less the header row)
XLSX_SHEET_ROWS = 1_048_575
SAMPLE_ROWS = 1000
MAX_WIDTH = 50
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def sheet_name(title: str, number: int) -> str:
    """A valid sheet name from the title: no ``[]:*?/\\'``, at most 31 characters."""
    base = " ".join(_SHEET_NAME_BAD.sub(" ", title).split())[:24] or "Export"
    return base if number == 1 else f"{base} ({number})"


def _formats(workbook: Any) -> tuple[Any, Any, Any, list[Any]]:
    """Bold, date, date-time and money (0 to 4 decimals) formats."""
    return (
        workbook.add_format({"bold": True}),
        workbook.add_format({"num_format": "yyyy-mm-dd"}),
        workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        [
            workbook.add_format({"num_format": "#,##0" + ("." + "0" * places if places else "")})
            for places in range(5)
        ],
    )


def _cell_writers(
    formats: tuple[Any, Any, Any, list[Any]], kinds: Sequence[str]
) -> list[CellWriter]:
    """The public-API path (used when :mod:`xlsx_rows` cannot be): one call per cell."""
    _bold, date_fmt, datetime_fmt, money_fmts = formats
    return cell_writers(
        kinds,
        CellSink(
            text=lambda ws, r, c, s: ws.write_string(r, c, s),
            number=lambda ws, r, c, x: ws.write_number(r, c, x),
            money=lambda ws, r, c, x, places: ws.write_number(r, c, x, money_fmts[places]),
            date=lambda ws, r, c, d: ws.write_datetime(r, c, d, date_fmt),
            datetime=lambda ws, r, c, d: ws.write_datetime(r, c, d, datetime_fmt),
            boolean=lambda ws, r, c, flag: ws.write_boolean(r, c, flag),
        ),
    )


def write_xlsx(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    import xlsxwriter

    sample, rows = peek(rows, SAMPLE_ROWS)
    widths = column_widths(header, sample, kinds, MAX_WIDTH)
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    workbook.set_properties(
        {"title": options.title, "comments": options.filter_text, "author": "xoro-tui"}
    )
    formats = _formats(workbook)
    bold = formats[0]
    fast: FastRows | None = None
    writers = _cell_writers(formats, kinds)
    columns = list(enumerate(writers))
    last = len(header) - 1
    sheets = 0
    r = 0

    def new_sheet() -> Any:
        nonlocal sheets, fast
        sheets += 1
        sheet = workbook.add_worksheet(sheet_name(options.title, sheets))
        for i, size in enumerate(widths):
            sheet.set_column(i, i, size + 2)
        if sheets == 1 and xlsx_rows.supported(sheet):
            fast = FastRows(kinds, *formats)
        if fast is not None:
            fast.header(sheet, header)
        else:
            for i, title in enumerate(header):
                sheet.write_string(0, i, title, bold)
        sheet.freeze_panes(1, 0)
        return sheet

    def finish(sheet: Any, last_row: int) -> None:
        if fast is not None:
            fast.finish(sheet, last_row, len(header))
        sheet.autofilter(0, 0, max(last_row, 1), last)

    try:
        ws = new_sheet()
        for row in rows:
            if r == XLSX_SHEET_ROWS:
                finish(ws, r)
                ws, r = new_sheet(), 0
            r += 1
            if fast is not None:
                fast.row(ws, r, row)
                continue
            for (c, write), value in zip(columns, row, strict=True):
                write(ws, r, c, value)
        finish(ws, r)
    except BaseException:
        _discard(workbook)
        raise
    workbook.close()


def _discard(workbook: Any) -> None:
    """A failed or cancelled export: drop the sheets' temporary row files, write nothing."""
    for sheet in workbook.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        name = getattr(sheet, "row_data_filename", None)
        if handle is not None:
            handle.close()
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)
