"""The Customer Centre: every customer, searchable, with the row menu."""

from __future__ import annotations

import sqlite_utils
from textual import on
from textual.binding import Binding

from xoro_tui.data.customer_list import DEFAULT_COLUMNS, SEARCH_FIELDS, customer_spec
from xoro_tui.data.query import WindowQuery
from xoro_tui.screens.list_screen import ListScreen
from xoro_tui.screens.query_source import QuerySource
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.virtual_table import VirtualTable

ROW_MENU = (
    ("open", "Open", "o"),
    ("info", "Customer Info", "i"),
    ("estimate", "Create Estimate", "e"),
    ("sales_order", "Create SO", "s"),
    ("invoice", "Create Invoice", "v"),
    ("sales_receipt", "Create Sales Receipt", "r"),
    ("delete", "Delete", "d"),
)


class CustomerCentre(ListScreen):
    NOUN = "customers"
    SEARCH_FIELDS = SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Type Name, Email, Phone or Account Number"
    TITLE = "Customer Centre"

    BINDINGS = [
        Binding("n,plus", "new_customer", "New", id="customers.new"),
    ]

    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        return QuerySource(WindowQuery(db.conn, customer_spec()), DEFAULT_COLUMNS)

    def make_count_query(self, db: sqlite_utils.Database) -> WindowQuery:
        return WindowQuery(db.conn, customer_spec())

    def on_mount(self) -> None:
        self.title = "Customer Centre"
        super().on_mount()

    @on(VirtualTable.MenuRequested)
    def _menu(self, event: VirtualTable.MenuRequested) -> None:
        row = self.table.current_row()
        name = row.values[1] if row and len(row.values) > 1 else ""
        self.menu.open(ROW_MENU, safe_text(name), event.screen_y, row_key=event.key)

    @on(RowMenu.Picked)
    def _picked(self, event: RowMenu.Picked) -> None:
        self.notify(f"{event.entry_id}: not available yet", timeout=3)

    def action_new_customer(self) -> None:
        self.notify("Adding a customer is not available yet", timeout=3)
