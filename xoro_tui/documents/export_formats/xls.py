"""Legacy Excel 97 (.xls) with xlwt: typed cells, a new sheet every 65,535 data rows.

xlwt keeps the workbook (and every distinct string) in memory, so the caller refuses
exports above ``MEMORY_LIMITS["xls"]`` cells before this runs. Rows are flushed to
xlwt's own temporary file every few thousand rows to keep the row objects few.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.documents.export_formats.common import (
    Options,
    as_bool,
    as_date,
    as_decimal,
    column_widths,
    decimals,
    peek,
    plain_text,
)
from xoro_tui.documents.export_formats.xlsx import sheet_name

#: data rows per sheet: Excel 97's 65,536 rows less the header row
XLS_SHEET_ROWS = 65_535
MAX_TEXT = 32_767
SAMPLE_ROWS = 1000
FLUSH_EVERY = 2000

Cell = Callable[[Any, int, Any], None]


def _cells(xlwt: Any, kinds: Sequence[str]) -> list[Cell]:
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    datetime_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    money_styles = [
        xlwt.easyxf(num_format_str="#,##0" + ("." + "0" * places if places else ""))
        for places in range(5)
    ]

    def text(row: Any, c: int, v: Any) -> None:
        if v is None:
            return
        s = v if type(v) is str else plain_text(v)
        if s:
            # a str is always a text cell in xlwt: formulas need xlwt.Formula
            row.write(c, s[:MAX_TEXT])

    def number(row: Any, c: int, v: Any) -> None:
        d = as_decimal(v)
        if d is None:
            text(row, c, v)
        else:
            row.write(c, float(d))

    def money(row: Any, c: int, v: Any) -> None:
        d = as_decimal(v)
        if d is None:
            text(row, c, v)
        else:
            row.write(c, float(d), money_styles[min(decimals(d), 4)])

    def date(row: Any, c: int, v: Any) -> None:
        d = as_date(v)
        if d is None:
            text(row, c, v)
        elif isinstance(d, dt.datetime):
            row.write(c, d.replace(tzinfo=None), datetime_style)
        else:
            row.write(c, d, date_style)

    def boolean(row: Any, c: int, v: Any) -> None:
        flag = as_bool(v)
        if flag is not None:
            row.write(c, flag)

    by_kind = {"number": number, "money": money, "date": date, "bool": boolean}
    return [by_kind.get(k, text) for k in kinds]


#: 12.75 pt, the height of a row of 10 pt Arial (xlwt's default font)
ROW_TWIPS = 255


def _fixed_height(row: Any) -> None:
    """Mark the row's height as set (ROW record fUnsynced), so LibreOffice does not work out
    the best height of every row while laying the sheet out: 544 s instead of 636 s to
    convert 100,000 refunds to PDF. Most of that time is not the format's: LibreOffice lays
    out a workbook of several sheets far more slowly than one sheet (40,000 rows to PDF:
    61 s as one .xls sheet, 335 s as two; 41 s as one .xlsx sheet, 328 s as two), and .xls
    needs a new sheet every 65,535 rows."""
    row.height = ROW_TWIPS
    row.height_mismatch = 1


def write_xls(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    import xlwt

    sample, rows = peek(rows, SAMPLE_ROWS)
    widths = column_widths(header, sample, kinds, 50)
    # style_compression=2: an XF record per distinct style, however the styles were made
    workbook = xlwt.Workbook(encoding="utf-8", style_compression=2)
    bold = xlwt.easyxf("font: bold on")
    columns = list(enumerate(_cells(xlwt, kinds)))
    sheets: list[Any] = []

    def new_sheet() -> Any:
        sheet = workbook.add_sheet(sheet_name(options.title, len(sheets) + 1))
        sheets.append(sheet)
        first = sheet.row(0)
        _fixed_height(first)
        for i, title in enumerate(header):
            first.write(i, title[:MAX_TEXT], bold)
            sheet.col(i).width = min(256 * (widths[i] + 2), 65_535)
        sheet.set_panes_frozen(True)
        sheet.set_horz_split_pos(1)
        sheet.set_remove_splits(True)
        return sheet

    ws = new_sheet()
    r = 0
    for values in rows:
        if r == XLS_SHEET_ROWS:
            ws.flush_row_data()
            ws, r = new_sheet(), 0
        r += 1
        row = ws.row(r)
        _fixed_height(row)
        for (c, cell), value in zip(columns, values, strict=True):
            cell(row, c, value)
        if r % FLUSH_EVERY == 0:
            ws.flush_row_data()
    workbook.save(str(path))
