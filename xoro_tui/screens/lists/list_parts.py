"""What every part of a list screen shares: the Centre's names for its list, the source
and the widgets, and the methods the parts offer one another.

:class:`~xoro_tui.screens.lists.list_screen.ListScreen` is put together from parts, each a
module of its own: the status and filter lines (status_lines.py), counting a filter and
reading its details (list_counting.py), columns, views, settings and advanced search
(list_views.py), download and copy (list_download.py) and the checked rows
(checked_rows.py). Each part builds on this class; the methods it uses from another part
are declared here for the type checker only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import sqlite_utils
from textual.screen import Screen

from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.store.ui_settings import SettingsRepository
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.query_source import QuerySource
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.virtual_table import VirtualTable


class ListParts(Screen[None]):
    """The base every part of a list screen builds on."""

    NOUN: ClassVar[str] = "rows"
    #: the name its settings and views are kept under
    SETTINGS_KEY: ClassVar[str] = "list"
    SEARCH_FIELDS: ClassVar[dict[str, str]] = {"any": "Any Field"}
    SEARCH_PLACEHOLDER: ClassVar[str] = "Search"
    #: the table's actions this list gives no meaning ("menu", "choose"): not shown, not run
    TABLE_ACTIONS_OFF: ClassVar[frozenset[str]] = frozenset()
    #: key columns: kept in place when the table scrolls right (``k`` in the column picker)
    KEY_COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.source: QuerySource | None = None

    # -- to be provided by each Centre
    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        raise NotImplementedError

    def base_filter(self) -> Filter:
        """The filter with no user input (the Centre's fixed extras)."""
        return Filter()

    # -- the widgets
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

    if TYPE_CHECKING:
        # -- what the parts offer one another (defined in the part named)

        # status_lines.StatusLines
        def update_status(self) -> None: ...
        def update_filter_line(self) -> None: ...
        def describe_filter(self) -> str: ...

        # list_screen.ListScreen
        def current_filter(self) -> Filter: ...

        # list_counting.ListCounting
        def apply_filter(self, flt: Filter) -> None: ...
        def show_filter_at_once(self, flt: Filter) -> None: ...
        def filter_applied(self) -> None: ...

        # list_views.ListViews
        def apply_user_settings(self) -> None: ...

        # checked_rows.CheckedRows
        def checked_ids(self, limit: int | None = None) -> list[int]: ...
        def keep_checks(self) -> None: ...
