"""A question inside a form, on one line (no extra screen, so no full repaint on a slow link).

Hidden until asked. Two kinds of question:

- :meth:`InlineConfirm.ask`, yes / no: focus starts on "No". Keys: ``y`` yes; ``n``,
  Escape or ctrl+g no.
- :meth:`InlineConfirm.ask_unsaved`, what to do with unsaved changes: Save, Discard or Keep
  editing; focus starts on "Keep editing". Keys: ``s`` save; ``d`` discard; ``k``, Escape
  or ctrl+g keep editing.

Left / right move between the buttons shown, Enter presses one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Label

from xoro_tui.widgets.safe_text import safe_text

Choice = Literal["save", "discard", "keep"]
#: the question of :meth:`InlineConfirm.ask_unsaved`; with its three buttons it takes 59
#: cells, so it fits whole in the narrowest form at 80 columns
UNSAVED_QUESTION = "Unsaved changes:"
_YES_NO = ("confirm-yes", "confirm-no")
_UNSAVED = ("confirm-save", "confirm-discard", "confirm-keep")


class InlineConfirm(Horizontal):
    DEFAULT_CSS = """
    InlineConfirm { display: none; height: 1; background: $warning 20%; }
    InlineConfirm.-open { display: block; }
    InlineConfirm #confirm-question { width: 1fr; }
    InlineConfirm Button { margin-left: 1; min-width: 8; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "no", "No", id="confirm.no"),
        Binding("escape,ctrl+g", "answer(False)", show=False, id="confirm.back"),
        Binding("s", "choose('save')", "Save", id="confirm.save"),
        Binding("d", "choose('discard')", "Discard", id="confirm.discard"),
        Binding("k", "choose('keep')", "Keep editing", id="confirm.keep"),
        Binding("left", "other(-1)", show=False),
        Binding("right", "other(1)", show=False),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._on_yes: Callable[[], object] | None = None
        self._on_choice: dict[Choice, Callable[[], object]] = {}
        self._return_to: Widget | None = None
        self._unsaved = False

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def asks_unsaved(self) -> bool:
        """Open with the Save / Discard / Keep editing question."""
        return self.is_open and self._unsaved

    def compose(self) -> ComposeResult:
        yield Label("", id="confirm-question", markup=False)
        yield Button("Yes (y)", id="confirm-yes", compact=True, action="answer(True)")
        yield Button("No (n)", id="confirm-no", compact=True, action="answer(False)")
        yield Button("Save (s)", id="confirm-save", compact=True, action="choose('save')")
        yield Button("Discard (d)", id="confirm-discard", compact=True, action="choose('discard')")
        yield Button("Keep editing (esc)", id="confirm-keep", compact=True, action="choose('keep')")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys of the question asked are live (and shown in the key bar)."""
        if action == "choose":
            return self._unsaved
        if action == "no" or (action == "answer" and parameters == (True,)):
            return not self._unsaved
        return True

    def ask(self, question: str, on_yes: Callable[[], object]) -> None:
        """Show ``question``; ``on_yes`` runs on yes, focus goes back on no."""
        self._open(question, unsaved=False)
        self._on_yes = on_yes
        self.call_after_refresh(self.query_one("#confirm-no", Button).focus)

    def ask_unsaved(
        self,
        on_save: Callable[[], object],
        on_discard: Callable[[], object],
        question: str = UNSAVED_QUESTION,
    ) -> None:
        """Save, Discard or Keep editing: ``on_save`` or ``on_discard`` runs for the first
        two; Keep editing puts the focus back where it was."""
        self._open(question, unsaved=True)
        self._on_choice = {"save": on_save, "discard": on_discard}
        self.call_after_refresh(self.query_one("#confirm-keep", Button).focus)

    def _open(self, question: str, *, unsaved: bool) -> None:
        self._unsaved = unsaved
        if not self.is_open:
            self._return_to = self.screen.focused
        for button in self.query(Button).results(Button):
            button.display = (button.id in _UNSAVED) == unsaved
        self.query_one("#confirm-question", Label).update(safe_text(question))
        self.add_class("-open")
        self.refresh_bindings()

    def action_other(self, step: int = 1) -> None:
        """Left / right move between the buttons shown (never out of the question)."""
        shown = [b for b in self.query(Button).results(Button) if b.display]
        if not shown:
            return
        at = next((i for i, b in enumerate(shown) if b.has_focus), 0)
        shown[(at + step) % len(shown)].focus()

    def _close(self) -> None:
        self.remove_class("-open")
        back, self._return_to = self._return_to, None
        if back is not None and back.is_attached:
            back.focus()

    def action_answer(self, yes: bool) -> None:
        if not self.is_open:
            return
        if self._unsaved:  # n, Escape and ctrl+g: keep editing
            self.action_choose("keep")
            return
        callback, self._on_yes = self._on_yes, None
        self._close()
        if yes and callback is not None:
            callback()

    def action_no(self) -> None:
        self.action_answer(False)

    def action_choose(self, choice: Choice) -> None:
        if not self.is_open or not self._unsaved:
            return
        callbacks, self._on_choice = self._on_choice, {}
        self._unsaved = False
        self._close()
        self.refresh_bindings()
        callback = callbacks.get(choice)
        if callback is not None:
            callback()
