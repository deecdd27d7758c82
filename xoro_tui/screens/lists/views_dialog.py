"""Name a view to save, or pick a saved view to switch to."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.ui_settings import BUILTIN_VIEW, DEFAULT_VIEW, SettingsRepository
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.prompt import ConfirmPrompt, screen_prompt
from xoro_tui.widgets.safe_text import safe_text


class SaveViewDialog(Dialog[str | None]):
    """Enter saves under the typed name; Escape or ctrl+g cancel."""

    DEFAULT_CSS = """
    SaveViewDialog > Vertical { width: 60; max-height: 80%; }
    SaveViewDialog #error { color: $error; }
    """
    BINDINGS = bindings("SaveViewDialog")

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
        problem = name_problem(name)
        if problem:
            self.query_one("#error", Label).update(problem)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a view, or None."""
    if not name or len(name) > 60 or any(ord(c) < 32 for c in name) or "/" in name:
        return "A name of 1 to 60 characters, without / or control characters"
    if name == BUILTIN_VIEW:
        return f"{BUILTIN_VIEW} is the list's own layout: choose another name"
    return None


class ChooseView(Dialog[str | None]):
    """Pick a view; Enter switches (``Default``, always last, is the list's own layout).

    ``r`` renames the highlighted saved view, ``d`` (or Delete) deletes it after a yes,
    ``o`` makes it the one the list opens with. Changes are kept at once."""

    DEFAULT_CSS = """
    ChooseView > Vertical { width: 60; max-height: 80%; }
    ChooseView #rename { display: none; }
    ChooseView #note { color: $text-muted; }
    ChooseView #error { color: $error; }
    """
    BINDINGS = bindings("ChooseView")

    def __init__(
        self,
        names: Sequence[str],
        active: str | None,
        repo: SettingsRepository | None = None,
        screen_key: str = "",
    ) -> None:
        super().__init__()
        self.names = list(names)
        self.active = active
        self.repo = repo
        self.screen_key = screen_key

    @property
    def default(self) -> str | None:
        return self.repo.default_view(self.screen_key) if self.repo else None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Switch to a view (r rename, d delete, o opens first)")
            yield OptionList(id="views")
            yield Input(id="rename", placeholder="new name")
            yield Label("", id="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()
        rename = self.query_one("#rename", Input)
        rename.cursor_blink = False
        self.query_one(OptionList).focus()

    def _fill(self, highlight: str | None = None) -> None:
        options = self.query_one(OptionList)
        default = self.default
        entries = [*self.names, BUILTIN_VIEW]
        options.clear_options()
        current = self.active if self.active in self.names else BUILTIN_VIEW
        for i, name in enumerate(entries):
            mark = "● " if name == current else "  "
            suffix = "  (opens first)" if name == default else ""
            options.add_option(Option(safe_text(mark + name + suffix), id=str(i)))
        options.highlighted = entries.index(highlight) if highlight in entries else 0

    def _highlighted(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        entries = [*self.names, BUILTIN_VIEW]
        return entries[index] if index is not None and 0 <= index < len(entries) else None

    def _error(self, text: str) -> None:
        self.query_one("#error", Label).update(safe_text(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rename and Delete are offered for saved views only, not for Default; Opens first
        for a view that does not already; none of the view keys while a new name is typed
        or a deletion asked (None: not now)."""
        if action in ("rename", "delete", "make_default") and self.is_mounted and self._asking():
            return None
        if action in ("rename", "delete"):
            return self.is_mounted and self._highlighted() not in (None, BUILTIN_VIEW)
        if action == "make_default" and self.is_mounted:  # not for the one that already does
            return None if self._highlighted() == (self.default or BUILTIN_VIEW) else True
        return True

    def _asking(self) -> bool:
        """A new name is being typed, or "Delete the view …?" waits for its answer."""
        prompts = self.query(ConfirmPrompt)
        return bool(self.query_one("#rename", Input).display) or any(p.is_open for p in prompts)

    @on(OptionList.OptionHighlighted)
    def _highlight_moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        entries = [*self.names, BUILTIN_VIEW]
        self.dismiss(entries[int(event.option.id or 0)])

    def action_rename(self) -> None:
        name = self._highlighted()
        if name is None or name == BUILTIN_VIEW or self.repo is None:
            self._error(f"{BUILTIN_VIEW} is the list's own layout: it keeps its name")
            return
        field = self.query_one("#rename", Input)
        field.value = name
        field.display = True
        field.focus()
        self._error(f"New name for {name!r}, Enter keeps it")

    @on(Input.Submitted, "#rename")
    def _renamed(self, event: Input.Submitted) -> None:
        old = self._highlighted()
        new = event.value.strip()
        if old is None or self.repo is None:
            return
        if new != old:
            problem = name_problem(new)
            if problem:
                self._error(problem)
                return
            try:
                self.repo.rename_view(self.screen_key, old, new)
            except DataError as exc:
                self._error(str(exc))
                return
            self.names = sorted(new if n == old else n for n in self.names)
            if self.active == old:
                self.active = new
        event.input.display = False
        self._fill(new)
        self.query_one(OptionList).focus()
        self._error(f"Renamed {old!r} to {new!r}" if new != old else "")

    def action_delete(self) -> None:
        name = self._highlighted()
        if name is None or name == BUILTIN_VIEW or self.repo is None:
            self._error(f"{BUILTIN_VIEW} is the list's own layout: it cannot be deleted")
            return
        repo = self.repo

        def answer(yes: bool) -> None:
            if not yes:
                self._error("Not deleted")
                return
            repo.delete_view(self.screen_key, name)
            self.names.remove(name)
            if self.active == name:
                self.active = None
            self._fill()
            self._error(f"Deleted {name!r}")

        self._error("")
        screen_prompt(self).ask(f"Delete the view {name!r}?", answer)

    def action_make_default(self) -> None:
        name = self._highlighted()
        if name is None or self.repo is None:
            return
        self.repo.put(self.screen_key, DEFAULT_VIEW, name)
        self._fill(name)
        self._error(f"The list opens with {name!r}")
        self.refresh_bindings()

    def action_cancel(self) -> None:
        field = self.query_one("#rename", Input)
        if field.display:
            field.display = False
            self.query_one(OptionList).focus()
            self._error("")
            return
        self.dismiss(None)
