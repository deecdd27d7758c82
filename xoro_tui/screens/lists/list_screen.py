"""What both Centres share: quick search, the filter line, the virtual table, the status line,
the row menu and the yes/no prompt, and the keys of the list. Counting runs in a worker on
its own connection, and a newer keystroke interrupts an older query (list_counting.py).

The screen is put together from parts, one job each (see list_parts.py): this module lays
out the widgets, handles the keys and the search box, and notices changes by others."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Input, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.store.audit import written_elsewhere
from xoro_tui.data.store.connection import change_mark, data_version
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.checked_rows import CheckedRows
from xoro_tui.screens.lists.list_counting import ListCounting
from xoro_tui.screens.lists.list_download import ListDownload
from xoro_tui.screens.lists.list_views import ListViews
from xoro_tui.screens.lists.status_lines import StatusLines
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.info_panel import InfoPanel
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.line_prompt import LinePrompt
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.search_bar import SearchBar, SearchInput
from xoro_tui.widgets.virtual_table import VirtualTable

POLL_SECONDS = 3.0


class ListScreen(StatusLines, ListCounting, ListViews, ListDownload, CheckedRows):
    """Base of a Centre; subclasses name their list and fill the row menu."""

    BINDINGS = bindings("ListScreen")

    def __init__(self) -> None:
        super().__init__()
        #: the main connection's data version and the newest audit row when last current
        self._data_version: tuple[int, int] | None = None

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

    def on_mount(self) -> None:
        self.table.attach_overlay(
            self.menu,
            self.prompt,
            self.query_one(ColumnPicker),
            self.query_one(InfoPanel),
            self.query_one(LinePrompt),
        )
        self.apply_user_settings()
        self._builtin = self.current_view_values()
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

    def on_screen_resume(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that would do nothing now are not offered (None: help still lists them):
        Clear filter with no filter (the filter line says "x clears" when there is one),
        View row with no row."""
        if action == "clear_filter":
            return True if self.source is not None and self.describe_filter() else None
        if action == "show_row":
            return True if self.source is not None and self.table.row_count else None
        return True

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

    @on(Input.Changed, "#search-input")
    def _search_typed(self) -> None:
        if xoro_app(self).key_gate.typing_ahead():
            # more letters of the same search came in the same burst: only the last
            # text is searched and shown (a slow link pays for no rows nobody reads)
            return
        self.apply_filter(self.current_filter())

    @on(Select.Changed, "#search-field")
    def _search_field(self) -> None:
        if self.query_one(SearchBar).text.strip():
            self.apply_filter(self.current_filter())

    @on(SearchInput.Done)
    def _search_done(self) -> None:
        self.table.focus()

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
