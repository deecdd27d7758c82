"""A form's question line: what to do with unsaved changes, and its yes / no questions.

Hidden until asked. Two kinds of question:

- :meth:`InlineConfirm.ask_unsaved`, what to do with unsaved changes: Save, Discard or Keep
  editing, on one line inside the form (no extra screen, so no full repaint on a slow
  link); focus starts on "Keep editing". Keys: ``s`` save; ``d`` discard; ``k``, Escape or
  ctrl+g keep editing. Left / right move between the buttons, Enter presses one.
- :meth:`InlineConfirm.ask`, yes / no: asked by the app's one yes / no prompt
  (:class:`~xoro_tui.widgets.prompt.ConfirmPrompt`, the screen's, see
  :func:`~xoro_tui.widgets.prompt.screen_prompt`), so it looks and answers as every other
  yes / no question: ``y`` yes; ``n``, Escape or ctrl+g no; Enter the highlighted choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Label

from xoro_tui.actions.registry import bindings
from xoro_tui.widgets.prompt import ConfirmPrompt, screen_prompt
from xoro_tui.widgets.safe_text import safe_text

Choice = Literal["save", "discard", "keep"]
#: the question of :meth:`InlineConfirm.ask_unsaved`; with its three buttons it takes 59
#: cells, so it fits whole in the narrowest form at 80 columns
UNSAVED_QUESTION = "Unsaved changes:"


class InlineConfirm(Horizontal):
    DEFAULT_CSS = """
    InlineConfirm { display: none; height: 1; background: $warning 20%; }
    InlineConfirm.-open { display: block; }
    InlineConfirm #confirm-question { width: 1fr; }
    InlineConfirm Button { margin-left: 1; min-width: 8; }
    """
    BINDINGS = bindings("InlineConfirm")

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._on_choice: dict[Choice, Callable[[], object]] = {}
        self._return_to: Widget | None = None
        #: the prompt that asks this form's yes / no questions (once one was asked)
        self._yes_no: ConfirmPrompt | None = None

    @property
    def is_open(self) -> bool:
        """Asking: the unsaved-changes question or a yes / no one."""
        return self.asks_unsaved or (self._yes_no is not None and self._yes_no.is_open)

    @property
    def asks_unsaved(self) -> bool:
        """Open with the Save / Discard / Keep editing question."""
        return self.has_class("-open")

    def compose(self) -> ComposeResult:
        yield Label("", id="confirm-question", markup=False)
        yield Button("Save (s)", id="confirm-save", compact=True, action="choose('save')")
        yield Button("Discard (d)", id="confirm-discard", compact=True, action="choose('discard')")
        yield Button("Keep editing (esc)", id="confirm-keep", compact=True, action="choose('keep')")

    def ask(self, question: str, on_yes: Callable[[], object]) -> None:
        """Ask ``question`` on the screen's yes / no prompt; ``on_yes`` runs on yes, and
        the focus goes back where it was either way."""
        self._yes_no = screen_prompt(self.screen)
        self._yes_no.ask(question, lambda yes: on_yes() if yes else None)

    def ask_unsaved(
        self,
        on_save: Callable[[], object],
        on_discard: Callable[[], object],
        question: str = UNSAVED_QUESTION,
    ) -> None:
        """Save, Discard or Keep editing: ``on_save`` or ``on_discard`` runs for the first
        two; Keep editing puts the focus back where it was."""
        if not self.asks_unsaved:
            self._return_to = self.screen.focused
        self._on_choice = {"save": on_save, "discard": on_discard}
        self.query_one("#confirm-question", Label).update(safe_text(question))
        self.add_class("-open")
        self.refresh_bindings()
        self.call_after_refresh(self.query_one("#confirm-keep", Button).focus)

    def action_other(self, step: int = 1) -> None:
        """Left / right move between the buttons (never out of the question)."""
        buttons = list(self.query(Button).results(Button))
        at = next((i for i, b in enumerate(buttons) if b.has_focus), 0)
        buttons[(at + step) % len(buttons)].focus()

    def _close(self) -> None:
        self.remove_class("-open")
        back, self._return_to = self._return_to, None
        if back is not None and back.is_attached:
            back.focus()

    def action_answer(self, yes: bool) -> None:
        """Answer the question open: a yes / no one, or (Escape, ctrl+g) keep editing."""
        if self._yes_no is not None and self._yes_no.is_open:
            self._yes_no.answer(yes)
        elif self.asks_unsaved:
            self.action_choose("keep")

    def action_choose(self, choice: Choice) -> None:
        if not self.asks_unsaved:
            return
        callbacks, self._on_choice = self._on_choice, {}
        self._close()
        self.refresh_bindings()
        callback = callbacks.get(choice)
        if callback is not None:
            callback()
