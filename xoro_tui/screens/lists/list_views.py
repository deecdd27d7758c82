"""The list's layout and the user's choices about it: columns and key columns, Advanced
Search, saved views, and the Settings dialog (with the search fields it offers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.widgets import Input, Select

from xoro_tui.data.customers import lookups
from xoro_tui.data.search.list_query import FieldDef, Filter
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.ui_settings import BUILTIN_VIEW
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.list_parts import ListParts
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from xoro_tui.data.models.views import View


class ListViews(ListParts):
    """Columns, views, settings and Advanced Search of a list screen."""

    def __init__(self) -> None:
        super().__init__()
        #: the list as the Centre first shows it, the "Default" view, as plain values: a
        #: View (Pydantic) is built only when the user goes back to it, not at every start
        self._builtin: dict[str, Any] | None = None

    def apply_user_settings(self) -> None:
        offered = self.settings.get("app", "search_fields")
        if offered:
            fields = {k: v for k, v in self.SEARCH_FIELDS.items() if k in offered or k == "any"}
            self.query_one(SearchBar).set_fields(fields)

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
        self._keeping_cursor_column(self.source.set_visible, keys)

    def set_key_columns(self, keys: list[str]) -> None:
        """Make these the key columns (they move to the front); the column cursor stays
        on its column."""
        assert self.source is not None
        self._keeping_cursor_column(self.source.set_frozen, keys)

    def _keeping_cursor_column(
        self, change: Callable[[list[str]], object], keys: list[str]
    ) -> None:
        """``change(keys)`` to the columns, the column cursor kept on the column under it."""
        assert self.source is not None
        table = self.table
        before = self.source.visible_keys
        under = before[table.cursor_column] if table.cursor_column < len(before) else None
        change(keys)
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
        from xoro_tui.data.models.views import View

        return View.model_validate(self.current_view_values())

    def current_view_values(self) -> dict[str, Any]:
        """What a saved view holds, as plain values (no Pydantic)."""
        assert self.source is not None
        flt = self.current_filter()
        return {
            "columns": list(self.source.visible_keys),
            "sort": self.source.sort,
            "then_by": self.source.then_by,
            "frozen": self.source.frozen_keys,
            "widths": {k: w for k, w in self.source.widths.items() if k in self.source.fields},
            "search_field": flt.search_field,
            "search": flt.search,
            "conditions": [
                {"field": c.field, "op": c.op, "value": c.value, "value2": c.value2}
                for c in flt.conditions
            ],
            "combine": flt.combine,
            "extras": dict(flt.extras),
        }

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
        self.show_filter_at_once(flt)

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
                from xoro_tui.data.models.views import View

                assert self._builtin is not None
                self.apply_view(View.model_validate(self._builtin), now=False)
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
