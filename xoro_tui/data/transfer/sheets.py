"""Reading an import file as a header row and data rows of text: CSV, .xlsx, .xls, IIF.

The format is told by the file's first bytes, not its name: a ZIP is an .xlsx workbook
(openpyxl), an OLE2 compound file an Excel 97 workbook (xlrd), anything else text
(CSV, or a QuickBooks IIF list). Spreadsheet cells are turned into the text a CSV export
of the same list holds, so that this app's own .xlsx and .xls exports import again
unchanged: whole numbers without ``.0``, dates as ISO dates, flags as ``true``/``false``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xoro_tui.data.store.errors import Refused
from xoro_tui.data.transfer import csv_format

_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: rows above the header a spreadsheet report may have (a title, a date, blank lines)
HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """A file's header and its data rows (cells as text); ``close()`` the rows to stop."""

    headers: list[str]
    rows: Generator[list[str], None, None]
    kind: str
    #: what the user should know about how the file was read (the encoding assumed)
    warnings: list[str] = field(default_factory=list)


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """The header and rows of ``path`` (first sheet, or ``sheet``); one-line Refused if not."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise Refused(f"no file at {path} (check the path)") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a directory, not a file to import") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(_XLSX_MAGIC):
        return _read_xlsx(path, sheet)
    if head.startswith(_OLE2_MAGIC):
        return _read_xls(path, sheet)
    if sheet is not None:
        raise Refused(f"--sheet applies to .xlsx and .xls workbooks; {path.name} is a text file")
    _refuse_binary(path)
    if _is_iif(path):
        return _read_iif(path)
    codec, name = csv_format.detect_encoding(path)
    headers, rows = csv_format.read_csv(path, codec)
    if codec == csv_format.UTF8[0]:
        return Table(headers, rows, "CSV")
    note = (
        f"{path.name} is not UTF-8: it was read as {name} (the encoding Excel on Windows "
        "saves CSV in); check that accented letters came out right"
    )
    return Table(headers, rows, f"CSV ({name})", [note])


def _refuse_binary(path: Path) -> None:
    with open(path, "rb") as handle:
        sample = handle.read(4096)
    if b"\x00" in sample and (_not_utf8(sample) or sample.count(b"\x00") * 20 > len(sample)):
        raise Refused(
            f"{path} is neither a CSV file nor an Excel workbook (.xlsx or .xls); "
            "save it from its program as CSV or .xlsx and import that"
        )


def _not_utf8(sample: bytes) -> bool:
    """Whether ``sample`` (a file's first bytes) is not UTF-8 text, a cut last character aside."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(sample) - 3
    return False


# --- spreadsheets ----------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a CSV export holds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _rows_from(cells: Iterator[list[str]]) -> tuple[list[str], Generator[list[str], None, None]]:
    """The header row (the first of the top rows with two or more cells) and the rest."""
    for skipped, row in enumerate(cells):
        filled = [c for c in row if c.strip()]
        if len(filled) >= 2 or (len(filled) == 1 and len(row) == 1):
            headers = [c.strip() for c in row]
            while headers and not headers[-1]:
                headers.pop()
            return headers, _data(cells, len(headers))
        if skipped + 1 >= HEADER_SEARCH_ROWS:
            break
    raise Refused("the sheet is empty or has no header row")


def _data(cells: Iterator[list[str]], width: int) -> Generator[list[str], None, None]:
    for row in cells:
        if not any(c.strip() for c in row):
            continue
        row = row[:width] + [""] * (width - len(row)) if len(row) != width else row
        yield row


def _pick(names: list[str], sheet: str | None, path: Path) -> int:
    if sheet is None:
        return 0
    for i, name in enumerate(names):
        if name == sheet or name.casefold() == sheet.casefold():
            return i
    raise Refused(f"{path.name} has no sheet {sheet!r}; its sheets are: {', '.join(names)}")


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise Refused("reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Refused(
            f"{path} is a ZIP file but not an .xlsx workbook ({exc}); "
            "save it as .xlsx or CSV and import that"
        ) from None
    try:
        ws = book.worksheets[_pick(book.sheetnames, sheet, path)]
        cells = ([cell_text(v) for v in row] for row in ws.iter_rows(values_only=True))
        headers, rows = _rows_from(cells)
    except BaseException:
        book.close()
        raise
    return Table(headers, _closing(rows, book.close), "Excel (.xlsx)")


def _closing(
    rows: Generator[list[str], None, None], close: Any
) -> Generator[list[str], None, None]:
    try:
        yield from rows
    finally:
        close()


def _read_xls(path: Path, sheet: str | None) -> Table:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency
        raise Refused("reading .xls needs xlrd (pip install xlrd)") from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises many kinds for a damaged or non-Excel file
        raise Refused(
            f"{path} is not an Excel 97 (.xls) workbook xlrd can read ({exc}); "
            "save it as .xlsx or CSV and import that"
        ) from None
    ws = book.sheet_by_index(_pick(book.sheet_names(), sheet, path))

    def value(cell: Any) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return "true" if cell.value else "false"
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return ""
        return cell_text(cell.value)

    cells = ([value(c) for c in ws.row(r)] for r in range(ws.nrows))
    headers, rows = _rows_from(cells)
    return Table(headers, _closing(rows, book.release_resources), "Excel 97 (.xls)")


# --- QuickBooks IIF ----------------------------------------------------------------------


def _is_iif(path: Path) -> bool:
    with open(path, "rb") as handle:
        start = handle.read(4096)
    return start.lstrip(b"\xef\xbb\xbf").startswith(b"!") and b"\t" in start


def _read_iif(path: Path) -> Table:
    """The rows under ``!CUST`` of a QuickBooks IIF list, matched by the header's names."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # QuickBooks writes Windows-1252
    headers: list[str] | None = None
    rows: list[list[str]] = []
    for line in text.splitlines():
        cells = line.split("\t")
        if cells[0] == "!CUST":
            headers = [c.strip() for c in cells[1:]]
        elif cells[0] == "CUST" and headers is not None:
            row = cells[1 : len(headers) + 1]
            rows.append(row + [""] * (len(headers) - len(row)))
    if headers is None:
        raise Refused(f"{path} is an IIF file with no !CUST (customer list) header")
    return Table(headers, (r for r in rows), "QuickBooks IIF")
