"""Name a view to save, or pick a saved view to switch to."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from xoro_tui.widgets.safe_text import safe_text

_CSS = """
SaveViewDialog, ChooseView { align: center middle; }
SaveViewDialog > Vertical, ChooseView > Vertical {
    width: 60; height: auto; max-height: 80%; border: round $primary;
    background: $surface; padding: 0 1;
}
SaveViewDialog #error { color: $error; }
"""


class SaveViewDialog(ModalScreen[str | None]):
    """Enter saves under the typed name; Escape or ctrl+g cancel."""

    DEFAULT_CSS = _CSS
    BINDINGS = [Binding("escape,ctrl+g", "cancel", "Cancel", id="save_view.cancel")]

    def __init__(self, current: str, existing: Sequence[str]) -> None:
        super().__init__()
        self.current = current
        self.existing = list(existing)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save this layout as a view")
            yield Input(value=self.current, placeholder="view name", id="name")
            if self.existing:
                yield Label(Text("Saved: " + ", ".join(self.existing)), markup=False)
            yield Label("", id="error")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name or len(name) > 60 or any(ord(c) < 32 for c in name) or "/" in name:
            self.query_one("#error", Label).update(
                "A name of 1 to 60 characters, without / or control characters"
            )
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseView(ModalScreen[str | None]):
    """Pick a saved view; Enter switches, Escape or ctrl+g cancel."""

    DEFAULT_CSS = _CSS
    BINDINGS = [Binding("escape,ctrl+g", "cancel", "Cancel", id="choose_view.cancel")]

    def __init__(self, names: Sequence[str], active: str | None) -> None:
        super().__init__()
        self.names = list(names)
        self.active = active

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Switch to a saved view")
            yield OptionList(
                *(
                    Option(safe_text(("● " if n == self.active else "  ") + n), id=str(i))
                    for i, n in enumerate(self.names)
                ),
                id="views",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
