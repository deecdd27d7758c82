"""A small host app for the widget tests: a VirtualTable, a RowMenu, a ConfirmPrompt."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Footer

from xoro_tui.widgets.list_source import SyntheticSource
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.table_source import TableSource
from xoro_tui.widgets.virtual_table import VirtualTable

MENU = (("open", "Open", "o"), ("edit", "Edit", "e"), ("delete", "Delete", "d"))


class TableApp(App[None]):
    """Opens the row menu on MenuRequested, like a screen would; records messages."""

    CSS = "Screen { layers: base overlay; }"

    def __init__(self, source: TableSource | None = None, *, ascii: bool = False) -> None:
        super().__init__()
        self.source = source if source is not None else SyntheticSource(hostile=True)
        self.ascii = ascii
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source, id="table", ascii=self.ascii)
        yield RowMenu(id="menu")
        yield ConfirmPrompt(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.table.attach_overlay(self.menu, self.prompt)
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    @property
    def menu(self) -> RowMenu:
        return self.query_one(RowMenu)

    @property
    def prompt(self) -> ConfirmPrompt:
        return self.query_one(ConfirmPrompt)

    def of(self, kind: type[Message]) -> list:
        return [m for m in self.messages if isinstance(m, kind)]

    @on(VirtualTable.CursorMoved)
    @on(VirtualTable.RowChosen)
    @on(VirtualTable.ChecksChanged)
    @on(VirtualTable.SortChanged)
    @on(RowMenu.Picked)
    @on(RowMenu.Closed)
    @on(ConfirmPrompt.Answered)
    def _record(self, message: Message) -> None:
        self.messages.append(message)

    @on(VirtualTable.MenuRequested)
    def _open_menu(self, event: VirtualTable.MenuRequested) -> None:
        self.messages.append(event)
        row = self.table.current_row()
        title = safe_text(row.values[1] if row else "")
        self.menu.open(MENU, title, event.screen_y, row_key=event.key)


@pytest.fixture
def make_app() -> type[TableApp]:
    """The host app class: ``make_app(source=None, ascii=False)``."""
    return TableApp
