"""The protocol between the virtual table widget and whatever feeds it rows.

The widget never sees SQL: a screen hands it a ``TableSource`` built on a repository.
The source owns filter and sort; the widget asks for the count and for windows of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

RowKey = int


@dataclass(frozen=True, slots=True)
class Column:
    """A column the source can give: ``key`` names the field, ``title`` is shown."""

    key: str
    title: str
    width: int = 12
    align: Literal["left", "right"] = "left"
    kind: Literal["text", "number", "money", "date", "bool", "lookup"] = "text"
    sortable: bool = True
    #: the user set this width: spare room on a wide screen goes to another column
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row: its stable key and one display string per visible column."""

    key: RowKey
    values: tuple[str, ...]


@runtime_checkable
class TableSource(Protocol):
    """What the virtual table needs from its data.

    ``window`` returns the rows at positions ``offset`` .. ``offset + limit`` of the
    current filter and sort, with values in the order of ``visible_columns``.
    """

    @property
    def all_columns(self) -> Sequence[Column]: ...

    @property
    def visible_columns(self) -> Sequence[Column]: ...

    @property
    def sort(self) -> tuple[str, bool] | None:
        """The sort column key and whether it is descending."""
        ...

    def count(self) -> int: ...

    def window(self, offset: int, limit: int) -> list[TableRow]: ...

    def position_of(self, key: RowKey) -> int | None:
        """Where a row stands in the current filter and sort, or None when it is not there."""
        ...

    def set_sort(self, key: str, descending: bool) -> None:
        """Sort by column ``key``; later ``window`` / ``position_of`` calls follow it.

        Called by the table when the user presses ``s``; the table then re-reads the
        count and the rows around the cursor itself.
        """
        ...
