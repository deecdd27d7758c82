"""A yes / no question inside a form (no extra screen, so no full repaint on a slow link).

Hidden until :meth:`InlineConfirm.ask`; then it takes focus on "No". Keys: ``y`` yes;
``n`` or Escape no; left / right move between the buttons, Enter presses one.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Label

from xoro_tui.widgets.safe_text import safe_text


class InlineConfirm(Horizontal):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape,ctrl+g", "answer(False)", "No", id="confirm.no"),
        Binding("left,right", "other", show=False),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._on_yes: Callable[[], object] | None = None
        self._return_to: Widget | None = None

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def compose(self) -> ComposeResult:
        yield Label("", id="confirm-question", markup=False)
        yield Button("Yes (y)", id="confirm-yes", compact=True, action="answer(True)")
        yield Button("No (n)", id="confirm-no", compact=True, action="answer(False)")

    def ask(self, question: str, on_yes: Callable[[], object]) -> None:
        """Show ``question``; ``on_yes`` runs on yes, focus goes back on no."""
        self._on_yes = on_yes
        self._return_to = self.screen.focused
        self.query_one("#confirm-question", Label).update(safe_text(question))
        self.add_class("-open")
        self.call_after_refresh(self.query_one("#confirm-no", Button).focus)

    def action_other(self) -> None:
        """Left / right switch between the two buttons (never out of the question)."""
        yes = self.query_one("#confirm-yes", Button)
        (self.query_one("#confirm-no", Button) if yes.has_focus else yes).focus()

    def action_answer(self, yes: bool) -> None:
        if not self.is_open:
            return
        callback, self._on_yes = self._on_yes, None
        self.remove_class("-open")
        back, self._return_to = self._return_to, None
        if back is not None and back.is_attached:
            back.focus()
        if yes and callback is not None:
            callback()
