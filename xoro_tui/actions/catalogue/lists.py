"""The list screens' keys and their dialogs (views, advanced search, download, results)."""

from __future__ import annotations

from xoro_tui.actions.action import Action as A
from xoro_tui.actions.action import in_scope

ACTIONS = (
    *in_scope(
        "ListScreen",
        A("list.search", "slash", "focus_search", "Search", "Type in the quick search"),
        A("list.clear_filter", "x", "clear_filter", "Clear filter", "Every row again"),
        A("list.refresh", "r,f5", "refresh", "Refresh", "Read the list again"),
        A("list.view_row", "v", "show_row", "View row", "The whole row, field by field"),
        A("list.columns", "c", "columns", "Columns", "Show, hide and move columns",
          command="Columns"),
        A("list.advanced", "ctrl+f", "advanced_search", "Advanced",
          "Conditions on any column", command="Advanced Search"),
        A("list.save_view", "ctrl+s", "save_view", "Save view", "Keep this layout",
          command="Save view"),
        A("list.views", "V", "choose_view", "Views", "Open a saved layout", show=False,
          command="Switch view"),
        A("list.settings", "S", "settings", "Settings", "Search fields, date format, keys, …",
          show=False, command="Settings"),
        A("list.download", "d", "download", "Download", "The list as a file", show=False),
    ),
    *in_scope(
        "AdvancedSearch",
        A("advanced.apply", "ctrl+s", "apply", "Search"),
        A("advanced.add", "ctrl+n", "add", "Add condition"),
        A("advanced.remove", "ctrl+d", "remove", "Remove last"),
        A("advanced.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "DownloadDialog",
        A("download.export", "ctrl+s", "export", "Export"),
        A("download.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "SaveViewDialog",
        A("save_view.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "ChooseView",
        A("choose_view.cancel", "escape,ctrl+g", "cancel", "Cancel"),
        A("choose_view.rename", "r,f2", "rename", "Rename", "Rename the view"),
        A("choose_view.delete", "d,delete", "delete", "Delete", "Delete the view"),
        A("choose_view.default", "o", "make_default", "Opens first",
          "Open the Centre with this view"),
    ),
    *in_scope(
        "ResultsScreen",
        A("results.close", "escape,ctrl+g,q,enter", "close", "Close"),
    ),
)  # fmt: skip
