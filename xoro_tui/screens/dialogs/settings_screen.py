"""Per-user settings, kept in the database: quick-search fields offered, date format,
CSV delimiter, page size, low-bandwidth mode, copying to the terminal's clipboard, and
(ctrl+k) the user's own keys, which the Keys dialog saves and applies itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Select

from xoro_tui.actions.registry import bindings
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.widgets.key_bar import KeyBar

DATE_FORMATS: dict[str, str] = {
    "%Y-%m-%d": "2026-11-23 (ISO)",
    "%d/%m/%Y": "23/11/2026",
    "%m/%d/%Y": "11/23/2026",
    "%d.%m.%Y": "23.11.2026",
}
DEFAULTS: dict[str, Any] = {
    "date_format": "%Y-%m-%d",
    "csv_delimiter": ",",
    "page_size": "Letter",
    "low_bandwidth": False,
    "osc52": False,
}


class SettingsScreen(UnsavedGuard, Dialog[dict[str, Any] | None]):
    """Returns the new settings (``search_fields`` is a list of offered field keys)."""

    DEFAULT_CSS = """
    SettingsScreen > Vertical { width: 70; height: 90%; }
    SettingsScreen Select { width: 40; }
    SettingsScreen #error { color: $error; }
    """
    BINDINGS = bindings("SettingsScreen")

    def __init__(self, search_fields: Mapping[str, str], values: Mapping[str, Any]) -> None:
        super().__init__()
        self.search_fields = dict(search_fields)
        self.values = {**DEFAULTS, **values}

    def compose(self) -> ComposeResult:
        offered = set(self.values.get("search_fields") or self.search_fields)
        with Vertical():
            yield Label("Settings (yours alone, kept in the database)")
            with VerticalScroll():
                yield Label("Quick-search fields offered in the chooser")
                for key, title in self.search_fields.items():
                    if key == "any":
                        continue
                    yield Checkbox(title, value=key in offered, id=f"field-{key}")
                yield Label("Date display format")
                yield Select(
                    [(v, k) for k, v in DATE_FORMATS.items()],
                    value=self.values["date_format"],
                    allow_blank=False,
                    id="date_format",
                )
                yield Label("CSV delimiter (; for Excel where the decimal mark is a comma)")
                yield Select(
                    [("Comma ,", ","), ("Semicolon ;", ";")],
                    value=self.values["csv_delimiter"],
                    allow_blank=False,
                    id="csv_delimiter",
                )
                yield Label("Page size for printing")
                yield Select(
                    [("Letter", "Letter"), ("A4", "A4")],
                    value=self.values["page_size"],
                    allow_blank=False,
                    id="page_size",
                )
                yield Checkbox(
                    "Low-bandwidth mode (from the next start)",
                    value=bool(self.values["low_bandwidth"]),
                    id="low_bandwidth",
                )
                yield Checkbox(
                    "Copy (y, Y) to the terminal's clipboard too (OSC 52; off: to a file only)",
                    value=bool(self.values["osc52"]),
                    id="osc52",
                )
            yield Label("", id="error")
            yield InlineConfirm(id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Keys…", id="keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.mark_unchanged()

    def action_save(self) -> None:
        fields = [
            key
            for key in self.search_fields
            if key != "any" and self.query_one(f"#field-{key}", Checkbox).value
        ]
        result = {
            "search_fields": ["any", *fields],
            "date_format": self.query_one("#date_format", Select).value,
            "csv_delimiter": self.query_one("#csv_delimiter", Select).value,
            "page_size": self.query_one("#page_size", Select).value,
            "low_bandwidth": self.query_one("#low_bandwidth", Checkbox).value,
            "osc52": self.query_one("#osc52", Checkbox).value,
        }
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.ask_before_closing()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#keys")
    def action_keys(self) -> None:
        from xoro_tui.screens.dialogs.keys_dialog import KeysDialog

        self.app.push_screen(KeysDialog())
