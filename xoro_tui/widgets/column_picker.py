"""Column picker: show, hide and move columns by keyboard, the table changing at once.

An overlay (no full-screen repaint) fed keys by the table like the row menu:
up/down choose a column, space shows or hides it, ``<``/``>`` (or shift+up/down) move it
left or right (past the last key column it becomes an ordinary one, and back), ``k``
makes it a key column (kept in place when the table scrolls right; again: an ordinary
one), Escape, ``q`` or Enter close.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message

from xoro_tui.widgets._table_layout import fit
from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.table_source import Column


class ColumnPicker(KeyOverlay):
    DEFAULT_CSS = """
    ColumnPicker { background: $panel; color: $foreground; }
    """

    class Changed(Message):
        """The visible columns, in order, and the key columns, after a change."""

        def __init__(
            self, picker: ColumnPicker, visible: list[str], frozen: list[str] | None = None
        ) -> None:
            super().__init__()
            self.picker = picker
            self.visible = visible
            self.frozen = frozen

        @property
        def control(self) -> ColumnPicker:
            return self.picker

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns: list[Column] = []
        self._visible: list[str] = []
        self._frozen: list[str] = []
        self._cursor = 0
        self._top = 0

    @property
    def order(self) -> list[str]:
        """Every column key: the visible ones first in their order, then the hidden ones."""
        hidden = [c.key for c in self._columns if c.key not in self._visible]
        return [*self._visible, *hidden]

    @property
    def visible_columns(self) -> list[str]:
        return list(self._visible)

    @property
    def frozen(self) -> list[str]:
        return list(self._frozen)

    def open(
        self, columns: Sequence[Column], visible: Sequence[str], frozen: Sequence[str] = ()
    ) -> None:
        self._columns = list(columns)
        self._visible = [k for k in visible if any(c.key == k for c in columns)]
        self._frozen = [k for k in self._visible if k in frozen]
        self._cursor = 0
        self._top = 0
        screen_w, _ = self.screen.size
        self._show(max(0, screen_w - self._width() - 2), 1)

    def close(self) -> None:
        if self.is_open:
            self._hide()
            self.post_message(self.Closed())

    def _height(self) -> int:
        _, screen_h = self.screen.size
        return max(3, min(len(self._columns), screen_h - 6))

    def _width(self) -> int:
        return max(max((len(c.title) for c in self._columns), default=10) + 14, 42)

    def take_key(self, key: str, character: str | None = None) -> bool:
        if not self.is_open:
            return False
        order = self.order
        count = len(order)
        if key in ("escape", "ctrl+g", "q", "enter", "c"):
            self.close()
            return True
        if key == "up":
            self._cursor = (self._cursor - 1) % count
        elif key == "down":
            self._cursor = (self._cursor + 1) % count
        elif key == "home":
            self._cursor = 0
        elif key == "end":
            self._cursor = count - 1
        elif key == "space":
            self._toggle(order[self._cursor])
        elif key == "k":
            self._toggle_key(order[self._cursor])
        elif key in ("less_than_sign", "shift+up", "comma") or character == "<":
            self._move(order[self._cursor], -1)
        elif key in ("greater_than_sign", "shift+down", "full_stop") or character == ">":
            self._move(order[self._cursor], +1)
        self._scroll_to_cursor()
        self.refresh()
        return True

    def _toggle(self, key: str) -> None:
        if key in self._visible:
            if len(self._visible) == 1:
                return
            self._visible.remove(key)
            if key in self._frozen:
                self._frozen.remove(key)
        else:
            self._visible.append(key)
        self._cursor = self.order.index(key)
        self._changed()

    def _changed(self) -> None:
        self.post_message(self.Changed(self, list(self._visible), list(self._frozen)))

    def _toggle_key(self, key: str) -> None:
        """Make a shown column a key column (it moves to the front) or an ordinary one."""
        if key not in self._visible:
            return
        if key in self._frozen:
            self._frozen.remove(key)
            rest = [k for k in self._visible if k not in self._frozen and k != key]
            self._visible = [*self._frozen, key, *rest]
        else:
            self._frozen.append(key)
            self._visible = [*self._frozen, *(k for k in self._visible if k not in self._frozen)]
        self._cursor = self.order.index(key)
        self._changed()

    def _move(self, key: str, delta: int) -> None:
        if key not in self._visible:
            return
        index = self._visible.index(key)
        target = index + delta
        if not 0 <= target < len(self._visible):
            return
        other = self._visible[target]
        if key in self._frozen and other not in self._frozen:
            self._frozen.remove(key)  # moved out of the key columns: an ordinary one
        elif key not in self._frozen and other in self._frozen:
            self._frozen.append(key)  # moved in among them: a key column
        self._visible[index], self._visible[target] = other, key
        self._frozen = [k for k in self._visible if k in self._frozen]
        self._cursor = target
        self._changed()

    def _scroll_to_cursor(self) -> None:
        height = self._height()
        if self._cursor < self._top:
            self._top = self._cursor
        elif self._cursor >= self._top + height:
            self._top = self._cursor - height + 1

    def render(self) -> Text:
        width = self._width()
        titles = {c.key: c.title for c in self._columns}
        text = Text(no_wrap=True, end="")
        head = fit(" Columns  space show/hide  < > move  k key", width + 2)
        text.append(head, style="bold reverse")
        order = self.order
        for index in range(self._top, min(self._top + self._height(), len(order))):
            key = order[index]
            mark = "[x]" if key in self._visible else "[ ]"
            suffix = "  (key)" if key in self._frozen else ""
            line = fit(f" {mark} {titles.get(key, key)}{suffix}", width + 2)
            text.append("\n")
            text.append(line, style="reverse" if index == self._cursor else "")
        return text
