"""Messages posted by ``VirtualTable`` (exposed as ``VirtualTable.CursorMoved`` etc.).

They live here to keep the widget module small; ``namespace="virtual_table"`` gives
them the handler names they would have as nested classes
(``on_virtual_table_cursor_moved`` ...), and ``@on(VirtualTable.CursorMoved)`` works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from xoro_tui.widgets.table_source import RowKey

if TYPE_CHECKING:
    from xoro_tui.widgets.virtual_table import VirtualTable


class TableMessage(Message):
    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> VirtualTable:
        return self.table


class CursorMoved(TableMessage, namespace="virtual_table"):
    """The cursor is on another row (``key`` is None when the table is empty)."""

    def __init__(self, table: VirtualTable, key: RowKey | None) -> None:
        super().__init__(table)
        self.key = key


class RowChosen(TableMessage, namespace="virtual_table"):
    """Enter (or a double click) on a row."""

    def __init__(self, table: VirtualTable, key: RowKey) -> None:
        super().__init__(table)
        self.key = key


class ChecksChanged(TableMessage, namespace="virtual_table"):
    """The number of checked rows, as ``table.selection.count(table.row_count)``."""

    def __init__(self, table: VirtualTable, count: int) -> None:
        super().__init__(table)
        self.count = count


class MenuRequested(TableMessage, namespace="virtual_table"):
    """A menu key or right click; ``screen_y`` is the screen line of the row."""

    def __init__(self, table: VirtualTable, key: RowKey, screen_y: int) -> None:
        super().__init__(table)
        self.key = key
        self.screen_y = screen_y


class SortChanged(TableMessage, namespace="virtual_table"):
    """The user sorted by column ``key`` (the source is already sorted)."""

    def __init__(self, table: VirtualTable, key: str, descending: bool) -> None:
        super().__init__(table)
        self.key = key
        self.descending = descending


class CopyRequested(TableMessage, namespace="virtual_table"):
    """``y`` (the cell) or ``Y`` (the row): ``text`` to copy, ``what`` says which."""

    def __init__(self, table: VirtualTable, text: str, what: str) -> None:
        super().__init__(table)
        self.text = text
        self.what = what
