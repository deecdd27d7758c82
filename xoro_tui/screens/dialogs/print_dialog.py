"""After a file is written on the server: fetch it with the scp line shown, email it through
the outbox, and for a PDF send it to a printer the server knows. Only what fits the file
written is offered, named by its type ("email the CSV file to…")."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text

#: how the dialog names a written file by its suffix
FILE_KINDS = {
    ".pdf": "PDF",
    ".csv": "CSV file",
    ".txt": "text file",
    ".docx": "Word document",
    ".xls": "Excel file",
    ".xlsx": "Excel file",
}


def file_kind(path: Path) -> str:
    return FILE_KINDS.get(Path(path).suffix.lower(), "file")


class PrintDialog(Dialog[None]):
    DEFAULT_CSS = """
    PrintDialog > Vertical { width: 100%; max-width: 110; }
    /* a path or command to copy: whole on a line of its own, scrolled sideways if wider */
    PrintDialog .copy { height: auto; overflow-x: auto; overflow-y: hidden; }
    PrintDialog .copy > Static { width: auto; text-wrap: nowrap; }
    PrintDialog #path { text-wrap: nowrap; text-overflow: fold; }
    PrintDialog Horizontal { height: auto; }
    PrintDialog Select { width: 40; }
    PrintDialog Input { width: 50; }
    PrintDialog #result { color: $success; height: auto; }
    """
    BINDINGS = bindings("PrintDialog")

    def __init__(self, path: Path, title: str, notes: list[str] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.title_text = title
        self.notes = notes or []
        #: lp prints PDFs; a spreadsheet or CSV handed to it prints as raw bytes or text
        self.printable = self.path.suffix.lower() == ".pdf"

    def compose(self) -> ComposeResult:
        from xoro_tui.documents.printing import scp_line

        with Vertical() as box:
            box.border_title = safe_text(self.title_text)  # what was written: the path below
            yield Static(safe_text(str(self.path)), markup=False, id="path")
            for note in self.notes:
                yield Static(safe_text(note), markup=False, classes="note")
            yield Label("Fetch it from your own machine with:")
            with ScrollableContainer(classes="copy"):
                yield Static(safe_text(scp_line(self.path)), markup=False, id="scp")
            if self.printable:
                with Horizontal():
                    yield Select([], prompt="looking for printers…", id="printer")
                    yield Button("Print", id="print", disabled=True)
            with Horizontal():
                yield Input(placeholder=f"email the {file_kind(self.path)} to…", id="email")
                yield Button("Email", id="send")
            yield Label("", id="result")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        if self.printable:
            self._find_printers()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.printable if action == "print" else True

    @work(thread=True, exclusive=True, group="printers")
    def _find_printers(self) -> None:
        """``lpstat`` off the UI thread: it may be missing, fail, or wait on a CUPS server."""
        from textual.worker import get_current_worker

        from xoro_tui.documents.printing import printers

        try:
            names = printers()
        except Exception:  # noqa: BLE001 - no printer list is never worth an error
            names = []
        if not get_current_worker().is_cancelled:  # closed while lpstat ran
            self.app.call_from_thread(self._show_printers, names)

    def _show_printers(self, names: list[str]) -> None:
        if not self.is_attached:
            return
        select = self.query_one("#printer", Select)
        select.set_options([(n, n) for n in names])
        select.prompt = "Printer" if names else "no printers known to the server"
        self.query_one("#print", Button).disabled = not names

    def _result(self, text: str, error: bool = False) -> None:
        label = self.query_one("#result", Label)
        label.styles.color = "red" if error else None
        label.update(safe_text(text))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#print")
    def action_print(self) -> None:
        if not self.printable:
            return
        value = self.query_one("#printer", Select).value
        printer = None if value is Select.NULL else str(value)
        self._print(printer)

    @work(thread=True, exclusive=True, group="print")
    def _print(self, printer: str | None) -> None:
        app = self.app  # kept: after a hang-up the screen is gone before this ends
        from xoro_tui.documents.printing import print_file

        try:
            message = print_file(self.path, printer)
        except DataError as exc:
            app.call_from_thread(self._result, str(exc), True)
            return
        app.call_from_thread(self._result, message)

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#email")
    def _send(self) -> None:
        address = self.query_one("#email", Input).value.strip()
        try:
            from xoro_tui.data.mail.mail_files import email_file

            message = email_file(xoro_app(self).db, address, self.path, self.title_text)
        except DataError as exc:
            self._result(str(exc), error=True)
            return
        self._result(message)
