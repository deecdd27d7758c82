"""The app's keys (everywhere) and the table's and the search box's (every list)."""

from __future__ import annotations

from xoro_tui.actions.action import Action as A
from xoro_tui.actions.action import in_scope

ACTIONS = (
    *in_scope(
        "XoroApp",
        A("app.customers", "f2,C", "show_customers", "Customers",
          "Every customer", command="Customer Centre"),
        A("app.refunds", "f3,R", "show_refunds", "Refunds",
          "Every refund and its status", command="Customer Refund Centre"),
        A("app.help", "question_mark,f1", "help", "Help", "Every key",
          command="Help"),
        # F1 (and ctrl+o, for terminals that keep F1) open help from every screen and
        # dialog, text fields included; ? does too, except where it is typed into a field
        A("app.help_anywhere", "f1,ctrl+o", "help", show=False, priority=True),
        A("app.help_unless_typed", "question_mark", "help_unless_typed", show=False,
          priority=True),
        A("app.quit", "ctrl+q", "quit", "Quit", "Leave xoro-tui", priority=True,
          command="Quit"),
    ),
    *in_scope(
        "VirtualTable",
        A("table.up", "up", "cursor(-1)", "Up", show=False),
        A("table.down", "down", "cursor(1)", "Down", show=False),
        A("table.page_up", "pageup", "page(-1)", "Page up", show=False),
        A("table.page_down", "pagedown", "page(1)", "Page down", show=False),
        A("table.home", "home", "home", "First", show=False),
        A("table.end", "end", "end", "Last", show=False),
        A("table.column_left", "left", "column(-1)", "Column left", show=False),
        A("table.column_right", "right", "column(1)", "Column right", show=False),
        A("table.choose", "enter", "choose", "Open", "Open the row"),
        A("table.check", "space", "toggle_check", "Check", "Check or uncheck the row"),
        A("table.check_all", "asterisk,ctrl+t", "check_all", "Check all",
          "Check every row of the filter"),
        A("table.clear_checks", "u", "clear_checks", "Uncheck all", "Uncheck every row"),
        A("table.sort", "s", "sort", "Sort", "Sort by the cursor's column (again: reverse)"),
        A("table.then_by", "t", "then_by", "Then by", "Sort next by the cursor's column",
          show=False),
        A("table.narrower", "left_square_bracket", "width(-2)", "Narrower",
          "Narrow the cursor's column", show=False),
        A("table.wider", "right_square_bracket", "width(2)", "Wider",
          "Widen the cursor's column", show=False),
        A("table.goto_row", "colon", "goto_row", "Go to row", "Go to a row by its number",
          show=False),
        A("table.jump", "apostrophe", "jump", "Jump to letters",
          "Go to the first row starting with the letters typed", show=False),
        A("table.copy_cell", "y", "copy('cell')", "Copy cell", show=False),
        A("table.copy_row", "Y", "copy('row')", "Copy row", show=False),
        A("table.menu", "m", "menu", "Menu", "The row's menu"),
        A("table.menu_keys", "f16,f20,f22,shift+f10", "menu", "Menu", show=False, fixed=True),
    ),
    *in_scope(
        "SearchInput",
        A("search.done", "escape,ctrl+g,enter,down", "done", "Back to table", show=False),
    ),
    *in_scope(
        "PathInput",
        A("path.complete", "tab", "complete", "Complete", show=False),
    ),
)  # fmt: skip
