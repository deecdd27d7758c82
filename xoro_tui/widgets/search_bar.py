"""The quick-search row: a field chooser and an input that never blinks."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from xoro_tui.actions.registry import bindings


class SearchInput(Input):
    """An Input whose Escape (or Enter, or Down) hands focus back to the table.

    ``/`` is an ordinary character here: the screen's ``/`` binding is not a priority one.
    """

    BINDINGS = bindings("SearchInput")

    class Done(Message):
        pass

    def on_mount(self) -> None:
        self.cursor_blink = False

    def action_done(self) -> None:
        self.post_message(self.Done())


class SearchBar(Horizontal):
    """Field chooser plus input; the screen listens to ``Input.Changed`` and ``Select.Changed``."""

    DEFAULT_CSS = """
    SearchBar { height: 1; }
    SearchBar Select { width: 24; height: 1; }
    SearchBar SelectCurrent { height: 1; border: none; padding: 0 1; }
    SearchBar SearchInput { width: 1fr; height: 1; border: none; padding: 0 1; }
    """

    def __init__(self, fields: Mapping[str, str], *, placeholder: str, id: str | None = None):
        super().__init__(id=id)
        self._fields = dict(fields)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Select(
            [(title, key) for key, title in self._fields.items()],
            value=next(iter(self._fields)),
            allow_blank=False,
            id="search-field",
            compact=True,
        )
        yield SearchInput(placeholder=self._placeholder, id="search-input", compact=True)

    def set_fields(self, fields: Mapping[str, str]) -> None:
        """Offer only these fields in the chooser (a per-user setting)."""
        self._fields = dict(fields)
        select = self.query_one(Select)
        current = select.value
        select.set_options([(title, key) for key, title in self._fields.items()])
        select.value = current if current in self._fields else next(iter(self._fields))

    @property
    def field(self) -> str:
        value = self.query_one(Select).value
        return str(value) if isinstance(value, str) else "any"

    @field.setter
    def field(self, key: str) -> None:
        if key in self._fields:
            self.query_one(Select).value = key

    @property
    def text(self) -> str:
        return self.query_one(SearchInput).value

    @text.setter
    def text(self, value: str) -> None:
        self.query_one(SearchInput).value = value
