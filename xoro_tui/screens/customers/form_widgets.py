"""The customer form's widgets: one-line field rows, their error lines, the tab body that
moves between fields with up / down, and the suggesters for lookup and ``a|b|c`` fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester, SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from xoro_tui.actions.registry import bindings
from xoro_tui.data.models.choices import PortalStatus
from xoro_tui.screens.customers.form_fields import (
    DATE,
    FLAG,
    LOOKUP,
    MANDATE,
    MULTI,
    PORTAL,
    FieldSpec,
    error_id,
    flag_label,
    input_id,
    mandate_options,
)
from xoro_tui.widgets.toggles import Check


class FieldScroll(VerticalScroll):
    """A tab's fields: up / down move between fields (not scroll); scrolling follows focus."""

    BINDINGS = bindings("FieldScroll")


class SuggestLastValue(Suggester):
    """Completes the value after the last ``|`` of an ``a|b|c`` field, in its stored spelling."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(case_sensitive=True)
        self._names = [(n.casefold(), n) for n in names]

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition("|")
        typed = last.strip().casefold()
        if not typed:
            return None
        for folded, name in self._names:
            if folded.startswith(typed) and folded != typed:
                lead = last[: len(last) - len(last.lstrip())]
                return f"{head}{sep}{lead}{name}"
        return None


def field_widget(spec: FieldSpec, suggestions: Mapping[str, list[str]]) -> Widget:
    """The editing widget of one field (ids ``field-<name>``); values are loaded later."""
    wid = input_id(spec.name)
    if spec.kind == FLAG:
        return Check(flag_label(False), id=wid, compact=True)
    if spec.kind == PORTAL:
        options = [(p.value, p.value) for p in PortalStatus]
        return Select(options, id=wid, compact=True, prompt="(none)")
    if spec.kind == MANDATE:
        return Select(mandate_options(None), id=wid, compact=True, prompt="(none)")
    suggester: Suggester | None = None
    if spec.kind == LOOKUP and suggestions.get(spec.name):
        suggester = SuggestFromList(suggestions[spec.name], case_sensitive=False)
    elif spec.kind == MULTI and suggestions.get(spec.name):
        suggester = SuggestLastValue(suggestions[spec.name])
    placeholder = {DATE: "YYYY-MM-DD", MULTI: "a|b|c"}.get(spec.kind, "")
    return Input(id=wid, compact=True, suggester=suggester, placeholder=placeholder)


def field_rows(spec: FieldSpec, suggestions: Mapping[str, list[str]]) -> Iterable[Widget]:
    """A one-line row (constant label + widget) and its error line below it."""
    yield Horizontal(
        Label(spec.label, classes="field-label"),
        field_widget(spec, suggestions),
        classes="field-row",
    )
    yield Label("", id=error_id(spec.name), classes="error", markup=False)
