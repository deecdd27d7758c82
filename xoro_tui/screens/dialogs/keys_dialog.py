"""Settings → Keys: every action a user may give other keys, where it applies and its key
now. Enter, then the new key (or type the key's name and Enter); each change is checked
(reserved keys, a key another action holds in the same place: refused with a line naming
it, nothing saved), saved for this login and applied at once."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from xoro_tui.actions.action import Action
from xoro_tui.actions.keymap import KeyRefused, remappable, scope_title
from xoro_tui.actions.registry import action, bindings, scopes_of
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.user_keys import remap, reset_all, reset_key, shown_keys
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.key_catcher import KeyCatcher
from xoro_tui.widgets.virtual_table import VirtualTable

PLACE_WIDTH = 22
LABEL_WIDTH = 30
#: the menus a screen's scope may have, listed with it
MENUS = ("row_menu", "actions_menu")


def nearest_first(entries: list[Action], near: list[str]) -> list[Action]:
    """The actions of the ``near`` scopes first (in that order), then the app's, then
    the rest as declared."""
    rank = {scope: i for i, scope in enumerate([*near, "XoroApp"])}
    order = {id(entry): i for i, entry in enumerate(entries)}
    return sorted(entries, key=lambda a: (rank.get(a.scope, len(rank)), order[id(a)]))


class KeysDialog(Dialog[None]):
    DEFAULT_CSS = """
    KeysDialog > Vertical { width: 80; height: 90%; }
    KeysDialog OptionList { height: 1fr; }
    KeysDialog #about { height: 1; color: $text-muted; }
    KeysDialog #typed-row { height: 1; }
    KeysDialog #typed-row Label { width: auto; margin-right: 1; }
    KeysDialog #key-name { width: 1fr; border: none; height: 1; padding: 0; }
    KeysDialog KeyCatcher { height: 1; display: none; background: $warning 20%; }
    KeysDialog KeyCatcher.-catching { display: block; }
    KeysDialog #message { height: auto; }
    KeysDialog #message.-error { color: $error; }
    """
    BINDINGS = bindings("KeysDialog")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Action] = []
        self._catching: Action | None = None
        self._reset_asked = False

    def compose(self) -> ComposeResult:
        self.entries = nearest_first(remappable(), self._scopes_beneath())
        with Vertical():
            yield Label("Keys (yours alone, kept in the database): Enter, then the new key")
            yield OptionList(*(self._option(a) for a in self.entries), id="keys-list")
            yield Label("", id="about", markup=False)
            with Horizontal(id="typed-row"):
                yield Label("Or type a key name and Enter:")
                yield Input(placeholder="g, G, ctrl+k, f5", id="key-name")
            yield KeyCatcher("", id="catcher", markup=False)
            yield Label("", id="message", markup=False)
        yield KeyBar()

    def _scopes_beneath(self) -> list[str]:
        """The scopes of the screen the user came from (under Settings), its own first."""
        for screen in reversed(self.app.screen_stack):
            if not screen.is_modal:
                own = list(reversed(scopes_of(type(screen))))
                menus = [f"{scope}.{menu}" for scope in own for menu in MENUS]
                table = ["VirtualTable"] if screen.query(VirtualTable) else []
                return [*own[:1], *menus, *own[1:], *table]
        return []

    def _option(self, entry: Action) -> Option:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{scope_title(entry.scope)[:PLACE_WIDTH]:<{PLACE_WIDTH}} ")
        line.append(f"{entry.label[:LABEL_WIDTH]:<{LABEL_WIDTH}} ")
        line.append(shown_keys(self.app, entry), style="bold")
        return Option(line, id=entry.id)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._show_about()

    @property
    def chosen(self) -> Action | None:
        listed = self.query_one(OptionList)
        if listed.highlighted is None:
            return None
        return action(listed.get_option_at_index(listed.highlighted).id or "")

    @on(OptionList.OptionHighlighted)
    def _show_about(self) -> None:
        entry = self.chosen
        about = "" if entry is None else f"{entry.label}: {entry.about}"
        self.query_one("#about", Label).update(about)

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#message", Label)
        message.update(text)
        message.set_class(error, "-error")

    # -- changing one key
    def action_change(self) -> None:
        self._reset_asked = False
        entry = self.chosen
        if entry is None:
            return
        typed = self.query_one("#key-name", Input)
        if self.focused is typed:
            if typed.value.strip():
                self._set(entry, typed.value)
            return
        self._catching = entry
        catcher = self.query_one(KeyCatcher)
        catcher.update(f"Press the new key for {entry.label} ({scope_title(entry.scope)}); "
                       "escape: cancel")  # fmt: skip
        catcher.add_class("-catching")
        catcher.focus()
        self._say("")

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_change()

    @on(KeyCatcher.Caught)
    def _caught(self, event: KeyCatcher.Caught) -> None:
        entry, self._catching = self._catching, None
        self._stop_catching()
        if entry is not None:
            self._set(entry, event.key)

    @on(KeyCatcher.Cancelled)
    def _cancelled(self) -> None:
        self._catching = None
        self._stop_catching()
        self._say("Key unchanged")

    def _stop_catching(self) -> None:
        self.query_one(KeyCatcher).remove_class("-catching")
        self.query_one(OptionList).focus()

    def _set(self, entry: Action, keys: str) -> None:
        try:
            remap(self.app, entry.id, keys)
        except KeyRefused as exc:
            self._say(str(exc), error=True)
            return
        self.query_one("#key-name", Input).value = ""
        self.query_one(OptionList).focus()
        self._refresh_lines()
        self._say(f"{entry.label} ({scope_title(entry.scope)}): {shown_keys(self.app, entry)}")

    def action_default(self) -> None:
        self._reset_asked = False
        entry = self.chosen
        if entry is None:
            return
        try:
            reset_key(self.app, entry.id)
        except KeyRefused as exc:
            self._say(str(exc), error=True)
            return
        self._refresh_lines()
        self._say(f"{entry.label}: {shown_keys(self.app, entry)} (its default)")

    def action_reset_all(self) -> None:
        if not self._reset_asked:
            self._reset_asked = True
            self._say("Every key back to its default? ctrl+r again to do it", error=True)
            return
        self._reset_asked = False
        try:
            reset_all(self.app)
        except KeyRefused as exc:
            self._say(str(exc), error=True)
            return
        self._refresh_lines()
        self._say("Every key is at its default again")

    def _refresh_lines(self) -> None:
        listed = self.query_one(OptionList)
        for entry in self.entries:
            listed.replace_option_prompt(entry.id, self._option(entry).prompt)

    def action_close(self) -> None:
        self.dismiss(None)
