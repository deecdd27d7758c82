"""A read-only list of results (portal email checks, invitations sent and skipped, undo
reports): plain text, scrollable, closed by Escape or q."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from xoro_tui.actions.registry import bindings
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import plain


class ResultsScreen(Dialog[None]):
    DEFAULT_CSS = """
    ResultsScreen > Vertical { width: 95%; max-width: 120; height: 90%; }
    """
    BINDINGS = bindings("ResultsScreen")

    def __init__(self, title: str, lines: Sequence[str], summary: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.summary = summary

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(plain(self.title_text) + "\n", style="bold")
        if self.summary:
            text.append(plain(self.summary) + "\n")
        text.append("\n")
        for line in self.lines:
            text.append(plain(line) + "\n")
        with Vertical(), VerticalScroll():
            yield Static(text, markup=False, id="results")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
