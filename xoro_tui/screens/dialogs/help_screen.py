"""Every key of the screen underneath, the table and the app, as plain text, read from the
action registry with the keys the user has now (a remapped key shows as remapped)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.actions import parse
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from xoro_tui.actions.action import Action
from xoro_tui.actions.registry import (
    action,
    actions_of,
    bindings,
    enabled,
    key_names,
    keymap_of,
    keys_now,
    scopes_of,
)
from xoro_tui.widgets.virtual_table import VirtualTable


def _actions(owner: object, scopes: Iterable[str]) -> list[Action]:
    """The key actions of ``scopes`` (bases first), without those ``owner``'s
    ``check_action`` disables (a Centre that reuses a key for something else says so)."""
    return [a for scope in scopes for a in actions_of(scope) if not a.menu and enabled(owner, a)]


def _table_actions(table: VirtualTable) -> list[Action]:
    """Every key of the table the screen gives a meaning (whether rows are there or not)."""
    off = set(getattr(table, "disabled_actions", ()) or ())
    return [a for a in actions_of("VirtualTable") if parse(a.handler)[1] not in off]


def _keys(action_id: str, keymap: Mapping[str, str]) -> str:
    entry = action(action_id)
    return key_names(keys_now(entry, keymap)) if entry else ""


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("HelpScreen")

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        keymap = keymap_of(self.app)
        text = Text()
        title = getattr(self.under, "title", None) or "This screen"
        sections: list[tuple[str, list[Action]]] = [
            (title, _actions(self.under, scopes_of(type(self.under))))
        ]
        tables = self.under.query(VirtualTable)
        if tables:  # a form or dialog has no table's keys
            sections.append(("Table", _table_actions(tables.first())))
        sections.append(("Everywhere", _actions(self.app, scopes_of(type(self.app)))))
        for heading, entries in sections:
            text.append(f"{heading}\n", style="bold")
            seen: set[str] = set()
            for entry in entries:
                if entry.handler in seen or not entry.label:
                    continue
                seen.add(entry.handler)
                text.append(f"  {key_names(keys_now(entry, keymap)):<22} {entry.label}\n")
            text.append("\n")
        menu = _keys("table.menu", keymap)
        text.append(f"Row menu keys: {menu}, Menu, shift+F10 (f20/f22), right-click\n")
        if tables:
            text.append(
                f"Jump: {_keys('table.jump', keymap)} then letters goes to the first row whose "
                f"sorted (text) column starts with them;\n  {_keys('table.goto_row', keymap)} "
                "then a number goes to that row. Key columns: k in the column picker "
                f"({_keys('list.columns', keymap)}).\n"
            )
        text.append("Help: ? or F1; in a text field F1 or ctrl+o. Escape or ctrl+g closes.\n")
        text.append(
            f"Keys are yours to remap: {_keys('list.settings', keymap)} in a list, then Keys.\n"
        )
        with VerticalScroll(id="help-body"):
            yield Static(text, markup=False)


def toggle_help(app: App[Any]) -> None:
    """Help for the screen or dialog on top; asked again, help closes."""
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss()
    else:
        app.push_screen(HelpScreen(app.screen))
