"""What both Centres share: quick search, the filter line, the virtual table, the status line,
the row menu and the yes/no prompt. Counting runs in a worker on its own connection, and
a newer keystroke interrupts an older query."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Select, Static
from textual.worker import Worker, get_current_worker

from xoro_tui.data.customers import lookups
from xoro_tui.data.search.list_query import (
    Condition,
    FieldDef,
    Filter,
    WindowQuery,
    describe_condition,
)
from xoro_tui.data.store.audit import written_elsewhere
from xoro_tui.data.store.connection import change_mark, data_version
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.ui_settings import BUILTIN_VIEW, SettingsRepository
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.query_source import QuerySource
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.info_panel import InfoPanel
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.line_prompt import LinePrompt
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.search_bar import SearchBar, SearchInput
from xoro_tui.widgets.table_source import TableRow
from xoro_tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from xoro_tui.data.models.views import View

POLL_SECONDS = 3.0
#: "as many rows as there may be": where the rows of a filter not yet counted are read from
ROWS_UNKNOWN = 1 << 62


def pack_lines(parts: Sequence[str], width: int, gap: str = "  ") -> str:
    """``parts`` joined by ``gap``, broken into lines no wider than ``width`` between parts
    (a part wider than the line has a line of its own)."""
    lines: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{gap}{part}" if current else part
        if current and len(candidate) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    lines.append(current)
    return "\n".join(lines)


T = TypeVar("T")


#: how long a read keeps trying past interrupts meant for older reads
READ_RETRY_SECONDS = 10.0


def read_past_interrupts(
    worker: Worker[Any], read: Callable[[], T], lock: threading.Lock | None = None
) -> T | None:
    """``read()`` under ``lock``, again while it is interrupted and ``worker`` is still
    wanted; None when the worker was cancelled (a newer filter took over).

    Workers of one group share a reader connection: ``lock`` keeps their statements from
    overlapping, so the interrupt meant for an older query is over by the time the newer
    one starts. SQLite still interrupts a statement started while an interrupted one has
    not yet stopped; such a read is tried again after a short pause (spinning at once
    would only meet the same interrupt), and the newest filter is never dropped.
    """
    pause = 0.001
    deadline = time.monotonic() + READ_RETRY_SECONDS
    while True:
        try:
            with lock if lock is not None else nullcontext():
                return read()
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            if worker.is_cancelled or time.monotonic() > deadline:
                return None
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


class ListScreen(Screen[None]):
    """Base of a Centre; subclasses name their list and fill the row menu."""

    NOUN: ClassVar[str] = "rows"
    #: the name its settings and views are kept under
    SETTINGS_KEY: ClassVar[str] = "list"
    SEARCH_FIELDS: ClassVar[dict[str, str]] = {"any": "Any Field"}
    SEARCH_PLACEHOLDER: ClassVar[str] = "Search"
    #: the table's actions this list gives no meaning ("menu", "choose"): not shown, not run
    TABLE_ACTIONS_OFF: ClassVar[frozenset[str]] = frozenset()
    #: key columns: kept in place when the table scrolls right (``k`` in the column picker)
    KEY_COLUMNS: ClassVar[tuple[str, ...]] = ()

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="list.search"),
        Binding("x", "clear_filter", "Clear filter", id="list.clear_filter"),
        Binding("r,f5", "refresh", "Refresh", id="list.refresh"),
        Binding("v", "show_row", "View row", id="list.view_row"),
        Binding("c", "columns", "Columns", id="list.columns"),
        Binding("ctrl+f", "advanced_search", "Advanced", id="list.advanced"),
        Binding("ctrl+s", "save_view", "Save view", id="list.save_view"),
        Binding("V", "choose_view", "Views", id="list.views", show=False),
        Binding("S", "settings", "Settings", id="list.settings", show=False),
        Binding("d", "download", "Download", id="list.download", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.source: QuerySource | None = None
        self._reader: sqlite_utils.Database | None = None
        self._details_reader: sqlite_utils.Database | None = None
        #: one statement at a time on each shared reader (see read_past_interrupts)
        self._reader_lock = threading.Lock()
        self._details_lock = threading.Lock()
        self._total: int | None = None
        #: the main connection's data version and the newest audit row when last current
        self._data_version: tuple[int, int] | None = None
        self.changed_elsewhere = False
        #: the filter last asked for while its count runs (the source has the one shown)
        self._wanted: Filter | None = None
        #: what each packed line (see show_packed) shows, packed again at a new width
        self._packed: dict[str, list[str]] = {}
        self._gaps: dict[str, str] = {}
        #: the newest filter asked for: a count of an older one that comes back later is
        #: not shown over it
        self._latest: Filter | None = None
        #: the list as the Centre first shows it: the "Default" view
        self._builtin: View | None = None

    # -- to be provided by each Centre
    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        raise NotImplementedError

    def base_filter(self) -> Filter:
        """The filter with no user input (the Centre's fixed extras)."""
        return Filter()

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield SearchBar(self.SEARCH_FIELDS, placeholder=self.SEARCH_PLACEHOLDER, id="search")
        yield Static(id="filter-line", markup=False)
        self.source = self.make_source(xoro_app(self).db)
        self.source.set_frozen(self.KEY_COLUMNS)
        table = VirtualTable(self.source, id="table", ascii=self._ascii())
        table.disabled_actions = self.TABLE_ACTIONS_OFF
        yield table
        yield Static(id="status", markup=False)
        yield RowMenu(id="row-menu")
        yield ConfirmPrompt(id="prompt")
        yield ColumnPicker(id="column-picker")
        yield InfoPanel(id="info-panel")
        yield LinePrompt(id="line-prompt")
        yield KeyBar()

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

    @property
    def settings(self) -> SettingsRepository:
        return SettingsRepository(xoro_app(self).db)

    def on_mount(self) -> None:
        self.table.attach_overlay(
            self.menu,
            self.prompt,
            self.query_one(ColumnPicker),
            self.query_one(InfoPanel),
            self.query_one(LinePrompt),
        )
        self.apply_user_settings()
        self._builtin = self.current_view()
        view = self.opening_view()
        if view is not None:
            self.apply_view(view)
        self.table.focus()
        self.update_status()
        self.update_filter_line()
        self._data_version = self._change_marks()
        self.set_interval(POLL_SECONDS, self._poll_changes)
        ready = getattr(self.app, "first_screen_ready", None)
        if callable(ready):
            self.call_after_refresh(ready)

    def _change_marks(self) -> tuple[int, int]:
        db = xoro_app(self).db
        return data_version(db), change_mark(db)

    def _poll_changes(self) -> None:
        """Notice another session's change; repaint nothing unless something changed.

        Another connection committed (the data version moved) and another process wrote
        an audit row: the search index's background merging commits too but changes nothing
        a user sees, and this app's own actions are not news."""
        db = xoro_app(self).db
        if self._data_version is None or data_version(db) == self._data_version[0]:
            return
        since = self._data_version[1]
        self._data_version = self._change_marks()
        if not self.changed_elsewhere and written_elsewhere(db.conn, since):
            self.changed_elsewhere = True
            self.update_status()

    def mark_current(self) -> None:
        """Everything is being re-read: commits seen so far (ours from a worker's own
        connection too) are no longer news."""
        self._data_version = self._change_marks()
        self.changed_elsewhere = False

    def apply_user_settings(self) -> None:
        offered = self.settings.get("app", "search_fields")
        if offered:
            fields = {k: v for k, v in self.SEARCH_FIELDS.items() if k in offered or k == "any"}
            self.query_one(SearchBar).set_fields(fields)

    def on_resize(self) -> None:
        for selector, parts in list(self._packed.items()):
            self.show_packed(selector, parts, self._gaps.get(selector, "  "))

    def on_screen_resume(self) -> None:
        self.table.focus()

    # -- status and filter lines
    def total(self) -> int:
        """Every row of the list, unfiltered: the "M" of "N of M"."""
        if self._total is None:
            assert self.source is not None
            base = self.base_filter()
            # at start-up the table has just counted exactly this; a million-row count
            # costs a tenth of a second, so it is not done twice before the first paint
            same = self.source.filter == base
            self._total = self.source.count() if same else self.source.query.count(base)
        return self._total

    def status_text(self) -> str:
        assert self.source is not None
        shown = self.source.count()
        text = f"{shown:,} of {self.total():,} {self.NOUN}"
        if self.source.counting:
            text = f"at least {text} (counting)"
        checked = self.table.selection.count(shown)
        if checked:
            text += f" · {checked:,} checked"
        if self.changed_elsewhere:
            text += " · changed by another user: r refreshes"
        return text

    def update_status(self) -> None:
        parts = self.status_text().split(" · ")
        if self._packed.get("#status") != parts:
            self.show_packed("#status", parts, gap=" · ")

    def describe_filter(self) -> str:
        assert self.source is not None
        flt = self.source.filter
        parts: list[str] = []
        if flt.search.strip():
            field = self.SEARCH_FIELDS.get(flt.search_field, "Any Field")
            parts.append(f'{field} contains "{flt.search.strip()}"')
        if flt.conditions:
            joiner = " or " if flt.combine == "or" else " and "
            words = joiner.join(self.describe_condition(c) for c in flt.conditions)
            parts.append(f"({words})" if len(flt.conditions) > 1 and parts else words)
        return " and ".join(parts)

    def describe_condition(self, cond: Condition) -> str:
        assert self.source is not None
        return describe_condition(self.source.fields, cond)

    def update_filter_line(self) -> None:
        words = self.describe_filter()
        line = self.query_one("#filter-line", Static)
        if line.display != bool(words):
            line.display = bool(words)  # the table grows or shrinks: a layout follows
        line.update(safe_text(f"Filter: {words}  (x clears)" if words else ""), layout=False)

    # -- searching
    def current_filter(self) -> Filter:
        """The filter the inputs on screen describe."""
        assert self.source is not None
        bar = self.query_one(SearchBar)
        # conditions just asked for (Advanced Search, a status key) and still being counted
        base = self._wanted if self._wanted is not None else self.source.filter
        return Filter(
            search=bar.text,
            search_field=bar.field,
            conditions=base.conditions,
            combine=base.combine,
            extras=base.extras,
        )

    def keys_wait(self) -> bool:
        """Whether a key typed now would act on rows not yet shown (see key_order).

        A filter just asked for has its rows on the way: a key for the table (``m``, space,
        Enter) waits for them, as it would have if typed after they appeared. Keys typed
        into the search box do not wait, and a count still running holds nothing back."""
        if self._wanted is None or isinstance(self.app.focused, Input):
            return False
        return any(
            worker.node is self and worker.group == "count" and not worker.is_finished
            for worker in self.workers
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
        counting = self.workers.cancel_group(self, "count")
        if self._reader is not None and counting:
            # cancelled first: the older count stops at the interrupt rather than reading
            # its filter again
            self._reader.conn.interrupt()
        self.keep_checks()
        self._wanted = self._latest = flt
        self._count_worker(flt)

    @work(thread=True, exclusive=True, group="count")
    def _count_worker(self, flt: Filter) -> None:
        """The rows the table will show and the count, read on a connection of its own: the
        UI thread only paints them.

        A search is counted first (its index counts it in a few ms, and the count chooses
        how its rows are read). Conditions may need every row read to be counted, while
        their first rows seldom do: those rows are shown first, with the count to follow.
        """
        worker = get_current_worker()
        read_past_interrupts(worker, lambda: self._count_once(flt, worker), self._reader_lock)

    def _count_once(self, flt: Filter, worker: Worker[None]) -> None:
        if self._reader is None:
            self._reader = xoro_app(self).open_reader()
        assert self.source is not None
        post = self.app.call_from_thread
        query = WindowQuery(self._reader.conn, self.source.query.spec)
        layout = self.source.layout()
        if flt.conditions or flt.extras:
            offset, limit = self.table.window_after_reload(ROWS_UNKNOWN)
            rows = self.source.read_window(query, flt, None, offset, limit)
            if rows or not offset:
                seen, exact = offset + len(rows), len(rows) < limit
                if worker.is_cancelled:
                    return
                post(self._filter_counted, flt, seen, (layout, offset, rows), not exact)
                if not exact:
                    count = query.count(flt)
                    if not worker.is_cancelled:
                        post(self._count_known, flt, count)
                return
        count = query.count(flt)
        offset, limit = self.table.window_after_reload(count)
        rows = self.source.read_window(query, flt, count, offset, limit)
        if not worker.is_cancelled:
            post(self._filter_counted, flt, count, (layout, offset, rows))

    def _filter_counted(
        self,
        flt: Filter,
        count: int,
        ahead: tuple[object, int, list[TableRow]] | None = None,
        counting: bool = False,
    ) -> None:
        assert self.source is not None
        if not self.is_running:  # the count came back after the screen closed (app exit)
            return
        if self._latest is not None and flt is not self._latest:
            return  # an older filter's count, overtaken by a newer one already shown
        if flt is self._wanted:
            self._wanted = None
        self.source.set_filter(flt, count, counting=counting)
        window = None
        if ahead is not None and ahead[0] == self.source.layout():
            window = ahead[1], ahead[2]
        self.table.reload(keep_key=False, count=count, window=window)
        self.update_filter_line()
        self.update_status()
        self.filter_applied()

    def _count_known(self, flt: Filter, count: int) -> None:
        assert self.source is not None
        if not self.is_running or self.source.filter is not flt or not self.source.counting:
            return  # a newer filter, a write or a refresh came in between
        self.source.set_count(count)
        self.table.set_row_count(count)
        self.update_status()

    # -- more about the filter (counts per status, totals), read off the UI thread
    def filter_details(self, conn: sqlite3.Connection, flt: Filter) -> object:
        """Hook: read what a Centre shows about its filter besides the rows; runs in a
        worker on a connection of its own, so it may take a full scan."""
        return None

    def show_filter_details(self, details: object) -> None:
        """Hook: show what :meth:`filter_details` read."""

    def show_status_counts(
        self, statuses: Sequence[str], current: str | None, counts: Mapping[str, int]
    ) -> None:
        """The status keys and their counts (``0 All 457  1 Draft 13 …``), the chosen one
        marked ``▸``, on the line ``#status-counts``."""
        parts = [f"{'▸' if not current else ''}0 All {sum(counts.values()):,}"]
        for i, status in enumerate(statuses, start=1):
            mark = "▸" if status == current else ""
            parts.append(f"{mark}{i} {status} {counts.get(status, 0):,}")
        self.show_packed("#status-counts", parts)

    def show_packed(self, selector: str, parts: Sequence[str], gap: str = "  ") -> None:
        """Parts side by side, on as many lines as they need: none is cut at the edge, and
        none is split across lines. The line is laid out again only when it grows or
        shrinks by a line."""
        self._packed[selector] = list(parts)
        self._gaps[selector] = gap
        line = self.query_one(selector, Static)
        width = line.size.width or self.app.size.width
        text = pack_lines(parts, width, gap)
        before = str(line.render()).count("\n")
        line.update(Text(text), layout=text.count("\n") != before)

    def filter_applied(self) -> None:
        """The filter changed or the data did: read its details again, in a worker."""
        if type(self).filter_details is ListScreen.filter_details:
            return
        assert self.source is not None
        stopped = self.workers.cancel_group(self, "details")
        if self._details_reader is not None and stopped:
            self._details_reader.conn.interrupt()
        self._details_worker(self.source.filter)

    @work(thread=True, exclusive=True, group="details")
    def _details_worker(self, flt: Filter) -> None:
        worker = get_current_worker()
        if self._details_reader is None:
            self._details_reader = xoro_app(self).open_reader()
        reader = self._details_reader
        try:
            details = read_past_interrupts(
                worker, lambda: self.filter_details(reader.conn, flt), self._details_lock
            )
        except (sqlite3.OperationalError, sqlite3.ProgrammingError) as exc:
            if "closed" in str(exc):
                return  # the screen went away
            raise
        if details is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._details_read, flt, details)

    def _details_read(self, flt: Filter, details: object) -> None:
        if self.is_running and self.source is not None and self.source.filter == flt:
            self.show_filter_details(details)

    def on_unmount(self) -> None:
        for reader in (self._reader, self._details_reader):
            if reader is not None:
                reader.conn.interrupt()

    # -- actions
    def action_focus_search(self) -> None:
        self.query_one(SearchInput).focus()

    def action_clear_filter(self) -> None:
        bar = self.query_one(SearchBar)
        with bar.prevent(Input.Changed):
            bar.text = ""
        self.apply_filter(self.base_filter())

    # -- columns, advanced search, views, settings
    def action_columns(self) -> None:
        assert self.source is not None
        self.query_one(ColumnPicker).open(
            self.source.all_columns, self.source.visible_keys, self.source.frozen_keys
        )

    @on(ColumnPicker.Changed)
    def _columns_changed(self, event: ColumnPicker.Changed) -> None:
        assert self.source is not None
        self.set_columns(event.visible)
        if event.frozen is not None:
            self.set_key_columns(event.frozen)
        self.table.reload(keep_key=True, count=self.source.count(), filter_changed=False)

    def set_columns(self, keys: list[str]) -> None:
        """Show these columns; the column cursor stays on its column, or within the new
        columns when its column is hidden (``s`` sorts by the column under it)."""
        assert self.source is not None
        table = self.table
        before = self.source.visible_keys
        under = before[table.cursor_column] if table.cursor_column < len(before) else None
        self.source.set_visible(keys)
        after = self.source.visible_keys
        table.set_column(after.index(under) if under in after else table.cursor_column)

    def set_key_columns(self, keys: list[str]) -> None:
        """Make these the key columns (they move to the front); the column cursor stays
        on its column."""
        assert self.source is not None
        table = self.table
        before = self.source.visible_keys
        under = before[table.cursor_column] if table.cursor_column < len(before) else None
        self.source.set_frozen(keys)
        after = self.source.visible_keys
        table.set_column(after.index(under) if under in after else table.cursor_column)

    def lookup_values(self, fdef: FieldDef) -> list[str]:
        conn = xoro_app(self).db.conn
        if fdef.lookup and fdef.lookup in lookups.LOOKUP_TABLES:
            return lookups.names(conn, fdef.lookup)
        return self.fixed_values(fdef)

    def fixed_values(self, fdef: FieldDef) -> list[str]:
        """Value lists that are not lookup tables (statuses, payment methods)."""
        return []

    def action_advanced_search(self) -> None:
        from xoro_tui.screens.lists.advanced_search import AdvancedSearch, SearchResult

        assert self.source is not None
        flt = self.current_filter()

        def done(result: SearchResult | None) -> None:
            if result is None:
                return
            current = self.current_filter()
            self.apply_filter(
                Filter(
                    current.search,
                    current.search_field,
                    result.conditions,
                    "or" if result.combine == "or" else "and",
                    current.extras,
                )
            )

        fields = [
            f for f in self.source.fields.values() if f.sortable or f.kind != "text" or f.each
        ]
        self.app.push_screen(
            AdvancedSearch(fields, self.lookup_values, flt.conditions, flt.combine), done
        )

    def current_view(self) -> View:
        from xoro_tui.data.models.views import ConditionModel, View

        assert self.source is not None
        flt = self.current_filter()
        return View(
            columns=self.source.visible_keys,
            sort=self.source.sort,
            then_by=self.source.then_by,
            frozen=self.source.frozen_keys,
            widths={k: w for k, w in self.source.widths.items() if k in self.source.fields},
            search_field=flt.search_field,
            search=flt.search,
            conditions=[
                ConditionModel(field=c.field, op=c.op, value=c.value, value2=c.value2)
                for c in flt.conditions
            ],
            combine=flt.combine,
            extras=dict(flt.extras),
        )

    def apply_view(self, view: View, *, now: bool = True) -> None:
        """Show a saved view: at once (the first screen), or with ``now=False`` as any new
        filter is, its rows and count read in the worker."""
        assert self.source is not None
        self.source.set_frozen(())  # the view's columns in its order, then its key columns
        self.set_columns(view.columns)
        self.set_key_columns(list(self.KEY_COLUMNS if view.frozen is None else view.frozen))
        self.source.widths = {k: w for k, w in view.widths.items() if k in self.source.fields}
        if view.sort:
            self.source.set_sort(view.sort[0], view.sort[1])
        elif self.source.sort is not None:
            # a view saved unsorted: the list's own order, not the previous view's sort
            self.source.set_sort(self.source.query.spec.default_sort, False)
        self.source.set_then_by(*(view.then_by or (None, False)))
        bar = self.query_one(SearchBar)
        with bar.prevent(Input.Changed, Select.Changed):
            bar.field = view.search_field
            bar.text = view.search
        flt = view.to_filter(self.source.fields)
        if not now:
            self.apply_filter(flt)
            return
        self.keep_checks()
        self._wanted = None
        self._latest = flt
        self.workers.cancel_group(self, "count")  # a count still running is for another filter
        self.source.set_filter(flt)
        self.table.reload(keep_key=False)

    def action_save_view(self) -> None:
        from xoro_tui.screens.lists.views_dialog import SaveViewDialog

        repo = self.settings
        active = repo.get(self.SETTINGS_KEY, "active_view") or ""

        def done(name: str | None) -> None:
            if name is None:
                return
            try:
                repo.save_view(self.SETTINGS_KEY, name, self.current_view())
            except DataError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            opens = repo.default_view(self.SETTINGS_KEY) in (None, name)
            tail = "; it opens next time" if opens else ""
            self.notify(f"Saved view {name!r}{tail}", markup=False, timeout=3)

        self.app.push_screen(SaveViewDialog(active, repo.views(self.SETTINGS_KEY)), done)

    def action_choose_view(self) -> None:
        from xoro_tui.screens.lists.views_dialog import ChooseView

        repo = self.settings
        names = repo.views(self.SETTINGS_KEY)
        if not names:
            self.notify("No saved views yet: ctrl+s saves the current layout", timeout=3)
            return

        def done(name: str | None) -> None:
            if name is None:
                return
            if name == BUILTIN_VIEW:
                assert self._builtin is not None
                self.apply_view(self._builtin, now=False)
                repo.put(self.SETTINGS_KEY, "active_view", "")
            else:
                try:
                    view = repo.load_view(self.SETTINGS_KEY, name)
                except DataError as exc:
                    self.notify(str(exc), severity="error", markup=False)
                    return
                self.apply_view(view, now=False)
                repo.put(self.SETTINGS_KEY, "active_view", name)
            self.update_filter_line()
            self.update_status()

        active = repo.get(self.SETTINGS_KEY, "active_view")
        self.app.push_screen(ChooseView(names, active, repo, self.SETTINGS_KEY), done)

    def opening_view(self) -> View | None:
        """The view the list opens with (None: its own layout)."""
        return self.settings.opening_view(self.SETTINGS_KEY)

    def action_settings(self) -> None:
        from xoro_tui.screens.dialogs.settings_screen import SettingsScreen

        repo = self.settings
        keys = (
            "search_fields",
            "date_format",
            "csv_delimiter",
            "page_size",
            "low_bandwidth",
            "osc52",
        )
        values = {k: v for k in keys if (v := repo.get("app", k)) is not None}

        def done(result: dict | None) -> None:
            if result is None:
                return
            for key, value in result.items():
                repo.put("app", key, value)
            self.apply_user_settings()
            self.notify("Settings saved", timeout=2)

        self.app.push_screen(SettingsScreen(self.SEARCH_FIELDS, values), done)

    def action_refresh(self) -> None:
        """Re-read the data, keeping the cursor on the same row where it still exists."""
        assert self.source is not None
        self._total = None
        self.mark_current()
        self.source.invalidate()
        self.table.reload(keep_key=True, filter_changed=False)
        self.update_status()
        self.filter_applied()

    def action_show_row(self) -> None:
        """The full values of the current row in a panel (nothing repaints per cursor move)."""
        assert self.source is not None
        row = self.table.current_row()
        if row is None:
            return
        lines = [
            (column.title, value)
            for column, value in zip(self.source.visible_columns, row.values, strict=False)
        ]
        self.query_one(InfoPanel).open(self.row_title(row.values), lines)

    def row_title(self, values: tuple[str, ...]) -> str:
        return values[0] if values else ""

    def action_download(self) -> None:
        """The Download dialog for what is on screen: its filter, columns and checks."""
        from xoro_tui.screens.dialogs.print_dialog import PrintDialog
        from xoro_tui.screens.lists.download_dialog import DownloadDialog, DownloadRequest

        assert self.source is not None
        checked = sorted(self.checked_ids())  # "every row of the filter" too, read in SQL
        request = DownloadRequest(
            centre=self.NOUN,
            spec=self.source.query.spec,
            filter=self.source.filter,
            sort=self.source.sort,
            columns=self.source.visible_keys,
            filter_text=self.describe_filter(),
            checked=checked,
            total=self.source.count(),
            delimiter=self.settings.get("app", "csv_delimiter", ",") or ",",
        )

        def done(path) -> None:  # noqa: ANN001 - Path | None
            if path is not None:
                self.app.push_screen(PrintDialog(path, "Exported"))

        self.app.push_screen(DownloadDialog(request), done)

    def checked_count(self) -> int:
        assert self.source is not None
        return self.table.selection.count(self.source.count())

    def checked_id_batches(self):  # noqa: ANN201 - Iterator[list[int]]
        """The checked rows as batches of keys; "all of the filter" is resolved in SQL."""
        assert self.source is not None
        selection = self.table.selection
        if not selection.is_all:
            keys = sorted(selection.explicit_keys)
            for start in range(0, len(keys), 10_000):
                yield keys[start : start + 10_000]
            return
        skip = selection.all_except or frozenset()
        flt, spec = self.source.filter, self.source.query.spec
        reader = xoro_app(self).open_reader()
        try:
            for batch in WindowQuery(reader.conn, spec).keys(flt):
                kept = [k for k in batch if k not in skip]
                if kept:
                    yield kept
        finally:
            reader.conn.close()

    def checked_ids(self, limit: int | None = None) -> list[int]:
        out: list[int] = []
        for batch in self.checked_id_batches():
            out.extend(batch)
            if limit is not None and len(out) > limit:
                break
        return out

    @on(VirtualTable.ChecksChanged)
    def _checks(self) -> None:
        self.update_status()

    def keep_checks(self) -> None:
        """Before the filter changes: rows checked with ``*`` (every row of the filter) are
        read in SQL and become checked rows like those checked with space, so they stay
        checked and counted through the new filter as those do."""
        selection = self.table.selection
        if not selection.is_all:
            return
        keys = self.checked_ids()
        selection.replace(keys)

    # -- copying a cell or a row
    @on(VirtualTable.CopyRequested)
    def _copy(self, event: VirtualTable.CopyRequested) -> None:
        """To the terminal's clipboard (OSC 52) when that is on in Settings, and to a file
        the user names."""
        from xoro_tui.config import exports_dir

        repo = self.settings
        what = "cell" if event.what == "cell" else "row"
        copied = bool(repo.get("app", "osc52", False))
        if copied:
            self.app.copy_to_clipboard(event.text)
        last = repo.get("app", "copy_file") or str(exports_dir() / "copied.txt")
        label = "Copied to the clipboard; also to file:" if copied else f"Copy the {what} to file:"

        def write(path_text: str) -> None:
            if not path_text.strip():
                return
            path = Path(path_text.strip()).expanduser()
            if not path.is_absolute():
                path = exports_dir() / path
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                path.write_text(event.text + "\n", encoding="utf-8")
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                self.notify(f"Could not write {path}: {reason}", severity="error", markup=False)
                return
            repo.put("app", "copy_file", str(path))
            self.notify(f"Copied the {what} to {path}", markup=False, timeout=4)

        self.query_one(LinePrompt).ask(label, write, value=last, hint="Enter: write  Esc: no file")
