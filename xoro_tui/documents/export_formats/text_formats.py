"""CSV (RFC 4180, UTF-8 with a BOM, formula-safe) and aligned plain text; both stream."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from xoro_tui.data.transfer.csv_format import formula_cell_finder, neutralise
from xoro_tui.documents.export_formats.common import (
    NUMERIC_KINDS,
    Options,
    as_bool,
    clean,
    column_widths,
    human,
    peek,
    plain_text,
    truncate,
    width,
)

#: the first characters :func:`neutralise` may act on; every other cell skips the call
_TRIGGERS = frozenset("=@\t\r+-'")
TXT_SAMPLE_ROWS = 1000
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
            fits = line is not None and line.count(delimiter) == separators
            if fits and not formula_cell(line):
                cells = row
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
    """An aligned table for ``less``: widths from the first rows, longer cells cut with …."""
    sample, rows = peek(rows, TXT_SAMPLE_ROWS)
    widths = column_widths(header, sample, kinds, TXT_MAX_WIDTH)
    texts = [human(k) for k in kinds]
    right = [k in NUMERIC_KINDS for k in kinds]

    def line(cells: Sequence[str]) -> str:
        parts: list[str] = []
        for text, size, is_right in zip(cells, widths, right, strict=True):
            text = truncate(text, size)
            pad = " " * (size - width(text))
            parts.append(pad + text if is_right else text + pad)
        return "  ".join(parts).rstrip() + "\n"

    with open(path, "w", encoding="utf-8", newline="") as handle:
        for extra in (options.title, options.filter_text):
            if extra:
                handle.write(truncate(clean(" ".join(extra.split())), 200) + "\n")
        if options.title or options.filter_text:
            handle.write("\n")
        handle.write(line([clean(" ".join(h.split())) for h in header]))
        handle.write("  ".join("-" * w for w in widths) + "\n")
        handle.writelines(line([f(v) for f, v in zip(texts, row, strict=True)]) for row in rows)
