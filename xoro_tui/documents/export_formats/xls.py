"""Legacy Excel 97 (.xls) with xlwt: typed cells, a new sheet every 65,535 data rows.

xlwt keeps the workbook (and every distinct string) in memory, so the caller refuses
exports above ``MEMORY_LIMITS["xls"]`` cells before this runs. Rows are flushed to
xlwt's own temporary file every few thousand rows to keep the row objects few.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.documents.export_formats.common import (
    CellSink,
    CellWriter,
    Options,
    cell_writers,
    column_widths,
    peek,
)
from xoro_tui.documents.export_formats.xlsx import sheet_name

#: data rows per sheet: Excel 97's 65,536 rows less the header row
XLS_SHEET_ROWS = 65_535
MAX_TEXT = 32_767
SAMPLE_ROWS = 1000
FLUSH_EVERY = 2000


def _cells(xlwt: Any, kinds: Sequence[str]) -> list[CellWriter]:
    """Typed cells in an xlwt row (the target; the row number is the row's own)."""
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    datetime_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    money_styles = [
        xlwt.easyxf(num_format_str="#,##0" + ("." + "0" * places if places else ""))
        for places in range(5)
    ]
    return cell_writers(
        kinds,
        CellSink(
            # a str is always a text cell in xlwt: formulas need xlwt.Formula
            text=lambda row, _r, c, s: row.write(c, s[:MAX_TEXT]),
            number=lambda row, _r, c, x: row.write(c, float(x)),
            money=lambda row, _r, c, x, places: row.write(c, x, money_styles[places]),
            date=lambda row, _r, c, d: row.write(c, d, date_style),
            datetime=lambda row, _r, c, d: row.write(c, d.replace(tzinfo=None), datetime_style),
            boolean=lambda row, _r, c, flag: row.write(c, flag),
        ),
    )


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
            cell(row, r, c, value)
        if r % FLUSH_EVERY == 0:
            ws.flush_row_data()
    workbook.save(str(path))
