"""Pure helpers for ``VirtualTable``: column placement and cell text (no Textual)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from xoro_tui.widgets.safe_text import plain
from xoro_tui.widgets.table_source import Column

GUTTER = 5
"""Cells before the first column: cursor mark, ``[x]`` checkbox, one space."""
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Placed:
    """A column drawn at cell ``x`` (after the gutter), ``width`` cells wide."""

    index: int
    x: int
    width: int


def fit(text: str, width: int, align: str = "left") -> str:
    """Pad or cut ``text`` to exactly ``width`` cells, ending cut text with an ellipsis."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, width - 1) + ELLIPSIS
    pad = " " * (width - size)
    return pad + text if align == "right" else text + pad


def place_columns(
    columns: Sequence[Column], first: int, total_width: int, frozen: int = 0
) -> list[Placed]:
    """Place the ``frozen`` key columns, then columns ``first..``, left to right, one space
    apart, within ``total_width``: key columns stay put when the others scroll.

    When every column from ``first`` fits with room to spare, the spare cells go to
    the column keyed ``name`` (or, failing that, the widest) unless the user set its
    width. The last column that only partly fits is kept, cut at the edge.
    """
    room = total_width - GUTTER
    frozen = max(0, min(frozen, len(columns)))
    chosen = [*range(frozen), *range(max(first, frozen), len(columns))]
    widths = {i: max(1, columns[i].width) for i in chosen}
    used = sum(widths.values()) + max(0, len(chosen) - 1)
    free = [i for i in chosen if not columns[i].fixed]
    if free and used < room:
        grow = next((i for i in free if columns[i].key == "name"), None)
        if grow is None:
            grow = max(free, key=lambda i: widths[i])
        widths[grow] += room - used
    placed: list[Placed] = []
    x = GUTTER
    for i in chosen:
        if x >= total_width:
            break
        placed.append(Placed(i, x, min(widths[i], total_width - x)))
        x += widths[i] + 1
    return placed


def row_text(
    values: Sequence[object],
    columns: Sequence[Column],
    placed: Sequence[Placed],
    *,
    mark: str,
    checked: bool,
    width: int,
) -> str:
    """One full-width line of plain text for a data row."""
    parts = [mark, "[x] " if checked else "[ ] "]
    for p in placed:
        value = plain(values[p.index]) if p.index < len(values) else ""
        parts.append(fit(value, p.width, columns[p.index].align))
        parts.append(" ")
    return set_cell_size("".join(parts), width)


def header_parts(
    columns: Sequence[Column],
    placed: Sequence[Placed],
    *,
    current: int,
    sort: tuple[str, bool] | None,
    width: int,
    then_by: tuple[str, bool] | None = None,
) -> tuple[str, str, str]:
    """The header line split as (before, current column title, after); the sort column
    ends in ``▲``/``▼``, a "then by" column in ``△``/``▽``."""
    before: list[str] = [" " * GUTTER]
    middle = ""
    after: list[str] = []
    for p in placed:
        column = columns[p.index]
        title = plain(column.title)
        if sort is not None and sort[0] == column.key:
            arrow = "▼" if sort[1] else "▲"
            title = fit(title, p.width - 2).rstrip() + " " + arrow
        elif then_by is not None and then_by[0] == column.key:
            arrow = "▽" if then_by[1] else "△"
            title = fit(title, p.width - 2).rstrip() + " " + arrow
        cell = fit(title, p.width, column.align)
        if p.index == current:
            middle = cell
            after.append(" ")
        elif middle:
            after.extend((cell, " "))
        else:
            before.extend((cell, " "))
    text_before = "".join(before)
    if not middle:
        return set_cell_size(text_before, width), "", ""
    rest = max(0, width - cell_len(text_before) - cell_len(middle))
    return text_before, middle, set_cell_size("".join(after), rest)
