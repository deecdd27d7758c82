"""Demo: a VirtualTable over 1,000,000 synthetic rows, a row menu, a prompt and a Footer.

Run with ``python -m bench.table_demo`` (``--hostile`` mixes markup traps into names,
``--ascii`` uses ``>`` for the cursor). ``bench/measure_bytes.py`` drives it in a pty.
"""

from __future__ import annotations

import sys

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from xoro_tui.widgets.list_source import SyntheticSource
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.virtual_table import VirtualTable

MENU = (
    ("open", "Open customer", "o"),
    ("edit", "Edit", "e"),
    ("refund", "Refund…", "r"),
    ("delete", "Delete", "d"),
)


class TableDemo(App[None]):
    CSS = "Screen { layers: base overlay; }"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, id="demo.quit")]

    def __init__(
        self,
        size: int = 1_000_000,
        *,
        hostile: bool = False,
        ascii: bool = False,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.theme_name = theme
        self.source = SyntheticSource(size, hostile=hostile)
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source, id="table", ascii=self.ascii)
        yield RowMenu(id="menu")
        yield ConfirmPrompt(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.attach_overlay(self.query_one(RowMenu), self.query_one(ConfirmPrompt))
        table.focus()
        if self.theme_name:
            self.theme = self.theme_name

    @on(VirtualTable.MenuRequested)
    def _menu(self, event: VirtualTable.MenuRequested) -> None:
        row = self.query_one(VirtualTable).current_row()
        title = safe_text(row.values[1] if row else "")
        self.query_one(RowMenu).open(MENU, title, event.screen_y, row_key=event.key)

    @on(RowMenu.Picked)
    def _picked(self, event: RowMenu.Picked) -> None:
        if event.entry_id == "delete":
            self.query_one(ConfirmPrompt).ask(
                f"Delete customer {event.row_key}?", token=event.row_key
            )


if __name__ == "__main__":
    theme = sys.argv[sys.argv.index("--theme") + 1] if "--theme" in sys.argv else None
    TableDemo(hostile="--hostile" in sys.argv, ascii="--ascii" in sys.argv, theme=theme).run()
