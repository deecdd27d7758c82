"""A line-API table over a :class:`TableSource` that may hold a million rows.

Built for slow SSH links: every row is ONE segment in ONE style (cursor row and
header get their own), there is no scrollbar, a cursor move repaints only the two
rows concerned and nothing runs on a timer. Only rows on screen are asked for: a
window of about three screens around the viewport is cached and re-fetched when the
viewport leaves it. Every value goes through :func:`plain`, so markup, escape
sequences, tabs and newlines show literally on one line.

Keys: arrows / PageUp / PageDown / Home / End move; left / right move the column
cursor (its title is highlighted in the header); ``s`` sorts by that column (again:
reverse); ``t`` sorts rows with equal values by that column too ("then by"; again:
reverse); ``[`` / ``]`` make the column narrower / wider; ``:`` goes to a row number;
``'`` jumps to the first row whose sort value starts with the letters typed next (a
query on the sorted column); ``y`` copies the cell, ``Y`` the row. Key columns (the
source's ``frozen_count`` first columns) stay in place when scrolling right.
``space`` checks the row; ``*`` or ``ctrl+t`` checks every row of the
filter; ``u`` clears the checks; Enter chooses the row; ``m``, Menu (``f16``),
``shift+f10`` (also ``f20`` / ``f22``, as xterm / PuTTY send it) or a right click
ask for the row menu. While an attached overlay is open, keys go to it instead.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar, TypeAlias

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.dom import NoScreen
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from xoro_tui.actions.registry import bindings
from xoro_tui.widgets._table_layout import GUTTER, Placed, header_parts, place_columns, row_text
from xoro_tui.widgets.line_prompt import LinePrompt
from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.selection import Selection
from xoro_tui.widgets.table_source import RowKey, TableRow, TableSource


def _is_terminal_default(style: Style) -> bool:
    """True when ``style`` draws exactly what a reset terminal draws."""
    plain = Style(color=style.color, bgcolor=style.bgcolor)
    if style != plain:
        return False
    return all(c is None or c.is_default for c in (style.color, style.bgcolor))


# ---------------------------------------------------------------- messages
# Module-level, so that the table class names them (``VirtualTable.CursorMoved`` ...);
# ``namespace="virtual_table"`` gives them the handler names they would have as nested
# classes (``on_virtual_table_cursor_moved`` ...), and ``@on(VirtualTable.CursorMoved)`` works.


class TableMessage(Message):
    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> VirtualTable:
        return self.table


class CursorMoved(TableMessage, namespace="virtual_table"):
    """The cursor is on another row (``key`` is None when the table is empty)."""

    def __init__(self, table: VirtualTable, key: RowKey | None) -> None:
        super().__init__(table)
        self.key = key


class RowChosen(TableMessage, namespace="virtual_table"):
    """Enter (or a double click) on a row."""

    def __init__(self, table: VirtualTable, key: RowKey) -> None:
        super().__init__(table)
        self.key = key


class ChecksChanged(TableMessage, namespace="virtual_table"):
    """The number of checked rows, as ``table.selection.count(table.row_count)``."""

    def __init__(self, table: VirtualTable, count: int) -> None:
        super().__init__(table)
        self.count = count


class MenuRequested(TableMessage, namespace="virtual_table"):
    """A menu key or right click; ``screen_y`` is the screen line of the row."""

    def __init__(self, table: VirtualTable, key: RowKey, screen_y: int) -> None:
        super().__init__(table)
        self.key = key
        self.screen_y = screen_y


class SortChanged(TableMessage, namespace="virtual_table"):
    """The user sorted by column ``key`` (the source is already sorted)."""

    def __init__(self, table: VirtualTable, key: str, descending: bool) -> None:
        super().__init__(table)
        self.key = key
        self.descending = descending


class CopyRequested(TableMessage, namespace="virtual_table"):
    """``y`` (the cell) or ``Y`` (the row): ``text`` to copy, ``what`` says which."""

    def __init__(self, table: VirtualTable, text: str, what: str) -> None:
        super().__init__(table)
        self.text = text
        self.what = what


class VirtualTable(Widget, can_focus=True):
    """Shows a :class:`TableSource` one screen at a time."""

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; overflow: hidden hidden; scrollbar-size: 0 0; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--header-column { text-style: bold reverse; }
    VirtualTable > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--header-column",
        "virtual-table--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = bindings("VirtualTable")

    # Messages (defined above; handler names are on_virtual_table_*).
    CursorMoved: TypeAlias = CursorMoved
    RowChosen: TypeAlias = RowChosen
    ChecksChanged: TypeAlias = ChecksChanged
    MenuRequested: TypeAlias = MenuRequested
    SortChanged: TypeAlias = SortChanged
    CopyRequested: TypeAlias = CopyRequested

    def __init__(
        self,
        source: TableSource,
        *,
        id: str | None = None,
        classes: str | None = None,
        ascii: bool = False,
        count: int | None = None,
    ) -> None:
        """``ascii`` draws the cursor as ``>``; ``count`` saves a ``source.count()``."""
        super().__init__(id=id, classes=classes)
        self.ascii = ascii
        #: (anything checked, every row checked): which of Check all / Uncheck all act
        self._checks_state = (False, False)
        self.selection = Selection(on_change=self._checks_changed)
        self._source = source
        self._count = source.count() if count is None else count
        self._cursor = 0
        self._top = 0
        self._column = 0
        self._first_column = 0
        self._win_start = 0
        self._win: list[TableRow] = []
        self._overlays: list[KeyOverlay] = []
        self._styles: dict[str, Style | None] = {}
        self._placed_cache: tuple[object, list[Placed]] | None = None

    # ----------------------------------------------------------------- public API
    @property
    def source(self) -> TableSource:
        return self._source

    @source.setter
    def source(self, source: TableSource) -> None:
        self._source = source
        self._column = min(self._column, max(0, len(source.visible_columns) - 1))
        self._first_column = min(self._first_column, self._column)
        self.reload(keep_key=True)

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> RowKey | None:
        row = self._row_at(self._cursor)
        return None if row is None else row.key

    @property
    def cursor_column(self) -> int:
        return self._column

    def current_row(self) -> TableRow | None:
        """The full values of the cursor row (for a "show whole row" pop-up)."""
        return self._row_at(self._cursor)

    def attach_overlay(self, *overlays: KeyOverlay) -> None:
        """Route keys to these overlays (a RowMenu, a ConfirmPrompt) while they are open."""
        self._overlays.extend(overlays)

    def reload(
        self,
        keep_key: bool = True,
        count: int | None = None,
        *,
        filter_changed: bool = True,
        window: tuple[int, list[TableRow]] | None = None,
    ) -> None:
        """Re-read the source after its filter (or data) changed.

        ``count`` may be precomputed by a worker, and so may ``window``: rows from an
        offset (see :meth:`window_after_reload`), so the repaint reads nothing more. With
        ``filter_changed`` a check-all selection is dropped (explicit checks stay, see
        :mod:`selection`).
        """
        old_key = self.cursor_key if keep_key else None
        screen_line = self._cursor - self._top
        was_empty = not self._count
        self._count = self._source.count() if count is None else count
        if was_empty != (not self._count):
            self.refresh_bindings()
        self._win_start, self._win = window or (0, [])
        self._placed_cache = None
        position = None if old_key is None else self._source.position_of(old_key)
        self._cursor = self._clamp(self._cursor if position is None else position)
        self._top = self._clamp_top(self._cursor - screen_line)
        self._ensure_column_visible()
        self.refresh()
        if filter_changed and self.selection.filter_changed():
            self._post_checks()
        if self.cursor_key != old_key:
            self.post_message(self.CursorMoved(self, self.cursor_key))

    def set_row_count(self, count: int) -> None:
        """The exact count came after the rows (shown with a provisional one): keep them."""
        before = (self._count, self._cursor, self._top)
        self._count = count
        if (not before[0]) != (not count):
            self.refresh_bindings()
        self._cursor = self._clamp(self._cursor)
        self._top = self._clamp_top(self._top)
        if (self._cursor, self._top) != before[1:] or count < before[0]:
            self.refresh()

    def window_after_reload(self, count: int) -> tuple[int, int]:
        """The rows (offset, limit) that ``reload(keep_key=False, count=count)`` will show,
        with a page either side: what a worker may read ahead for it."""
        cursor = self._clamp(self._cursor, count)
        top = self._clamp_top(cursor - (self._cursor - self._top), count, cursor)
        return max(0, top - self._page), 3 * self._page

    def move_cursor(self, row: int) -> None:
        """Put the cursor on position ``row``, scrolling only when it leaves the screen."""
        new = self._clamp(row)
        old = self._cursor
        if new == old:
            return
        self._cursor = new
        page = self._page
        if self._top <= new < self._top + page:
            self._refresh_rows(old, new)
        else:
            self._top = self._clamp_top(new - page + 1 if new > old else new)
            self._refresh_body()
        self.post_message(self.CursorMoved(self, self.cursor_key))

    # ------------------------------------------------------------------ geometry
    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def _clamp(self, row: int, count: int | None = None) -> int:
        return max(0, min(row, (self._count if count is None else count) - 1))

    def _clamp_top(self, top: int, count: int | None = None, cursor: int | None = None) -> int:
        """The first row on screen, so the cursor is on it, for this or another count."""
        count = self._count if count is None else count
        cursor = self._cursor if cursor is None else cursor
        top = max(0, min(top, count - self._page))
        return min(max(top, cursor - self._page + 1), cursor) if count else 0

    def _refresh_body(self) -> None:
        """Repaint every data row but not the header (it did not change)."""
        self.refresh(Region(0, 1, self.size.width, self._page))

    def _refresh_rows(self, *rows: int) -> None:
        for row in rows:
            if self._top <= row < self._top + self._page:
                self.refresh(Region(0, row - self._top + 1, self.size.width, 1))

    @property
    def frozen_count(self) -> int:
        """The key columns: the first ones, kept in place when scrolling right."""
        return int(getattr(self._source, "frozen_count", 0) or 0)

    def _placed(self) -> list[Placed]:
        columns = self._source.visible_columns
        frozen = self.frozen_count
        shape = tuple((c.key, c.width, c.fixed) for c in columns)
        key = (shape, self._first_column, self.size.width, frozen)
        if self._placed_cache is None or self._placed_cache[0] != key:
            placed = place_columns(columns, self._first_column, self.size.width, frozen)
            self._placed_cache = (key, placed)
        return self._placed_cache[1]

    def _ensure_column_visible(self) -> bool:
        """Shift the columns horizontally so the column cursor is wholly on screen (a key
        column always is)."""
        old = self._first_column
        frozen = self.frozen_count
        self._first_column = max(frozen, min(self._first_column, self._column))
        columns = self._source.visible_columns
        while self._first_column < self._column:
            hit = [p for p in self._placed() if p.index == self._column]
            if hit and hit[0].width >= columns[self._column].width:
                break
            self._first_column += 1
        return old != self._first_column

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The columns' own widths: with ``width: auto`` nothing is padded out."""
        columns = self._source.visible_columns
        return GUTTER + sum(c.width for c in columns) + max(0, len(columns) - 1)

    # ----------------------------------------------------------------- row cache
    def _row_at(self, row: int) -> TableRow | None:
        if not 0 <= row < self._count:
            return None
        index = row - self._win_start
        if not 0 <= index < len(self._win):
            page = self._page
            self._win_start = max(0, row - page)
            self._win = list(self._source.window(self._win_start, 3 * page))
            index = row - self._win_start
            if not 0 <= index < len(self._win):
                return None
        return self._win[index]

    # ----------------------------------------------------------------- rendering
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style | None:
        """The style of one kind of line; None when it is just the terminal's default.

        With an ANSI theme plain rows are "default on default": sending no SGR at all
        saves 12 bytes a row, about 450 bytes a page.
        """
        if name not in self._styles:
            style = self.rich_style if name == "row" else self.get_component_rich_style(name)
            self._styles[name] = None if _is_terminal_default(style) else style
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        columns = self._source.visible_columns
        placed = self._placed()
        if y == 0:
            before, middle, after = header_parts(
                columns,
                placed,
                current=self._column,
                sort=self._source.sort,
                width=width,
                then_by=getattr(self._source, "then_by", None),
            )
            header = self._style("virtual-table--header") or Style()
            segments = [Segment(before, header)]
            if middle:
                highlight = header + (self._style("virtual-table--header-column") or Style())
                segments += [Segment(middle, highlight), Segment(after, header)]
            return Strip(segments, width)
        position = self._top + y - 1
        row = self._row_at(position)
        if row is None:
            return Strip([Segment(" " * width, self._style("row"))], width)
        is_cursor = position == self._cursor
        mark = (">" if self.ascii else "▶") if is_cursor else " "
        text = row_text(
            row.values,
            columns,
            placed,
            mark=mark,
            checked=self.selection.is_checked(row.key),
            width=width,
        )
        style = self._style("virtual-table--cursor" if is_cursor else "row")
        return Strip([Segment(text, style)], width)

    # ------------------------------------------------------------------- actions
    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        page = self._page
        new = self._clamp(self._cursor + direction * page)
        if new == self._cursor:
            return
        self._cursor = new
        self._top = self._clamp_top(self._top + direction * page)
        self._refresh_body()
        self.post_message(self.CursorMoved(self, self.cursor_key))

    def action_home(self) -> None:
        self.move_cursor(0)

    def action_end(self) -> None:
        self.move_cursor(self._count - 1)

    def action_column(self, delta: int) -> None:
        self.set_column(self._column + delta)

    def set_column(self, column: int) -> None:
        count = len(self._source.visible_columns)
        column = max(0, min(column, count - 1))
        if column == self._column:
            return
        self._column = column
        if self._ensure_column_visible():
            self.refresh()
        else:
            self.refresh(Region(0, 0, self.size.width, 1))

    def action_choose(self) -> None:
        if (key := self.cursor_key) is not None:
            self.post_message(self.RowChosen(self, key))

    def action_toggle_check(self) -> None:
        if (key := self.cursor_key) is not None:
            self.selection.toggle(key)
            self._refresh_rows(self._cursor)
            self._post_checks()

    def action_check_all(self) -> None:
        self.selection.check_all()
        self._refresh_body()
        self._post_checks()

    def has_checks(self) -> bool:
        """Whether any row is checked: what Uncheck all acts on."""
        return bool(self.selection.count(self._count) or self.selection.is_all)

    def _checks_changed(self) -> None:
        """The key bar offers Uncheck all only while something is checked, and Check all
        only while something is not: it is told when either changes (by whoever checks)."""
        selection = self.selection
        state = (self.has_checks(), selection.is_all and not selection.all_except)
        if state != self._checks_state:
            self._checks_state = state
            self.refresh_bindings()

    def action_clear_checks(self) -> None:
        if self.has_checks():
            self.selection.clear()
            self._refresh_body()
            self._post_checks()

    def action_sort(self) -> None:
        columns = self._source.visible_columns
        if not columns or not columns[self._column].sortable:
            self.app.bell()
            return
        key = columns[self._column].key
        current = self._source.sort
        descending = not current[1] if current and current[0] == key else False
        self._source.set_sort(key, descending)
        # the first screen of the new order: finding the old row again costs a count over
        # the whole list, too slow at a million rows for a key press
        self._cursor = self._top = 0
        self.reload(keep_key=False, count=self._count, filter_changed=False)
        self.post_message(self.SortChanged(self, key, descending))

    #: actions the screen gives no meaning (no row menu, nothing to open): their keys are
    #: neither shown in the key bar nor run
    disabled_actions: frozenset[str] = frozenset()

    def action_then_by(self) -> None:
        """Sort rows with equal values of the sort column by this column too; again on the
        same column reverses it."""
        columns = self._source.visible_columns
        set_then_by = getattr(self._source, "set_then_by", None)
        if not columns or set_then_by is None or not columns[self._column].sortable:
            self.app.bell()
            return
        key = columns[self._column].key
        current = getattr(self._source, "then_by", None)
        descending = not current[1] if current and current[0] == key else False
        if not set_then_by(key, descending):
            self.notify("Already sorted by this column: t adds a second one", timeout=3)
            return
        self._cursor = self._top = 0
        self.reload(keep_key=False, count=self._count, filter_changed=False)
        sort = self._source.sort
        if sort is not None:
            self.post_message(self.SortChanged(self, sort[0], sort[1]))

    def action_width(self, delta: int) -> None:
        """Make the current column narrower or wider (``[`` / ``]``)."""
        columns = self._source.visible_columns
        set_width = getattr(self._source, "set_width", None)
        if not columns or set_width is None:
            self.app.bell()
            return
        column = columns[self._column]
        shown = [p.width for p in self._placed() if p.index == self._column]
        start = max(column.width, shown[0]) if shown and not column.fixed else column.width
        set_width(column.key, start + delta)
        self._placed_cache = None
        self._ensure_column_visible()
        self.refresh()

    def _line_prompt(self) -> LinePrompt | None:
        return next((o for o in self._overlays if isinstance(o, LinePrompt)), None)

    def action_goto_row(self) -> None:
        """``:`` and a row number: the cursor goes there (1 is the first row)."""
        prompt = self._line_prompt()
        if prompt is None or not self._count:
            self.app.bell()
            return

        def go(text: str) -> None:
            if text.strip():
                self.move_cursor(int(text) - 1)

        prompt.ask(f"Go to row (1 to {self._count:,}):", go, allowed=str.isdigit, hint="Enter: go")

    def action_jump(self) -> None:
        """``'`` then letters: the cursor follows to the first row whose sort value starts
        with them (one indexed query a key); Enter stays there, Escape goes back."""
        prompt = self._line_prompt()
        first_starting = getattr(self._source, "first_starting", None)
        if prompt is None or first_starting is None or not self._count:
            self.app.bell()
            return
        sort_field = getattr(self._source, "sort_field", None)
        title, kind = sort_field() if sort_field is not None else ("the sorted column", "text")
        if kind not in ("text", "lookup"):
            self.notify("Jump to letters needs a text column sorted: s on it first", timeout=4)
            return
        start = self._cursor

        def follow(text: str) -> None:
            if not text:
                self.move_cursor(start)
                return
            place = first_starting(text)
            if place is None:
                prompt.set_note(f"no {title} starts with {text!r}")
            else:
                self.move_cursor(place)

        prompt.ask(
            f"Jump to {title}:",
            lambda _text: None,
            on_change=follow,
            on_cancel=lambda: self.move_cursor(start),
            hint="Enter: stay  Esc: back",
        )

    def action_copy(self, what: str) -> None:
        """``y`` the cell under the cursor, ``Y`` the row (titles and values, tab apart)."""
        row = self.current_row()
        columns = self._source.visible_columns
        if row is None or not columns:
            self.app.bell()
            return
        if what == "cell":
            text = row.values[self._column] if self._column < len(row.values) else ""
        else:
            titles = "\t".join(c.title for c in columns)
            text = titles + "\n" + "\t".join(row.values)
        self.post_message(self.CopyRequested(self, text, what))

    def action_menu(self) -> None:
        if (key := self.cursor_key) is not None:
            screen_y = self.content_region.y + self._cursor - self._top + 1
            self.post_message(self.MenuRequested(self, key, screen_y))

    def _post_checks(self) -> None:
        self.post_message(self.ChecksChanged(self, self.selection.count(self._count)))

    #: keys that act on rows: not shown while the list is empty
    _ROW_ACTIONS = frozenset({"choose", "toggle_check", "check_all", "menu", "copy", "goto_row"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key bar shows no key for a row while there is none, nor one the screen
        gives no meaning, nor Uncheck all with nothing checked (nor Check all with all)."""
        if action in self.disabled_actions:
            return False
        # None: the key is there but does nothing now (the key bar leaves it out, help
        # lists it); False: the screen has no such key
        if action == "clear_checks":
            return True if self.has_checks() else None
        if action == "check_all" and self._checks_state[1]:
            return None  # every row is checked already
        if action in self._ROW_ACTIONS:
            return self._count > 0
        return True

    # -------------------------------------------------------------------- events
    async def _on_key(self, event: events.Key) -> None:
        for overlay in self._overlays:
            if overlay.is_open:
                event.stop()
                event.prevent_default()
                overlay.take_key(event.key, event.character)
                return
        await super()._on_key(event)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        open_overlays = [overlay for overlay in self._overlays if overlay.is_open]
        for overlay in open_overlays:
            overlay.click_outside()
        if open_overlays:
            return
        if event.y == 0:
            hit = [p.index for p in self._placed() if p.x <= event.x < p.x + p.width + 1]
            if hit:
                self.set_column(hit[0])
            return
        row = self._top + event.y - 1
        if row >= self._count:
            return
        self.move_cursor(row)
        if event.button == 3:
            self.action_menu()
        elif 1 <= event.x < GUTTER - 1:
            self.action_toggle_check()
        elif event.chain == 2:
            self.action_choose()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll(-3)

    def _scroll(self, delta: int) -> None:
        top = max(0, min(self._top + delta, self._count - self._page))
        if top != self._top:
            old = self._cursor
            self._top = top
            self._cursor = max(top, min(self._cursor, top + self._page - 1))
            self._refresh_body()
            if self._cursor != old:
                self.post_message(self.CursorMoved(self, self.cursor_key))

    # The table looks the same focused or not: gaining or losing focus (``/`` to the search
    # box and Enter back) repaints none of its rows, which Textual's handlers would do.
    def focus(self, scroll_visible: bool = True) -> VirtualTable:
        """As ``Widget.focus``, without its repaint of the whole table."""

        def set_focus(widget: Widget) -> None:
            with contextlib.suppress(NoScreen):  # the table left its screen meanwhile
                widget.screen.set_focus(self, scroll_visible=scroll_visible)

        self.app.call_later(set_focus, self)
        return self

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def on_resize(self, event: events.Resize) -> None:
        self._top = self._clamp_top(self._top)
        self._ensure_column_visible()
