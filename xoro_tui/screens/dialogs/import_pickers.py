"""The Import screen's two small dialogs: which field a column gives, and a mapping's name."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.transfer.mapping import IGNORE, norm
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text


class FieldPicker(Dialog[str | None]):
    """Type to narrow the fields, ↑↓ to choose, Enter to take one; Escape leaves it."""

    DEFAULT_CSS = """
    FieldPicker > Vertical { width: 70; max-width: 100%; height: 80%; }
    FieldPicker OptionList { height: 1fr; }
    """
    BINDINGS = bindings("ImportFieldPicker")

    def __init__(
        self,
        header: str,
        fields: Sequence[str],
        labels: dict[str, str],
        required: Sequence[str],
        current: str | None,
    ) -> None:
        super().__init__()
        self.header = header
        self.fields = list(fields)
        self.labels = labels
        self.required = set(required)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = safe_text(f"Column {self.header!r} is imported as")
            yield Input(placeholder="type to narrow the list", id="filter", compact=True)
            yield OptionList(id="fields")
            yield Label("Enter takes the highlighted field; ignore leaves the column out")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        self._fill("")
        self.query_one(Input).focus()

    def _entries(self) -> list[tuple[str, str]]:
        out = [(IGNORE, "ignore (leave this column out)")]
        for name in self.fields:
            label = self.labels.get(name)
            text = f"{name} ({label})" if label and norm(label) != norm(name) else name
            if name in self.required:
                text += "  required"
            out.append((name, text))
        return out

    def _fill(self, text: str) -> None:
        wanted = text.strip().casefold()
        options = self.query_one(OptionList)
        options.clear_options()
        chosen = None
        for i, (key, shown) in enumerate(
            e for e in self._entries() if not wanted or wanted in e[1].casefold()
        ):
            options.add_option(Option(safe_text(shown), id=key))
            if key == self.current:
                chosen = i
        if options.option_count:
            options.highlighted = chosen if chosen is not None else 0

    @on(Input.Changed, "#filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event) -> None:  # noqa: ANN001 - a Key event
        """↑↓ and page keys move in the list while the typing stays in the filter."""
        options = self.query_one(OptionList)
        moves = {"up": options.action_cursor_up, "down": options.action_cursor_down,
                 "pageup": options.action_page_up, "pagedown": options.action_page_down}  # fmt: skip
        if event.key in moves and self.focused is self.query_one(Input):
            moves[event.key]()
            event.stop()

    @on(Input.Submitted, "#filter")
    def _take_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


class NameDialog(Dialog[str | None]):
    """One line: a name, Enter keeps it, Escape leaves it."""

    DEFAULT_CSS = """
    NameDialog > Vertical { width: 60; max-width: 100%; }
    """
    BINDINGS = bindings("NameDialog")

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = safe_text(self.title_text)
            yield Input(
                self.value, placeholder="a name, e.g. QuickBooks customers", id="name", compact=True
            )
            yield Label("Enter saves; Escape cancels")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)
