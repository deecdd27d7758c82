"""What both Centres share: quick search, the filter line, the virtual table, the status line,
the row menu and the yes/no prompt. Counting runs in a worker on its own connection, and
a newer keystroke interrupts an older query."""

from __future__ import annotations

from typing import ClassVar

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from xoro_tui.data.query import Filter, WindowQuery
from xoro_tui.screens.query_source import QuerySource
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.search_bar import SearchBar, SearchInput
from xoro_tui.widgets.virtual_table import VirtualTable


class ListScreen(Screen[None]):
    """Base of a Centre; subclasses name their list and fill the row menu."""

    NOUN: ClassVar[str] = "rows"
    SEARCH_FIELDS: ClassVar[dict[str, str]] = {"any": "Any Field"}
    SEARCH_PLACEHOLDER: ClassVar[str] = "Search"

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="list.search"),
        Binding("x", "clear_filter", "Clear filter", id="list.clear_filter"),
        Binding("r,f5", "refresh", "Refresh", id="list.refresh"),
        Binding("v", "show_row", "View row", id="list.view_row"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.source: QuerySource | None = None
        self._reader: sqlite_utils.Database | None = None
        self._total: int | None = None

    # -- to be provided by each Centre
    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        raise NotImplementedError

    def make_count_query(self, db: sqlite_utils.Database) -> WindowQuery:
        raise NotImplementedError

    def base_filter(self) -> Filter:
        """The filter with no user input (the Centre's fixed extras)."""
        return Filter()

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield SearchBar(self.SEARCH_FIELDS, placeholder=self.SEARCH_PLACEHOLDER, id="search")
        yield Static(id="filter-line", markup=False)
        self.source = self.make_source(self.app.db)  # type: ignore[attr-defined]
        yield VirtualTable(self.source, id="table", ascii=self._ascii())
        yield Static(id="status", markup=False)
        yield RowMenu(id="row-menu")
        yield ConfirmPrompt(id="prompt")
        yield Footer()

    def _ascii(self) -> bool:
        return bool(getattr(self.app, "low_bandwidth", False))

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#table", VirtualTable)

    @property
    def menu(self) -> RowMenu:
        return self.query_one("#row-menu", RowMenu)

    @property
    def prompt(self) -> ConfirmPrompt:
        return self.query_one("#prompt", ConfirmPrompt)

    def on_mount(self) -> None:
        self.table.attach_overlay(self.menu, self.prompt)
        self.table.focus()
        self.update_status()

    def on_screen_resume(self) -> None:
        self.table.focus()

    # -- status and filter lines
    def total(self) -> int:
        if self._total is None:
            assert self.source is not None
            self._total = self.source.query.count(self.base_filter())
        return self._total

    def status_text(self) -> str:
        assert self.source is not None
        shown = self.source.count()
        text = f"{shown:,} of {self.total():,} {self.NOUN}"
        checked = self.table.selection.count(shown)
        if checked:
            text += f" · {checked:,} checked"
        return text

    def update_status(self) -> None:
        status = self.query_one("#status", Static)
        text = self.status_text()
        if str(status.render()) != text:
            status.update(Text(text))

    def describe_filter(self) -> str:
        assert self.source is not None
        flt = self.source.filter
        parts: list[str] = []
        if flt.search.strip():
            field = self.SEARCH_FIELDS.get(flt.search_field, "Any Field")
            parts.append(f'{field} contains "{flt.search.strip()}"')
        return " and ".join(parts)

    def update_filter_line(self) -> None:
        words = self.describe_filter()
        line = self.query_one("#filter-line", Static)
        line.display = bool(words)
        line.update(safe_text(f"Filter: {words}  (x clears)" if words else ""))

    # -- searching
    def current_filter(self) -> Filter:
        """The filter the inputs on screen describe."""
        assert self.source is not None
        bar = self.query_one(SearchBar)
        base = self.source.filter
        return Filter(
            search=bar.text,
            search_field=bar.field,
            conditions=base.conditions,
            combine=base.combine,
            extras=base.extras,
        )

    @on(Input.Changed, "#search-input")
    def _search_typed(self) -> None:
        self.apply_filter(self.current_filter())

    @on(Select.Changed, "#search-field")
    def _search_field(self) -> None:
        if self.query_one(SearchBar).text.strip():
            self.apply_filter(self.current_filter())

    @on(SearchInput.Done)
    def _search_done(self) -> None:
        self.table.focus()

    def apply_filter(self, flt: Filter) -> None:
        """Count in a worker; a newer call interrupts the older query."""
        if self._reader is not None:
            self._reader.conn.interrupt()
        self._count_worker(flt)

    @work(thread=True, exclusive=True, group="count")
    def _count_worker(self, flt: Filter) -> None:
        import sqlite3

        worker = get_current_worker()
        if self._reader is None:
            self._reader = self.app.open_reader()  # type: ignore[attr-defined]
        try:
            count = self.make_count_query(self._reader).count(flt)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                return
            raise
        if not worker.is_cancelled:
            self.app.call_from_thread(self._filter_counted, flt, count)

    def _filter_counted(self, flt: Filter, count: int) -> None:
        assert self.source is not None
        self.source.set_filter(flt, count)
        self.table.reload(keep_key=True, count=count)
        self.update_filter_line()
        self.update_status()
        self.filter_applied()

    def filter_applied(self) -> None:
        """Hook for Centres that show more about the filter (counts per status, totals)."""

    # -- actions
    def action_focus_search(self) -> None:
        self.query_one(SearchInput).focus()

    def action_clear_filter(self) -> None:
        bar = self.query_one(SearchBar)
        with bar.prevent(Input.Changed):
            bar.text = ""
        self.apply_filter(self.base_filter())

    def action_refresh(self) -> None:
        """Re-read the data, keeping the cursor on the same row where it still exists."""
        assert self.source is not None
        self._total = None
        self.source.invalidate()
        self.table.reload(keep_key=True)
        self.update_status()
        self.filter_applied()
        self.notify("Refreshed", timeout=2)

    def action_show_row(self) -> None:
        """The full values of the current row, in the prompt layer (no repaint per move)."""
        assert self.source is not None
        row = self.table.current_row()
        if row is None:
            return
        lines = [
            f"{column.title}: {value}"
            for column, value in zip(self.source.visible_columns, row.values, strict=False)
        ]
        self.prompt.ask("\n".join(lines), token="view-row", default_yes=True)

    @on(VirtualTable.ChecksChanged)
    def _checks(self) -> None:
        self.update_status()
