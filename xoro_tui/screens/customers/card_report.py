"""The Credit Card Report: the checked customers' saved cards (brand, last 4, expiry, status),
searchable over any column, with dated snapshots saved for reference.

Only what the data layer selects is shown, and it never holds more than the last 4 digits.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict
from typing import Any, cast

import sqlite_utils
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers import card_list as cards
from xoro_tui.data.search.list_query import FieldDef, Filter, WindowQuery, where_sql
from xoro_tui.data.store.connection import is_postgres
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.screens.lists.list_screen import ListScreen
from xoro_tui.screens.lists.query_source import QuerySource
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.list_source import ListSource
from xoro_tui.widgets.safe_text import plain, safe_text
from xoro_tui.widgets.table_source import Column, TableRow
from xoro_tui.widgets.virtual_table import VirtualTable

STATUSES: tuple[str, ...] = (cards.EXPIRED, cards.EXPIRING, cards.VALID)
DEFAULT_COLUMNS = ("customer_name", "brand", "last4", "expiry", "expiration_status")
#: a snapshot is a reference copy, not an export: larger ones are refused, not cut short
MAX_SAVED_ROWS = 50_000
_BATCH = 2_000


def _when(created_at: str) -> str:
    return created_at[:16].replace("T", " ")


class CardReport(ListScreen):
    """Cards of ``customer_ids`` (every active customer's when None or empty)."""

    NOUN = "cards"
    SETTINGS_KEY = "card_report"
    SEARCH_FIELDS = cards.SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Search any column: name, brand, last 4, expiry, status"
    TABLE_ACTIONS_OFF = frozenset({"menu"})  # Enter shows the whole row; there is no row menu

    BINDINGS = bindings("CardReport")

    def __init__(self, customer_ids: list[int] | None = None) -> None:
        super().__init__()
        self.customer_ids: tuple[int, ...] = tuple(int(i) for i in customer_ids or ())

    # -- ListScreen hooks
    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        source = QuerySource(WindowQuery(db.conn, cards.card_report_spec()), DEFAULT_COLUMNS)
        source.set_filter(self.base_filter())
        return source

    def base_filter(self) -> Filter:
        return Filter().with_extra("ids", self.customer_ids)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(id="status-counts", markup=False)

    def on_mount(self) -> None:
        self.title = "Credit Card Report"
        super().on_mount()
        self.filter_applied()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # ctrl+s saves the report here, not a view; the settings are the Customer Centre's
        if action in ("save_view", "choose_view", "settings"):
            return False
        return super().check_action(action, parameters)

    def apply_user_settings(self) -> None:
        """The "search fields" setting names Customer Centre fields: every column stays here."""

    def fixed_values(self, fdef: FieldDef) -> list[str]:
        return list(STATUSES) if fdef.key == "expiration_status" else []

    def status_text(self) -> str:
        text = super().status_text()
        if self.customer_ids:
            text += f" · of {len(self.customer_ids):,} checked customer(s)"
        return text

    def describe_filter(self) -> str:
        assert self.source is not None
        status = self.source.filter.extra("status")
        words = [w for w in (super().describe_filter(),) if w]
        if status:
            words.insert(0, f"status is {status}")
        return " and ".join(words)

    def row_title(self, values: tuple[str, ...]) -> str:
        assert self.source is not None
        keys = self.source.visible_keys
        return values[keys.index("customer_name")] if "customer_name" in keys else values[0]

    # -- counts per expiration status, read by the list's details worker
    def filter_details(self, conn: sqlite3.Connection, flt: Filter) -> object:
        spec = cards.card_report_spec()
        where, args = where_sql(spec, flt.with_extra("status", None), postgres=is_postgres(conn))
        status_sql = cards.FIELDS["expiration_status"].sql
        found = conn.execute(
            f"SELECT {status_sql}, count(*) FROM {spec.from_sql} WHERE {where} GROUP BY 1", args
        ).fetchall()
        return flt.extra("status"), dict(found)

    def show_filter_details(self, details: object) -> None:
        current, counts = cast("tuple[str | None, dict[str, int]]", details)
        self.show_status_counts(STATUSES, current, counts)

    # -- actions
    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss()

    def action_status(self, index: int) -> None:
        status = STATUSES[index - 1] if index else None
        self.apply_filter(self.current_filter().with_extra("status", status))

    @on(VirtualTable.RowChosen)
    def _chosen(self) -> None:
        self.action_show_row()

    def action_save_report(self) -> None:
        assert self.source is not None
        count = self.source.count()
        if not count:
            self.notify("Nothing to save: no cards match the filter", severity="warning")
            return
        if count > MAX_SAVED_ROWS:
            self.notify(f"{count:,} cards match; a saved report keeps at most "
                        f"{MAX_SAVED_ROWS:,}. Narrow the search or the status first.",
                        severity="error", timeout=8)  # fmt: skip
            return

        def done(name: str | None) -> None:
            if name is not None:
                self.save_snapshot(name)

        default = f"Credit cards {dt.date.today().isoformat()}"
        self.app.push_screen(SaveReportDialog(default, count), done)

    def snapshot_settings(self) -> dict[str, Any]:
        """What the saved report was: filter, columns, sort and the checked customers."""
        assert self.source is not None
        flt = self.source.filter
        return {
            "filter": {**asdict(flt), "extras": dict(flt.extras)},
            "description": self.describe_filter(),
            "columns": self.source.visible_keys,
            "titles": [c.title for c in self.source.visible_columns],
            "sort": list(self.source.sort) if self.source.sort else None,
            "customer_ids": list(self.customer_ids),
        }

    def snapshot_rows(self) -> list[list[str]]:
        """Every row of the current filter as displayed, read window by window."""
        assert self.source is not None
        total = min(self.source.count(), MAX_SAVED_ROWS)
        rows: list[list[str]] = []
        for offset in range(0, total, _BATCH):
            rows.extend(list(r.values) for r in self.source.window(offset, _BATCH))
        return rows[:MAX_SAVED_ROWS]

    def save_snapshot(self, name: str) -> int | None:
        settings = self.snapshot_settings()
        rows = self.snapshot_rows()
        settings["row_count"] = len(rows)
        db = xoro_app(self).db
        try:
            report_id = cards.save_report(db, name, settings, rows)
        except DataError as exc:
            self.notify(plain(str(exc)), severity="error", markup=False, timeout=8)
            return None
        text = f"Saved report {name!r} with {len(rows):,} rows; o opens saved reports"
        self.notify(plain(text), markup=False, timeout=4)
        return report_id

    def action_open_report(self) -> None:
        db = xoro_app(self).db
        reports = cards.list_reports(db)
        if not reports:
            self.notify("No saved reports yet: ctrl+s saves this one", timeout=3)
            return

        def done(report_id: int | None) -> None:
            if report_id is None:
                return
            try:
                report = cards.load_report(db, report_id)
            except DataError as exc:
                self.notify(plain(str(exc)), severity="error", markup=False)
                return
            self.app.push_screen(SavedCardReport(report))

        self.app.push_screen(ChooseReport(reports), done)


class SaveReportDialog(UnsavedGuard, Dialog[str | None]):
    """The name of a report snapshot; Enter saves, Escape or ctrl+g cancel."""

    DEFAULT_CSS = """
    SaveReportDialog > Vertical { width: 90%; max-width: 100; max-height: 80%; }
    SaveReportDialog #error { color: $error; }
    """
    BINDINGS = bindings("SaveReportDialog")

    def __init__(self, current: str, row_count: int) -> None:
        super().__init__()
        self.current = current
        self.row_count = row_count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Save this credit card report ({self.row_count:,} rows) as")
            yield Input(value=self.current, placeholder="report name", id="name")
            yield Label("", id="error")
            yield InlineConfirm(id="confirm")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()
        self.mark_unchanged()

    @staticmethod
    def _problem(name: str) -> str:
        if not name or len(name) > 80 or plain(name) != name:
            return "A name of 1 to 80 characters, no controls"
        return ""

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.action_save()

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        """The error goes as soon as the name is valid."""
        if not self._problem(event.value.strip()):
            self.query_one("#error", Label).update("")

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        problem = self._problem(name)
        if problem:
            self.query_one("#error", Label).update(problem)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.ask_before_closing()


class ChooseReport(Dialog[int | None]):
    """Saved reports, newest first; Enter opens one, Escape or ctrl+g cancel."""

    DEFAULT_CSS = """
    ChooseReport > Vertical { width: 90%; max-width: 100; max-height: 80%; }
    """
    BINDINGS = bindings("ChooseReport")

    def __init__(self, reports: list[cards.SavedReport]) -> None:
        super().__init__()
        self.reports = reports

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Saved credit card reports: name, date, user, rows")
            yield OptionList(*(self._option(r) for r in self.reports), id="reports")

    @staticmethod
    def _option(report: cards.SavedReport) -> Option:
        rows = report.settings.get("row_count")
        count = f"{rows:,}" if isinstance(rows, int) else "?"
        name = plain(report.name)
        name = name if len(name) <= 30 else name[:29] + "…"
        line = f"{name:<30} {_when(report.created_at)}  {plain(report.user)[:12]:<12} {count:>7}"
        return Option(safe_text(line), id=str(report.id))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SavedCardReport(Screen[None]):
    """One saved snapshot, read-only: its rows as they were shown when saved."""

    BINDINGS = bindings("SavedCardReport")

    def __init__(self, report: cards.SavedReport) -> None:
        super().__init__()
        self.report = report
        keys = list(report.settings.get("columns") or [])
        titles = list(report.settings.get("titles") or [])
        n = max([len(keys), *(len(r) for r in report.rows)])
        columns: list[Column] = []
        for i in range(n):
            key = keys[i] if i < len(keys) else f"col{i}"
            fdef = cards.FIELDS.get(key)
            title = titles[i] if i < len(titles) else (fdef.title if fdef else key)
            columns.append(Column(key, title, fdef.width if fdef else 14))
        rows = [TableRow(i, tuple([*row, *[""] * n][:n])) for i, row in enumerate(report.rows)]
        self.source = ListSource(columns, rows)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(id="filter-line", markup=False)
        low_bandwidth = bool(getattr(self.app, "low_bandwidth", False))
        table = VirtualTable(self.source, id="table", ascii=low_bandwidth)
        table.disabled_actions = frozenset({"menu", "choose"})  # read-only rows: no menu
        yield table
        yield Static(id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        report = self.report
        self.title = plain(f"Saved report {report.name} of {_when(report.created_at)}")
        words = str(report.settings.get("description") or "")
        line = self.query_one("#filter-line", Static)
        line.display = bool(words)
        line.update(safe_text(f"Filter when saved: {words}"))
        self.query_one("#status", Static).update(
            safe_text(f"{report.row_count:,} cards · saved by {report.user} · read-only")
        )
        self.query_one(VirtualTable).focus()

    def action_back(self) -> None:
        self.dismiss()
