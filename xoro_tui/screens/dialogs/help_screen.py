"""Every key of the screen underneath, the table and the app, as plain text."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.actions import parse
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from xoro_tui.widgets.virtual_table import VirtualTable

_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "plus": "+",
    "asterisk": "*",
    "space": "space",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "colon": ":",
    "apostrophe": "'",
}


def _key_names(keys: str) -> str:
    return ", ".join(_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def _bindings(owner: object) -> list[Binding]:
    """The owner's bindings, subclasses' last, without those its ``check_action`` disables
    (a Centre that reuses a key for something else says so there)."""
    found: list[Binding] = []
    for cls in reversed(type(owner).__mro__):
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and _enabled(owner, item.action):
                found.append(item)
    return found


def _enabled(owner: object, action: str) -> bool:
    check = getattr(owner, "check_action", None)
    if not callable(check):
        return True
    try:
        _, name, parameters = parse(action)
        return check(name, parameters) is not False
    except Exception:  # noqa: BLE001 - a screen half set up, an odd action string: list it
        return True


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,ctrl+g,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        text = Text()
        sections: list[tuple[str, list[Binding]]] = [
            (getattr(self.under, "title", None) or "This screen", _bindings(self.under)),
        ]
        if self.under.query(VirtualTable):  # a form or dialog has no table's keys
            sections.append(("Table", _bindings(VirtualTable.__new__(VirtualTable))))
        sections.append(("Everywhere", _bindings(self.app)))
        for title, bindings in sections:
            text.append(f"{title}\n", style="bold")
            seen: set[str] = set()
            for binding in bindings:
                if binding.action in seen or not binding.description:
                    continue
                seen.add(binding.action)
                text.append(f"  {_key_names(binding.key):<22} {binding.description}\n")
            text.append("\n")
        text.append("Row menu keys: m, Menu, shift+F10 (f20/f22), right-click\n")
        if self.under.query(VirtualTable):
            text.append(
                "Jump: ' then letters goes to the first row whose sorted (text) column starts "
                "with them;\n  : then a number goes to that row. Key columns: k in the "
                "column picker (c).\n"
            )
        text.append("Help: ? or F1; in a text field F1 or ctrl+o. Escape or ctrl+g closes.\n")
        with VerticalScroll(id="help-body"):
            yield Static(text, markup=False)


def toggle_help(app: App[Any]) -> None:
    """Help for the screen or dialog on top; asked again, help closes."""
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss()
    else:
        app.push_screen(HelpScreen(app.screen))
