"""Deleted customers: restorable until the retention time passes; `R` restores the checked
ones (or the one under the cursor)."""

from __future__ import annotations

import sqlite_utils

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.customer_list import DEFAULT_COLUMNS, SEARCH_FIELDS, customer_spec
from xoro_tui.data.customers.deletion import restore
from xoro_tui.data.search.list_query import WindowQuery
from xoro_tui.data.store.app_settings import retention_days
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.customers import money_cells
from xoro_tui.screens.lists.list_screen import ListScreen
from xoro_tui.screens.lists.query_source import QuerySource


class DeletedCustomers(ListScreen):
    NOUN = "deleted customers"
    SETTINGS_KEY = "deleted_customers"
    SEARCH_FIELDS = SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Search deleted customers"
    #: a deleted customer opens nothing and has no row menu: R restores it
    TABLE_ACTIONS_OFF = frozenset({"menu", "choose"})
    #: the key bar shows Restore first, so it is on screen at 80 columns too
    KEY_BAR_FIRST = ("restore",)

    BINDINGS = bindings("DeletedCustomers")

    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        columns = [*DEFAULT_COLUMNS[:3], "updated_at"]
        return QuerySource(
            WindowQuery(db.conn, customer_spec("deleted")),
            columns,
            formatters=money_cells.FORMATTERS,
            hidden_needs=money_cells.NEEDS,
        )

    def on_mount(self) -> None:
        self.title = "Deleted customers"
        self.sub_title = (
            f"restorable for {retention_days(xoro_app(self).db.conn)} days after deletion"
        )
        super().on_mount()

    def action_restore(self) -> None:
        ids = self.checked_ids(limit=200_000)
        if not ids and self.table.cursor_key is not None:
            ids = [self.table.cursor_key]
        if not ids:
            self.notify("Nothing to restore", timeout=3)
            return
        try:
            count = restore(xoro_app(self).db, ids)
        except DataError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.table.selection.clear()
        self._total = None
        assert self.source is not None
        self.source.invalidate()
        self.table.reload(keep_key=False)
        self.update_status()
        self.notify(f"Restored {count:,} customer(s) to the Customer Centre", timeout=4)

    def action_back(self) -> None:
        self.dismiss(None)
