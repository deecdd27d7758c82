"""A refund account's cheque layout (admin): the stock, its paper and each field's offset in
mm; and the alignment test page, which anyone may print (here and before printing cheques).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.refunds import cheque_layouts
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.write_worker import run_write
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import plain, safe_text

PAPER_CHOICES = (("As printed (the settings' page size)", ""), ("Letter", "Letter"), ("A4", "A4"))


def print_alignment(
    screen: Screen,
    accounts: Sequence[str] = (),
    page_size: str = "Letter",
    layouts: Sequence[cheque_layouts.ChequeLayout] = (),
) -> None:
    """Write the alignment page of ``accounts`` (their saved layouts) or of ``layouts``
    off the UI thread, then show the print dialog."""
    names = list(dict.fromkeys(a for a in accounts if a))
    if not names and not layouts:
        screen.notify("No refund account to print a test page for", severity="warning")
        return
    app = screen.app

    def write(reader: sqlite_utils.Database) -> Path:
        from xoro_tui.documents.cheque import write_alignment
        from xoro_tui.documents.print_data import default_path

        found = list(layouts) or [cheque_layouts.get(reader.conn, a) for a in names]
        tag = found[0].account if len(found) == 1 else f"{len(found)}-accounts"
        out = default_path("cheque-alignment", f"{tag}-{dt.date.today().isoformat()}")
        return write_alignment(found, out, page_size)

    def failed(message: str) -> None:
        app.notify(plain(message), severity="error", markup=False, timeout=8)

    # the app runs it: the page still shows when the dialog that asked has closed
    run_write(app, write, lambda path: _show(app, path), failed, group="alignment",
              errors=(DataError, OSError, ValueError))  # fmt: skip


def _show(app, path: Path) -> None:  # noqa: ANN001 - the App
    from xoro_tui.screens.dialogs.print_dialog import PrintDialog

    note = "Print it on blank paper and hold it over the cheque stock against the light."
    app.push_screen(PrintDialog(path, "Cheque alignment test page", [note]))


class ChequeLayoutDialog(Dialog[None]):
    DEFAULT_CSS = """
    ChequeLayoutDialog > Vertical { width: 90%; max-width: 90; max-height: 95%; }
    ChequeLayoutDialog Horizontal { height: auto; }
    ChequeLayoutDialog .lbl { width: 22; }
    ChequeLayoutDialog Select { width: 1fr; }
    ChequeLayoutDialog Input { width: 14; }
    ChequeLayoutDialog VerticalScroll { height: auto; max-height: 12; }
    ChequeLayoutDialog #message { height: auto; }
    """
    BINDINGS = bindings("ChequeLayoutDialog")

    def __init__(self, accounts: list[str], page_size: str = "Letter") -> None:
        super().__init__()
        self.accounts = accounts
        self.page_size = page_size
        self.current: cheque_layouts.ChequeLayout | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Cheque layout"
            with Horizontal():
                yield Label("Refund account", classes="lbl")
                yield Select([(a, a) for a in self.accounts], allow_blank=False, id="account",
                             compact=True)  # fmt: skip
            with Horizontal():
                yield Label("Cheque stock", classes="lbl")
                yield Select([(t, s) for s, t in cheque_layouts.STOCK_TITLES.items()],
                             allow_blank=False, id="stock", compact=True)  # fmt: skip
            with Horizontal():
                yield Label("Paper", classes="lbl")
                yield Select(PAPER_CHOICES, allow_blank=False, id="paper", compact=True)
            yield Label("Move a field: RIGHT,DOWN in mm (negative: left, up); blank: its place")
            with VerticalScroll():
                for name in cheque_layouts.FIELDS:
                    with Horizontal():
                        yield Label(name, classes="lbl")
                        yield Input(placeholder="0,0", id=f"off-{name}", compact=True)
            yield Static("", id="message", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = False
        if not self.accounts:
            self._say("No refund accounts yet", error=True)
            return
        self._load(self.accounts[0])
        self.query_one("#stock", Select).focus()

    def _load(self, account: str) -> None:
        try:
            layout = cheque_layouts.get(xoro_app(self).db.conn, account)
        except DataError as exc:
            self._say(str(exc), error=True)
            return
        self.current = layout
        with self.prevent(Select.Changed):
            self.query_one("#stock", Select).value = layout.stock
            self.query_one("#paper", Select).value = layout.page_size or ""
        for name in cheque_layouts.FIELDS:
            dx, dy = layout.offset(name)
            text = "" if (dx, dy) == (0, 0) else f"{dx:g},{dy:g}"
            self.query_one(f"#off-{name}", Input).value = text
        self._say(cheque_layouts.describe(layout))

    @on(Select.Changed, "#account")
    def _account(self, event: Select.Changed) -> None:
        self._load(str(event.value))

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.set_class(error, "error")
        message.update(safe_text(text))

    def wanted(self) -> cheque_layouts.ChequeLayout:
        """The layout on screen (raises Invalid for an offset that is not two numbers)."""
        assert self.current is not None
        offsets: dict[str, tuple[float, float]] = {}
        for name in cheque_layouts.FIELDS:
            text = self.query_one(f"#off-{name}", Input).value.strip()
            if text:
                offsets[name] = cheque_layouts.parse_offset(f"{name}={text}")[1]
        paper = str(self.query_one("#paper", Select).value) or None
        stock = str(self.query_one("#stock", Select).value)
        return dataclasses.replace(self.current, stock=stock, page_size=paper, offsets=offsets)

    def action_save(self) -> None:
        if self.current is None:
            return
        try:
            saved = cheque_layouts.save(xoro_app(self).db, self.wanted())
        except DataError as exc:
            self._say(str(exc), error=True)
            return
        self.current = saved
        self._say(f"Saved: {cheque_layouts.describe(saved)}")

    def action_test_page(self) -> None:
        """The layout as it is on screen (saved or not), on blank paper."""
        if self.current is None:
            return
        try:
            layout = self.wanted()
        except DataError as exc:
            self._say(str(exc), error=True)
            return
        print_alignment(self, page_size=layout.page_size or self.page_size, layouts=[layout])

    def action_close(self) -> None:
        self.dismiss(None)
