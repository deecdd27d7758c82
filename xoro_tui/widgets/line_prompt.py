"""A one-line question at the foot of a list: "Go to row:", "Jump to Customer Name:",
"Copy the cell to file:". Drawn on the overlay layer like :class:`ConfirmPrompt`, it never
takes focus: the table feeds it keys while it is open (see :mod:`overlay`).

Keys: any printable character is typed; Backspace deletes one, ctrl+u all; Enter answers;
Escape or ctrl+g cancel. ``on_change`` hears every edit (the jump follows the letters as
they are typed); ``note`` shows a short remark after the text ("no row starts with zz").
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text

from xoro_tui.widgets._table_layout import fit
from xoro_tui.widgets.overlay import KeyOverlay
from xoro_tui.widgets.safe_text import plain

Answer = Callable[[str], object]


class LinePrompt(KeyOverlay):
    DEFAULT_CSS = """
    LinePrompt { background: $panel; color: $foreground; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = ""
        self.value = ""
        self.note = ""
        self.hint = ""
        self._allowed: Callable[[str], bool] | None = None
        self._on_submit: Answer | None = None
        self._on_change: Answer | None = None
        self._on_cancel: Callable[[], object] | None = None

    def ask(
        self,
        label: str,
        on_submit: Answer,
        *,
        value: str = "",
        on_change: Answer | None = None,
        on_cancel: Callable[[], object] | None = None,
        allowed: Callable[[str], bool] | None = None,
        hint: str = "Enter: go  Esc: cancel",
    ) -> None:
        """Show ``label`` and a text to type; ``allowed`` says which characters count."""
        self.label, self.value, self.note, self.hint = label, value, "", hint
        self._on_submit, self._on_change, self._on_cancel = on_submit, on_change, on_cancel
        self._allowed = allowed
        width, height = self.screen.size
        self.styles.width = width
        self._show(0, max(0, height - 2))

    def set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            self.refresh()

    def take_key(self, key: str, character: str | None = None) -> bool:
        if not self.is_open:
            return False
        if key in ("escape", "ctrl+g"):
            self._hide()
            if self._on_cancel is not None:
                self._on_cancel()
        elif key == "enter":
            self._hide()
            if self._on_submit is not None:
                self._on_submit(self.value)
        elif key in ("backspace", "ctrl+h", "ctrl+u"):
            if self.value:
                self.value = "" if key == "ctrl+u" else self.value[:-1]
                self._changed()
        elif self._typed(character):
            self.value += str(character)
            self._changed()
        return True

    def _typed(self, character: str | None) -> bool:
        """A printable character this prompt takes."""
        if character is None or len(character) != 1 or not character.isprintable():
            return False
        return self._allowed is None or bool(self._allowed(character))

    def _changed(self) -> None:
        self.note = ""
        self.refresh()
        if self._on_change is not None:
            self._on_change(self.value)

    def click_outside(self) -> None:
        self.take_key("escape")

    def render(self) -> Text:
        width = self.screen.size.width if self.is_attached else 80
        text = Text(no_wrap=True, end="")
        text.append(f" {plain(self.label)} ", style="bold")
        text.append(plain(self.value) + "█")
        tail = f"  {plain(self.note)}" if self.note else ""
        tail += f"  ({self.hint})" if self.hint else ""
        room = width - text.cell_len
        text.append(fit(tail, room) if room > 0 else "")
        if text.cell_len < width:
            text.append(" " * (width - cell_len(text.plain)))
        return text
