"""A yes / no question drawn on the overlay layer without taking focus.

Mounted once like :class:`RowMenu` and fed keys by the focused widget
(``table.attach_overlay(prompt)``, see :mod:`overlay`). Keys: ``y`` yes; ``n``,
Escape or ``q`` no; left / right / tab move between the two choices and Enter picks
the highlighted one, which starts on "No" unless ``default_yes``.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message

from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.safe_text import safe_text

AnswerCallback = Callable[[bool], object]


class ConfirmPrompt(KeyOverlay):
    """Asks one question at a time; answers with a callback and an :class:`Answered` message."""

    DEFAULT_CSS = """
    ConfirmPrompt { border: round $warning; background: $surface; padding: 0 1; }
    """

    class Answered(Message):
        """``token`` is whatever the asker passed to :meth:`ConfirmPrompt.ask`."""

        def __init__(self, prompt: ConfirmPrompt, token: object, yes: bool) -> None:
            super().__init__()
            self.prompt = prompt
            self.token = token
            self.yes = yes

        @property
        def control(self) -> ConfirmPrompt:
            return self.prompt

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._question = Text()
        self._yes_highlighted = False
        self._callback: AnswerCallback | None = None
        self.token: object = None

    @property
    def yes_highlighted(self) -> bool:
        return self._yes_highlighted

    def ask(
        self,
        question: Text | str,
        on_answer: AnswerCallback | None = None,
        *,
        token: object = None,
        default_yes: bool = False,
    ) -> None:
        """Show ``question`` (cleaned by ``safe_text``) centred on the screen."""
        self._question = safe_text(question)
        self._callback = on_answer
        self.token = token
        self._yes_highlighted = default_yes
        width = self._inner_width() + 4
        height = len(self._lines()) + 4
        screen_w, screen_h = self.screen.size
        self._show(max(0, (screen_w - width) // 2), max(0, (screen_h - height) // 2))

    def answer(self, yes: bool) -> None:
        if not self.is_open:
            return
        self._hide()
        callback, self._callback = self._callback, None
        self.post_message(self.Answered(self, self.token, yes))
        if callback is not None:
            callback(yes)

    def take_key(self, key: str, character: str | None = None) -> bool:
        if not self.is_open:
            return False
        if key == "y":
            self.answer(True)
        elif key in ("n", "q", "escape", "ctrl+g"):
            self.answer(False)
        elif key == "enter":
            self.answer(self._yes_highlighted)
        elif key in ("left", "right", "tab", "shift+tab"):
            self._yes_highlighted = not self._yes_highlighted
            self.refresh()
        return True

    def on_click(self, event: events.Click) -> None:
        event.stop()
        offset = event.get_content_offset(self)
        if offset is not None and offset.y == len(self._lines()) + 1:
            self.answer(offset.x < self._inner_width() // 2)

    def _inner_width(self) -> int:
        """70 columns at most, and never wider than the screen (border and padding: 4)."""
        room = max(20, self.screen.size.width - 4) if self.is_attached else 70
        longest = max((cell_len(line) for line in self._question.plain.split("\n")), default=0)
        return max(min(longest, 70, room), 20)

    def _lines(self) -> list[Text]:
        """The question wrapped to the prompt's width: it is shown whole, never cut."""
        width = self._inner_width()
        question = self._question.copy()
        question.no_wrap = False  # a one-line Text would come back whole and be cut
        lines = question.wrap(self.app.console, width, overflow="fold")
        return list(lines) or [Text()]

    def render(self) -> Text:
        width = self._inner_width()
        yes, no = " Yes (y) ", " No (n) "
        gap = " " * max(1, (width - cell_len(yes) - cell_len(no)) // 3)
        text = Text(no_wrap=True, end="")
        lines = self._lines()
        for index, line in enumerate(lines):
            line.rstrip()
            line.pad_right(width - line.cell_len)
            text.append_text(line)
            if index < len(lines) - 1:
                text.append("\n")
        text.append("\n\n" + gap)
        text.append(yes, style="reverse bold" if self._yes_highlighted else "")
        text.append(gap)
        text.append(no, style="" if self._yes_highlighted else "reverse bold")
        return text
