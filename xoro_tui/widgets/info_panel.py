"""A read-only panel of lines on the overlay layer (the full values of a row, a report).

Shown on demand and closed by Escape, ``q``, Enter or ``v``: it never repaints on cursor
moves, so it costs bandwidth only when asked for."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.safe_text import plain


class InfoPanel(KeyOverlay):
    DEFAULT_CSS = """
    InfoPanel { background: $panel; color: $foreground; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._lines: list[tuple[str, str]] = []
        self._top = 0

    def open(self, title: str, lines: Sequence[tuple[str, object]]) -> None:
        """``lines`` are (label, value) pairs; values are user data and shown literally."""
        self._title = plain(title)
        self._lines = [(plain(label), plain(value)) for label, value in lines]
        self._top = 0
        screen_w, screen_h = self.screen.size
        width = min(self._width(), screen_w - 2)
        self._show(
            max(0, (screen_w - width - 2) // 2), max(0, (screen_h - self._height() - 2) // 2)
        )

    def close(self) -> None:
        if self.is_open:
            self._hide()

    def _height(self) -> int:
        _, screen_h = self.screen.size
        return max(1, min(len(self._lines), screen_h - 6))

    def _width(self) -> int:
        labels = max((cell_len(label) for label, _ in self._lines), default=0)
        values = max((cell_len(value) for _, value in self._lines), default=0)
        return max(cell_len(self._title) + 2, min(labels + values + 3, 110))

    def take_key(self, key: str, character: str | None = None) -> bool:
        if not self.is_open:
            return False
        if key in ("escape", "ctrl+g", "q", "enter", "v"):
            self.close()
        elif key in ("down", "pagedown") and self._top + self._height() < len(self._lines):
            self._top += 1 if key == "down" else self._height()
            self._top = min(self._top, len(self._lines) - self._height())
            self.refresh()
        elif key in ("up", "pageup") and self._top > 0:
            self._top = max(0, self._top - (1 if key == "up" else self._height()))
            self.refresh()
        return True

    def render(self) -> Text:
        screen_w, _ = self.screen.size
        width = min(self._width(), screen_w - 2)
        label_width = max((cell_len(label) for label, _ in self._lines), default=0)
        text = Text(no_wrap=True, end="", overflow="ellipsis")
        text.append(f" {self._title} ".ljust(width), style="bold reverse")
        for label, value in self._lines[self._top : self._top + self._height()]:
            text.append(f"\n {label.ljust(label_width)} {value}")
        return text
