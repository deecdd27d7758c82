"""Download: the visible columns of a list, for the current filter or only the checked rows,
in CSV, TXT, MS-Word, MS-Excel, PDF or MS-Excel (.xlsx). Large exports run in a worker with
a progress bar and can be cancelled; the file lands on the server, so the dialog then offers
to email it and shows the scp line to fetch it."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, RadioButton, RadioSet, Select

from xoro_tui.actions.registry import bindings
from xoro_tui.config import exports_dir
from xoro_tui.data.search.list_query import Filter, ListSpec
from xoro_tui.data.store.connection import database_file
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.form_support import field_row, show_errors, stop_blinking
from xoro_tui.screens.write_worker import run_write
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.toggles import Radio

FORMATS = (
    ("CSV", "csv"),
    ("TXT", "txt"),
    ("MS-Word (.docx)", "docx"),
    ("MS-Excel (.xls)", "xls"),
    ("PDF", "pdf"),
    ("MS-Excel (.xlsx)", "xlsx"),
)


@dataclass(frozen=True)
class DownloadRequest:
    """What the list on screen is: the dialog needs nothing else."""

    centre: str
    spec: ListSpec
    filter: Filter
    sort: tuple[str, bool] | None
    columns: list[str]
    filter_text: str
    checked: list[int]
    total: int
    delimiter: str = ","
    #: the second sort key ("then by"), ordering rows with equal ``sort`` values
    then_by: tuple[str, bool] | None = None


class DownloadDialog(Dialog[Path | None]):
    DEFAULT_CSS = """
    DownloadDialog > Vertical { width: 90%; max-width: 100; max-height: 95%; }
    DownloadDialog RadioSet { height: auto; }  /* one choice a line: labels are never cut */
    """
    BINDINGS = bindings("DownloadDialog")

    def __init__(self, request: DownloadRequest) -> None:
        super().__init__()
        self.request = request
        self._cancel_export = threading.Event()
        self._exporting = False
        self._overwrite_ok = False

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical():
            yield Label(f"Download {len(request.columns)} visible column(s) of the "
                        f"{request.centre}")  # fmt: skip
            yield from field_row(
                "Format", Select(FORMATS, value="csv", allow_blank=False, id="format"), "format"
            )
            with RadioSet(id="scope"):
                yield Radio(f"The current filter ({request.total:,} rows)", value=True,
                            id="scope-filter")  # fmt: skip
                yield Radio(f"Only the checked rows ({len(request.checked):,})",
                            id="scope-checked", disabled=not request.checked)  # fmt: skip
            yield from field_row("File on the server", Input(self._default_path("csv"), id="path"),
                                 "path")  # fmt: skip
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Label("", classes="error", id="error-form")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        stop_blinking(self)
        self.query_one("#progress").display = False
        self.query_one("#format", Select).focus()

    def _default_path(self, fmt: str) -> str:
        from xoro_tui.documents.exports import default_file_name

        name = default_file_name(
            self.request.centre, self.request.filter_text, fmt, dt.date.today()
        )
        return str(exports_dir() / name)

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        fmt = str(event.value)
        if current.parent == exports_dir():
            path.value = self._default_path(fmt)
        self._overwrite_ok = False

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._overwrite_ok = False

    def action_export(self) -> None:
        if self._exporting:
            return
        from xoro_tui.documents.exports import check_size

        fmt = str(self.query_one("#format", Select).value)
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name:
            show_errors(self, [("path", "give a file name")])
            return
        only_checked = self.query_one("#scope-checked", RadioButton).value
        count = len(self.request.checked) if only_checked else self.request.total
        try:
            check_size(fmt, count, len(self.request.columns))
        except DataError as exc:
            show_errors(self, [("format", str(exc))])
            return
        if path.exists() and not self._overwrite_ok:
            self._overwrite_ok = True
            show_errors(self, [("path", f"{path.name} exists; ctrl+s again overwrites it")])
            return
        flt = self.request.filter
        if only_checked:
            flt = flt.with_extra("keys", tuple(self.request.checked))
        self._exporting = True
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=count or None, progress=0)
        for widget in self.query("Select, Input, RadioSet, #export"):
            widget.disabled = True
        self._write(fmt, path, flt, count)

    def _write(self, fmt: str, path: Path, flt: Filter, count: int) -> None:
        from xoro_tui.documents.export_sources import list_export
        from xoro_tui.documents.exports import ExportResult, export_rows

        request, app = self.request, self.app

        def write(reader: sqlite_utils.Database) -> ExportResult:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            header, rows, kinds = list_export(reader, request.spec, flt, request.sort,
                                              request.columns, csv_cells=fmt == "csv",
                                              then_by=request.then_by)  # fmt: skip
            return export_rows(
                header, rows, kinds, path, fmt,
                title=f"{request.centre.title()}", filter_text=request.filter_text,
                delimiter=request.delimiter, total=count,
                progress=lambda done, total: app.call_from_thread(self._progress, done),
                cancelled=self._cancel_export.is_set, like=database_file(reader),
            )  # fmt: skip

        def done(result: ExportResult) -> None:
            for warning in result.warnings:  # characters no font could draw, and the fix
                app.notify(warning, severity="warning", markup=False, timeout=15)
            self.dismiss(path)

        run_write(self, write, done, self._failed, group="export", errors=(DataError, OSError))

    def _progress(self, done: int) -> None:
        self.query_one("#progress", ProgressBar).update(progress=done)

    def _failed(self, message: str) -> None:
        self._exporting = False
        for widget in self.query("Select, Input, RadioSet, #export"):
            widget.disabled = False
        self.query_one("#progress").display = False
        show_errors(self, [("form", message)])

    def action_cancel(self) -> None:
        if self._exporting:
            self._cancel_export.set()
            self.query_one("#error-form", Label).update(safe_text("Cancelling…"))
            return
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    def _export_button(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel_button(self) -> None:
        self.action_cancel()
