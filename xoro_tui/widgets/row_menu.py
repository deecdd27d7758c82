"""A context menu for a table row, drawn on the overlay layer without taking focus.

Mount it once (``yield RowMenu()`` in the screen, whose CSS declares
``layers: base overlay``) and register it with the table: ``table.attach_overlay(menu)``.
The table keeps focus and forwards every key to the menu while it is open (see
:mod:`overlay`). Keys: up / down / home / end move, Enter picks, a hint key picks its
entry directly, Escape or ``q`` close. A mouse click on an entry picks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message

from xoro_tui.widgets._table_layout import GUTTER, fit
from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.safe_text import plain, safe_text
from xoro_tui.widgets.table_source import RowKey


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One line of the menu: ``id`` comes back in ``Picked``; ``key`` is a shortcut hint."""

    id: str
    label: str
    key: str = ""


EntryLike = MenuEntry | tuple[str, str] | tuple[str, str, str]


class RowMenu(KeyOverlay):
    """Entries given on :meth:`open`; posts :class:`Picked` or :class:`Closed`."""

    # No CSS border or padding: each would add a styled segment to every line. The
    # frame is drawn as text in the line's own style, so a line is one segment.
    DEFAULT_CSS = """
    RowMenu { background: $panel; color: $foreground; }
    """

    class Picked(Message):
        def __init__(self, menu: RowMenu, entry_id: str, row_key: RowKey | None) -> None:
            super().__init__()
            self.menu = menu
            self.entry_id = entry_id
            self.row_key = row_key

        @property
        def control(self) -> RowMenu:
            return self.menu

    class Closed(Message):
        def __init__(self, menu: RowMenu, row_key: RowKey | None) -> None:
            super().__init__()
            self.menu = menu
            self.row_key = row_key

        @property
        def control(self) -> RowMenu:
            return self.menu

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[MenuEntry] = []
        self._title = Text()
        self._highlight = 0
        self.row_key: RowKey | None = None

    @property
    def entries(self) -> Sequence[MenuEntry]:
        return tuple(self._entries)

    @property
    def highlighted(self) -> int:
        return self._highlight

    def open(
        self,
        entries: Iterable[EntryLike],
        title: Text | str,
        at_y: int,
        *,
        row_key: RowKey | None = None,
        at_x: int | None = None,
    ) -> None:
        """Show the menu below screen line ``at_y`` (above it when there is no room)."""
        self._entries = [e if isinstance(e, MenuEntry) else MenuEntry(*e) for e in entries]
        self._title = safe_text(title)
        self._highlight = 0
        self.row_key = row_key
        width = self._inner_width() + 4
        height = len(self._entries) + 2
        screen_w, screen_h = self.screen.size
        y = at_y + 1 if at_y + 1 + height <= screen_h else max(0, at_y - height)
        x = max(0, min(GUTTER if at_x is None else at_x, screen_w - width))
        self._show(x, y)

    def close(self) -> None:
        if self.is_open:
            self._hide()
            self.post_message(self.Closed(self, self.row_key))

    def click_outside(self) -> None:
        self.close()

    def pick(self, index: int) -> None:
        if self.is_open and 0 <= index < len(self._entries):
            self._hide()
            self.post_message(self.Picked(self, self._entries[index].id, self.row_key))

    def take_key(self, key: str, character: str | None = None) -> bool:
        if not self.is_open:
            return False
        count = len(self._entries)
        if key in ("escape", "ctrl+g", "q"):
            self.close()
        elif key == "enter":
            self.pick(self._highlight)
        elif key in ("up", "down", "home", "end") and count:
            new = {
                "up": (self._highlight - 1) % count,
                "down": (self._highlight + 1) % count,
                "home": 0,
                "end": count - 1,
            }[key]
            if new != self._highlight:
                old, self._highlight = self._highlight, new
                width = self.size.width
                self.refresh(Region(0, old + 1, width, 1), Region(0, new + 1, width, 1))
        else:
            for index, entry in enumerate(self._entries):
                if entry.key and entry.key in (key, character):
                    self.pick(index)
                    break
        return True

    def on_click(self, event: events.Click) -> None:
        event.stop()
        offset = event.get_content_offset(self)
        if offset is not None and 1 <= offset.y <= len(self._entries):
            self.pick(offset.y - 1)

    def _inner_width(self) -> int:
        hints = max((cell_len(plain(e.key)) for e in self._entries), default=0)
        labels = max((cell_len(plain(e.label)) for e in self._entries), default=0)
        width = labels + (hints + 2 if hints else 0)
        return max(min(width, 60), min(self._title.cell_len, 60), 8)

    def render(self) -> Text:
        """Title line in reverse, then ``│ label  hint │`` lines, then ``└──┘``."""
        width = self._inner_width()
        text = Text(no_wrap=True, end="")
        title = self._title.copy()
        title.truncate(width + 2, overflow="ellipsis", pad=True)
        title.pad_left(1)
        title.pad_right(1)
        title.stylize("bold reverse")
        text.append_text(title)
        hint_width = max((cell_len(plain(e.key)) for e in self._entries), default=0)
        label_width = width - (hint_width + 2 if hint_width else 0)
        for index, entry in enumerate(self._entries):
            hint = "  " + fit(plain(entry.key), hint_width, "right") if hint_width else ""
            line = " " + fit(plain(entry.label), label_width) + hint + " "
            text.append("\n│")
            text.append(line, style="reverse" if index == self._highlight else "")
            text.append("│")
        text.append("\n└" + "─" * (width + 2) + "┘")
        return text
