"""The app's one yes / no question, drawn on the overlay layer.

Every yes / no question in the app is this prompt, so every one looks and answers the
same: ``y`` yes; ``n``, ``q``, Escape or ctrl+g no; left / right / tab move between the
two choices and Enter picks the highlighted one, which starts on "No" unless
``default_yes``. The question wraps to the prompt's width, so it is whole at 80x24.

Two ways to feed it keys:

- on a list, mounted once like :class:`RowMenu` and fed keys by the focused table
  (``table.attach_overlay(prompt)``, see :mod:`overlay`): it never takes focus;
- anywhere else (a form, Customer Info), :func:`screen_prompt` gives the screen's prompt,
  mounting one made with ``takes_focus=True``: it takes the focus while it asks and gives
  it back when answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

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

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, takes_focus: bool = False
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._question = Text()
        self._yes_highlighted = False
        self._callback: AnswerCallback | None = None
        self.token: object = None
        self.takes_focus = takes_focus
        #: the widget that had the focus before a ``takes_focus`` prompt took it
        self._return_to: Widget | None = None

    @property
    def focusable(self) -> bool:
        """A ``takes_focus`` prompt can be focused while it asks (even before it is shown:
        a key typed at once is already its own)."""
        return self.takes_focus and self.is_open

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
        if self.takes_focus and not self.is_open:
            self._return_to = self.screen.focused
        self._question = safe_text(question)
        self._callback = on_answer
        self.token = token
        self._yes_highlighted = default_yes
        width = self._inner_width() + 4
        height = len(self._lines()) + 4
        screen_w, screen_h = self.screen.size
        self._show(max(0, (screen_w - width) // 2), max(0, (screen_h - height) // 2))
        if self.takes_focus:
            self.focus(scroll_visible=False)

    def answer(self, yes: bool) -> None:
        if not self.is_open:
            return
        self._hide()
        back, self._return_to = self._return_to, None
        if back is not None and back.is_attached:
            back.focus(scroll_visible=False)
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

    def on_key(self, event: events.Key) -> None:
        """A ``takes_focus`` prompt gets its keys itself; no key reaches the screen below."""
        if self.is_open:
            event.stop()
            event.prevent_default()
            self.take_key(event.key, event.character)

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


def screen_prompt(screen: Screen[Any]) -> ConfirmPrompt:
    """``screen``'s yes / no prompt: the one it has, else one mounted now that takes the
    focus while it asks (a screen with no table to feed it keys)."""
    found = screen.query(ConfirmPrompt)
    if found:
        return found.first()
    prompt = ConfirmPrompt(takes_focus=True)
    screen.mount(prompt)
    return prompt
