"""CSV (RFC 4180, UTF-8 with a BOM, formula-safe) and aligned plain text; both stream."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from xoro_tui.data.transfer.csv_format import formula_cell_finder, neutralise
from xoro_tui.documents.export_formats import layout
from xoro_tui.documents.export_formats.common import (
    NUMERIC_KINDS,
    Options,
    as_bool,
    clean,
    plain_text,
    width,
)

#: the first characters :func:`neutralise` may act on; every other cell skips the call
_TRIGGERS = frozenset("=@\t\r+-'")
TXT_MAX_WIDTH = 40


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else plain_text(value)
    if text and text[0] in _TRIGGERS:
        return neutralise(text)
    return text


def csv_number(value: Any) -> str:
    if type(value) is int:
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return csv_text(value)


def csv_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_text(value)


def csv_bool(value: Any) -> str:
    flag = as_bool(value)
    return "" if flag is None else ("true" if flag else "false")


def csv_converter(kind: str) -> Callable[[Any], str]:
    if kind in NUMERIC_KINDS:
        return csv_number
    if kind == "date":
        return csv_date
    if kind == "bool":
        return csv_bool
    return csv_text


def _quoted(cells: Sequence[str], delimiter: str) -> str:
    """One RFC 4180 line: cells holding the delimiter, a quote, CR or LF are quoted."""
    return delimiter.join(
        '"' + c.replace('"', '""') + '"'
        if (delimiter in c or '"' in c or "\n" in c or "\r" in c)
        else c
        for c in cells
    )


def write_csv(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    """UTF-8 with a BOM (Excel then reads accents), CRLF line ends, minimal RFC 4180 quoting.

    The csv module costs about 5 µs a row. Here a row of text cells (see
    ``export_sources.csv_cell_sql``) is joined in one call, and written as joined when
    the line holds no quote, CR or LF, exactly as many delimiters as it has columns less
    one, and no cell that :func:`neutralise` would change (one regular-expression search
    of the line). Only the other rows are converted and quoted cell by cell (the same
    bytes csv.writer writes).
    """
    convs = [csv_converter(k) for k in kinds]
    triggers = _TRIGGERS
    delimiter = options.delimiter
    separators = len(header) - 1
    single = len(header) == 1
    formula_cell = formula_cell_finder(delimiter)
    batch: list[str] = []
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff" + _quoted([csv_text(h) for h in header], delimiter) + "\r\n")
        for row in rows:
            try:
                line = delimiter.join(row)
            except TypeError:  # a cell that is not text yet
                line = None
            # the line splits back into its cells only when no cell holds the delimiter
            if line is not None and line.count(delimiter) == separators and not formula_cell(line):
                cells, fits = row, True
            else:
                cells = [
                    v
                    if v.__class__ is str and v[:1] not in triggers
                    else ("" if v is None else f(v))
                    for f, v in zip(convs, row, strict=True)
                ]
                line = delimiter.join(cells)
                fits = line.count(delimiter) == separators
            if not fits or '"' in line or "\n" in line or "\r" in line or (single and not line):
                line = _quoted(cells, delimiter) if line or not single else '""'
            batch.append(line)
            if len(batch) >= 1000:
                batch.append("")
                handle.write("\r\n".join(batch))
                batch.clear()
        if batch:
            batch.append("")
            handle.write("\r\n".join(batch))


def write_txt(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    """An aligned table for ``less -S`` that never cuts a value (see ``layout``).

    Identifiers, amounts, dates and counts take the width of their widest value over all
    rows; other text columns take at most ``TXT_MAX_WIDTH`` columns and wrap onto
    continuation lines. Amounts are right-aligned and grouped; a list with a currency
    column ends with its totals per currency.
    """
    with layout.Spool(header, kinds, rows) as spool:
        widths = _txt_widths(spool)
        right = [c.right for c in spool.columns]

        def lines(cells: Sequence[str]) -> list[str]:
            wrapped = [
                layout.wrap(text, size, width) for text, size in zip(cells, widths, strict=True)
            ]
            out: list[str] = []
            for n in range(max(len(w) for w in wrapped)):
                parts: list[str] = []
                for column, size, is_right in zip(wrapped, widths, right, strict=True):
                    text = column[n] if n < len(column) else ""
                    pad = " " * max(size - width(text), 0)
                    parts.append(pad + text if is_right else text + pad)
                out.append("  ".join(parts).rstrip() + "\n")
            return out

        with open(path, "w", encoding="utf-8", newline="") as handle:
            for extra in (options.title, options.filter_text):
                if extra:
                    handle.write(clean(" ".join(extra.split())) + "\n")
            if options.title or options.filter_text:
                handle.write("\n")
            handle.writelines(lines(spool.header))
            handle.write("  ".join("-" * w for w in widths) + "\n")
            for cells in spool.rows():
                handle.writelines(lines(cells))
            totals = spool.totals()
            if totals:
                handle.write("\n")
                _write_totals(handle, spool.totals_header(), totals)


def _txt_widths(spool: layout.Spool) -> list[int]:
    """Atoms as wide as their widest value; wrapped text up to ``TXT_MAX_WIDTH``."""
    widths: list[int] = []
    for column in spool.columns:
        title = width(column.title)
        head = title if title <= 24 else layout.longest_word(column.title, width)
        if column.atom:
            size = column.max_width
        else:
            size = min(max((width(t) for t in column.sample), default=0), TXT_MAX_WIDTH)
            size = max(size, min(column.max_width, 8))
        widths.append(int(max(size, min(head, TXT_MAX_WIDTH), 3)))
    return widths


def _write_totals(handle: Any, header: list[str], totals: list[layout.Total]) -> None:
    table = [header] + [[t.currency, f"{t.rows:,}", *t.sums] for t in totals]
    widths = [max(width(row[i]) for row in table) for i in range(len(header))]
    handle.write("Totals per currency\n")
    for n, row in enumerate(table):
        cells = [
            cell.ljust(size) if i == 0 else " " * (size - width(cell)) + cell
            for i, (cell, size) in enumerate(zip(row, widths, strict=True))
        ]
        handle.write("  ".join(cells).rstrip() + "\n")
        if n == 0:
            handle.write("  ".join("-" * w for w in widths) + "\n")
