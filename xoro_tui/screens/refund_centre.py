"""The Customer Refund Centre: every refund, its status, totals per currency."""

from __future__ import annotations

import sqlite_utils
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Static

from xoro_tui.data import money
from xoro_tui.data.query import Filter, WindowQuery
from xoro_tui.data.refund_list import (
    DEFAULT_COLUMNS,
    SEARCH_FIELDS,
    STATUSES,
    refund_spec,
    status_counts,
    totals,
)
from xoro_tui.screens.list_screen import ListScreen
from xoro_tui.screens.query_source import QuerySource
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.virtual_table import VirtualTable

ROW_MENU = (
    ("receipt", "View Refund Receipt", "v"),
    ("update", "Update Refund", "u"),
    ("print_deposit", "Print Refund Customer Deposit", "p"),
    ("print_cheque", "Print Cheque", "c"),
    ("void", "Void", "x"),
    ("customer_info", "Customer Info", "i"),
)


def _amount(value: object, record: dict) -> str:
    if value is None:
        return ""
    return money.display(int(value), str(record.get("currency") or "USD"))


class RefundCentre(ListScreen):
    NOUN = "refunds"
    SEARCH_FIELDS = SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Refund number, customer, cheque number or reference"

    BINDINGS = [
        Binding("0", "status(0)", "All", id="refunds.all"),
        *(
            Binding(str(i), f"status({i})", status, id=f"refunds.status{i}", show=False)
            for i, status in enumerate(STATUSES, start=1)
        ),
    ]

    def compose(self):
        yield from super().compose()
        yield Static(id="status-counts", markup=False)
        yield Static(id="totals", markup=False)

    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        source = QuerySource(
            WindowQuery(db.conn, refund_spec()),
            DEFAULT_COLUMNS,
            formatters={"amount": _amount},
            hidden_needs={"amount": ("currency",)},
        )
        source.set_sort("refund_date", True)
        return source

    def make_count_query(self, db: sqlite_utils.Database) -> WindowQuery:
        return WindowQuery(db.conn, refund_spec())

    def on_mount(self) -> None:
        self.title = "Customer Refund Centre"
        super().on_mount()
        self.filter_applied()

    def action_status(self, index: int) -> None:
        assert self.source is not None
        status = STATUSES[index - 1] if index else None
        self.apply_filter(self.current_filter().with_extra("status", status))

    def describe_filter(self) -> str:
        words = super().describe_filter()
        assert self.source is not None
        status = self.source.filter.extra("status")
        if status:
            words = " and ".join(w for w in (f"status is {status}", words) if w)
        return words

    def filter_applied(self) -> None:
        assert self.source is not None
        flt = self.source.filter
        conn = self.app.db.conn  # type: ignore[attr-defined]
        counts = status_counts(conn, flt)
        current = flt.extra("status")
        parts = [f"0 All {sum(counts.values()):,}"]
        for i, status in enumerate(STATUSES, start=1):
            mark = "▸" if status == current else ""
            parts.append(f"{mark}{i} {status} {counts[status]:,}")
        self.query_one("#status-counts", Static).update(Text("  ".join(parts)))
        self.query_one("#totals", Static).update(Text(self.totals_text(flt)))

    def totals_text(self, flt: Filter) -> str:
        conn = self.app.db.conn  # type: ignore[attr-defined]
        rows = totals(conn, flt)
        if not rows:
            return "Totals: none"
        return "Totals (voided left out): " + "  ".join(
            f"{cur} {money.display(total, cur)} ({n:,})" for cur, n, total in rows
        )

    @on(VirtualTable.MenuRequested)
    def _menu(self, event: VirtualTable.MenuRequested) -> None:
        row = self.table.current_row()
        title = row.values[0] if row else ""
        self.menu.open(ROW_MENU, safe_text(title), event.screen_y, row_key=event.key)

    @on(RowMenu.Picked)
    def _picked(self, event: RowMenu.Picked) -> None:
        self.notify(f"{event.entry_id}: not available yet", timeout=3)
