"""Small helpers every modal form uses: errors under fields, no blinking cursors, a labelled row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from xoro_tui.widgets.safe_text import safe_text


def field_row(label: str, widget: Widget, field: str) -> ComposeResult:
    """A label, the input, and an (empty) error line below it with id ``error-<field>``."""
    with Vertical(classes="field", id=f"row-{field}"):
        yield Label(label, classes="field-label")
        yield widget
        yield Label("", classes="error", id=f"error-{field}")


def show_errors(screen: Screen, errors: Iterable[tuple[str, str]]) -> str | None:
    """Put each reason under its field; return the first field that had an error."""
    clear_errors(screen)
    first: str | None = None
    for field, reason in errors:
        found = screen.query(f"#error-{field}")
        if found:
            found.first(Label).update(safe_text(reason))
        else:
            general = screen.query("#error-form")
            if general:
                general.first(Label).update(safe_text(f"{field}: {reason}"))
        if first is None:
            first = field
    if first:
        target = screen.query(f"#{first}")
        if target:
            target.first().focus()
    return first


def recheck_field(screen: Screen, field: str, errors: Mapping[str, str]) -> None:
    """A shown error of ``field`` follows its new value: ``errors`` (the model's check of the
    input now) gives the new reason, or none and it goes."""
    found = screen.query(f"#error-{field}")
    if not found or field == "form":
        return
    label = found.first(Label)
    if str(label.content):
        label.update(safe_text(errors.get(field, "")))


def clear_errors(screen: Screen) -> None:
    for label in screen.query("Label.error").results(Label):
        label.update("")


def stop_blinking(screen: Screen) -> None:
    """No cursor blink anywhere: a blinking cursor writes bytes all the time."""
    for field in screen.query(Input):
        field.cursor_blink = False


def values_of(screen: Screen, fields: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for field in fields:
        found = screen.query(f"#{field}")
        if found:
            widget = found.first()
            value = getattr(widget, "value", None)
            blank = isinstance(widget, Select) and value is Select.NULL
            out[field] = "" if value is None or blank else str(value)
    return out


def fill(screen: Screen, values: Mapping[str, object]) -> None:
    for field, value in values.items():
        found = screen.query(f"#{field}")
        if found and value is not None:
            widget = found.first()
            if isinstance(widget, Input):
                widget.value = str(value)


def stale_lines(
    titles: Mapping[str, str],
    opened: Mapping[str, object],
    theirs: Mapping[str, object],
    yours: Mapping[str, object],
) -> list[str]:
    """One line per field someone else changed since the form opened: their value and the
    one in the form now (``(empty)`` for nothing), in the form's order."""

    def shown(value: object) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        text = "" if value is None else str(value)
        return text if text.strip() else "(empty)"

    return [
        f"{title}: theirs {shown(theirs.get(field))} · yours {shown(yours.get(field))}"
        for field, title in titles.items()
        if shown(theirs.get(field)) != shown(opened.get(field))
    ]
