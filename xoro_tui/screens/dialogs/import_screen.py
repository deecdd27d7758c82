"""Import: customers or refunds from a CSV, .xlsx or .xls file on the server.

Choose the file (a path completed as typed), see how its columns map to our fields and
its first rows as they would be imported, change a column's field (Enter on it), see
every row's errors before anything is written, save the mapping under a name (usable
as ``xoro-tui import … --mapping NAME``) and run the import with a progress bar.
Everything here is the command line's import (:mod:`xoro_tui.data.transfer`): the same
readers, matching, presets and checks. Escape during a run cancels it; the import is one
transaction, so a cancelled run leaves the database as it was.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.transfer import mapping, saved_mappings
from xoro_tui.data.transfer.import_preview import (
    Preview,
    fields_of,
    labels_of,
    preview,
    required_of,
)
from xoro_tui.data.transfer.importer import ImportCancelled, ImportOptions, ImportReport, Watch
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.import_pickers import FieldPicker, NameDialog
from xoro_tui.screens.write_worker import run_write
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.path_input import PathInput
from xoro_tui.widgets.safe_text import plain, safe_text
from xoro_tui.widgets.toggles import Check

KIND_CHOICES = (("Customers", "customers"), ("Refunds", "refunds"))
PRESET_CHOICES = (("QuickBooks", "quickbooks"), ("Odoo", "odoo"), ("ERPNext", "erpnext"))
#: error lines listed on screen (the rest are counted)
SHOWN_ERRORS = 200


@dataclass(frozen=True)
class ImportDone:
    kind: str
    report: ImportReport


def lines_text(lines: list[str]) -> Text:
    """Lines of user-derived text, each shown literally, one under the other."""
    return Text("\n").join(safe_text(line) for line in lines)


def open_import(screen, kind: str) -> None:  # noqa: ANN001 - any Screen of the app
    """Open the Import screen for ``kind``, or say in one line why this login may not."""
    from xoro_tui.data.store.permissions import require

    try:
        require(screen.app.db, f"import {kind}")
    except DataError as exc:
        screen.notify(plain(str(exc)), severity="error", markup=False, timeout=8)
        return

    def done(result: ImportDone | None) -> None:
        refresh = getattr(screen, "action_refresh", None)
        if result is not None and callable(refresh):
            refresh()

    screen.app.push_screen(ImportScreen(kind), done)


class ImportScreen(Dialog[ImportDone | None]):
    DEFAULT_CSS = """
    ImportScreen > Vertical { width: 100%; height: 100%; }
    ImportScreen .title { text-style: bold; height: 1; }
    ImportScreen Horizontal { height: auto; }
    ImportScreen .lbl { width: auto; padding: 0 1 0 0; }
    ImportScreen #path { width: 1fr; }
    ImportScreen #kind { width: 14; margin-left: 1; }
    ImportScreen #sheet { width: 16; margin-left: 1; }
    ImportScreen #preset { width: 20; }
    ImportScreen #saved { width: 1fr; margin-left: 1; }
    ImportScreen Check { width: auto; margin-right: 2; }
    ImportScreen #mapping { height: 1fr; min-height: 4; }
    ImportScreen #rows { height: 1fr; min-height: 4; }
    ImportScreen #problems { height: auto; max-height: 6; }
    ImportScreen #problems > Static { height: auto; }
    ImportScreen #status { height: auto; }
    """
    BINDINGS = bindings("ImportScreen")

    def __init__(self, kind: str, path: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.initial_path = path
        #: the user's choices: their header → field or "ignore"
        self.choices: dict[str, str] = {}
        #: a loaded mapping's text (its choices for headers this file may not have)
        self.base_map = ""
        self.loaded: saved_mappings.SavedMapping | None = None
        self.shown: Preview | None = None
        self._importing = False
        self._cancel_import = threading.Event()
        #: the last run's report, once one has imported (closing then refreshes the Centre)
        self.last_report: ImportReport | None = None

    # -- layout
    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import"
            with Horizontal():
                yield Label("File", classes="lbl")
                yield PathInput(self.initial_path, placeholder="path of a CSV, .xlsx or .xls"
                                " file on the server (Tab completes)", id="path",
                                compact=True)  # fmt: skip
                yield Input(placeholder="sheet (first)", id="sheet", compact=True)
                yield Select(KIND_CHOICES, value=self.kind, allow_blank=False, id="kind",
                             compact=True)  # fmt: skip
            with Horizontal():
                yield Select(PRESET_CHOICES, prompt="No preset", id="preset", compact=True)
                yield Select([], prompt="Saved mapping…", id="saved", compact=True)
            with Horizontal():
                yield Check("Skip invalid rows", id="skip_invalid", compact=True)
                yield Check(self._option_label(), id="option", compact=True)
                yield Check("Historical (admin)", id="historical", compact=True)
            yield Static("", id="status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Static("Columns: Enter on one changes its field", classes="title")
            yield DataTable(id="mapping", cursor_type="row", zebra_stripes=True)
            yield Static("First rows as they would be imported", classes="title", id="rows-title")
            yield DataTable(id="rows", cursor_type="row")
            with VerticalScroll(id="problems"):
                yield Static("", id="problem-lines", markup=False)
        yield KeyBar()

    def _option_label(self) -> str:
        return "Number new customers" if self.kind == "customers" else "Without sources"

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        for field in self.query(Input):
            field.cursor_blink = False
        mapping_table = self.query_one("#mapping", DataTable)
        mapping_table.add_columns("Column in the file", "Imported as", "First value")
        self._kind_changed_ui()
        self.query_one("#path", PathInput).focus()
        if self.initial_path:
            self.action_reload()

    def _kind_changed_ui(self) -> None:
        self.query_one("#option", Check).label = self._option_label()
        self.query_one("#historical").display = self.kind == "refunds"
        self.query_one("#preset").display = self.kind == "customers"
        self._fill_saved()

    def _fill_saved(self) -> None:
        names = saved_mappings.names(xoro_app(self).db, self.kind)
        select = self.query_one("#saved", Select)
        select.set_options([(n, n) for n in names])
        select.prompt = "Saved mapping…" if names else "No saved mappings"

    # -- what the user chose
    def _path(self) -> Path | None:
        text = self.query_one("#path", PathInput).value.strip()
        return Path(text).expanduser() if text else None

    def _preset(self) -> str | None:
        value = self.query_one("#preset", Select).value
        return None if value is Select.NULL or self.kind != "customers" else str(value)

    def column_map(self) -> str:
        """The loaded mapping's text with this screen's choices after it (they win)."""
        return ",".join(m for m in (self.base_map, mapping.map_text(self.choices)) if m)

    def options(self) -> ImportOptions:
        option = self.query_one("#option", Check).value
        sheet = self.query_one("#sheet", Input).value.strip() or None
        return ImportOptions(
            sheet=sheet,
            preset=self._preset(),
            column_map=self.column_map() or None,
            number_new=option and self.kind == "customers",
            without_sources=option and self.kind == "refunds",
        )

    # -- the preview
    @on(Input.Submitted, "#path")
    @on(Input.Submitted, "#sheet")
    def _path_submitted(self) -> None:
        self.action_reload()

    @on(Select.Changed, "#kind")
    def _kind(self, event: Select.Changed) -> None:
        if str(event.value) == self.kind:
            return
        self.kind = str(event.value)
        self.choices, self.base_map, self.loaded = {}, "", None
        self._kind_changed_ui()
        self.action_reload()

    @on(Select.Changed, "#preset")
    @on(Check.Changed, "#option")
    def _preset_changed(self) -> None:
        self.action_reload()

    @on(Select.Changed, "#saved")
    def _saved(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        try:
            found = saved_mappings.load(xoro_app(self).db, str(event.value), self.kind)
        except DataError as exc:
            self._status(str(exc), error=True)
            return
        self.loaded, self.base_map, self.choices = found, found.column_map, {}
        preset = self.query_one("#preset", Select)
        with self.prevent(Select.Changed):
            preset.value = found.preset if found.preset else Select.NULL
        self._status(f"Loaded the mapping {found.name}")
        self.action_reload()

    def action_reload(self) -> None:
        path = self._path()
        if path is None or self._importing:
            return
        self._status(f"Reading {path.name}…")
        self._preview(path, self.kind, self.options())

    @work(thread=True, exclusive=True, group="import-preview")
    def _preview(self, path: Path, kind: str, options: ImportOptions) -> None:
        from textual.worker import get_current_worker

        app = self.app  # kept: the screen may close while the file is read
        worker = get_current_worker()
        try:
            found = preview(path, kind, options, cancelled=lambda: worker.is_cancelled)
        except ImportCancelled:
            return
        except (DataError, OSError) as exc:
            app.call_from_thread(self._preview_failed, str(exc))
            return
        if not worker.is_cancelled:
            app.call_from_thread(self._show, found)

    def _preview_failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.shown = None
        self.query_one("#mapping", DataTable).clear()
        self.query_one("#rows", DataTable).clear(columns=True)
        self.query_one("#problem-lines", Static).update("")
        self._status(message, error=True)

    def _show(self, found: Preview) -> None:
        if not self.is_attached:
            return
        self.shown = found
        labels = labels_of(found.kind)
        table = self.query_one("#mapping", DataTable)
        row = table.cursor_row
        table.clear()
        for i, (header, target) in enumerate(zip(found.headers, found.targets, strict=True)):
            first = found.samples[0][i] if found.samples and i < len(found.samples[0]) else ""
            table.add_row(safe_text(header), self._target_text(target, labels),
                          safe_text(first[:40]), key=str(i))  # fmt: skip
        if found.headers:
            table.move_cursor(row=min(row, len(found.headers) - 1))
        rows = self.query_one("#rows", DataTable)
        rows.clear(columns=True)
        rows.add_column("Row", key="#")
        for name in found.fields:
            rows.add_column(safe_text(labels.get(name, name)), key=name)
        for i, cells in enumerate(found.rows if found.fields else []):
            if i in found.row_errors:  # the reason is in the list below, whole
                error = [Text("(not imported: see below)", style="red")]
                rows.add_row(Text(str(i + 1), style="red"), *error, *cells[1:])
            else:
                rows.add_row(str(i + 1), *(safe_text(c[:40]) for c in cells))
        self._show_problems(found)

    def _target_text(self, target: str | None, labels: dict[str, str]) -> Text:
        if target is None:
            return Text("(ignored)", style="dim")
        if target.startswith(":"):
            fields = ", ".join(mapping.role_fields(target)) or "(used to group rows)"
            return safe_text(f"{fields} (preset)")
        label = labels.get(target)
        shown = (
            f"{target} ({label})"
            if label and mapping.norm(label) != mapping.norm(target)
            else target
        )
        return safe_text(shown)

    def _show_problems(self, found: Preview) -> None:
        lines: list[str] = []
        if found.refusal:
            lines.append(f"Cannot import: {found.refusal}")
        lines.extend(found.warnings)
        problems = found.problem_lines
        lines.extend(problems[:SHOWN_ERRORS])
        if len(problems) > SHOWN_ERRORS:
            lines.append(f"… and {len(problems) - SHOWN_ERRORS:,} more errors")
        self.query_one("#problem-lines", Static).update(lines_text(lines))
        rows = {p[0] for p in found.problems}
        if found.refusal:
            self._status("Fix the mapping first: see the first line below", error=True)
        elif rows:
            self._status(
                f"{found.file_kind}: {found.checked:,} rows checked, {len(rows):,} with errors "
                "(nothing is written; ctrl+r imports the others only with Skip invalid rows)",
                error=True,
            )
        else:
            self._status(f"{found.file_kind}: {found.checked:,} rows checked, no errors; "
                         "ctrl+r imports them")  # fmt: skip

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(safe_text(text))

    # -- changing a column's field
    @on(DataTable.RowSelected, "#mapping")
    def _change(self, event: DataTable.RowSelected) -> None:
        found = self.shown
        if found is None or self._importing or event.row_key.value is None:
            return
        index = int(event.row_key.value)
        header = found.headers[index]
        current = found.targets[index]
        if not mapping.map_text({header: "ignore"}).split("=")[0] or not mapping.norm(header):
            self._status("This column has no name to map it by (give it a header in the file)",
                         error=True)  # fmt: skip
            return
        picker = FieldPicker(header, fields_of(self.kind), labels_of(self.kind),
                             required_of(self.kind), current)  # fmt: skip

        def picked(target: str | None) -> None:
            if target is None:
                return
            self.choices[header] = target
            self.action_reload()

        self.app.push_screen(picker, picked)

    # -- saving the mapping
    def action_save_mapping(self) -> None:
        if self._importing:
            return
        name = self.loaded.name if self.loaded is not None else ""

        def named(text: str | None) -> None:
            if text:
                self._save(text)

        self.app.push_screen(NameDialog("Save this mapping as", name), named)

    def _save(self, name: str) -> None:
        db = xoro_app(self).db
        text = self._saved_text()
        same = self.loaded is not None and self.loaded.name.casefold() == name.strip().casefold()
        try:
            stored = saved_mappings.save(
                db,
                saved_mappings.SavedMapping(name, self.kind, self._preset(), text),
                expected_version=self.loaded.version if same and self.loaded else None,
            )
        except DataError as exc:
            self._status(str(exc), error=True)
            return
        self.loaded, self.base_map, self.choices = stored, stored.column_map, {}
        self._fill_saved()
        with self.prevent(Select.Changed):
            self.query_one("#saved", Select).value = stored.name
        self._status(f"Saved the mapping {stored.name} (xoro-tui import {self.kind} FILE "
                     f"--mapping {stored.name!r} uses it too)")  # fmt: skip

    def _saved_text(self) -> str:
        """The mapping to keep: the file's own header names with their chosen fields, then
        the loaded mapping's choices for headers this file does not have."""
        chosen = mapping.parse_map(self.column_map())
        headers = self.shown.headers if self.shown else []
        out: dict[str, str] = {}
        for header in headers:
            key = mapping.norm(header)
            if key in chosen:
                out[header] = chosen.pop(key)
        out.update(chosen)
        return mapping.map_text(out)

    # -- running it
    def action_run(self) -> None:
        if self._importing:
            return
        path = self._path()
        if path is None:
            self._status("Choose a file first", error=True)
            return
        found = self.shown
        if found is not None and found.refusal:
            self._status(f"Cannot import: {found.refusal}", error=True)
            return
        skip = self.query_one("#skip_invalid", Check).value
        historical = self.query_one("#historical", Check).value and self.kind == "refunds"
        self._importing = True
        self._cancel_import.clear()
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        for widget in self.query("Input, Select, Check"):
            widget.disabled = True
        self._status("Checking the rows… (Escape cancels)")
        options = self.options()  # read here: widgets belong to the UI thread
        self._import(path, options, skip, historical)

    def _import(self, path: Path, options: ImportOptions, skip: bool, historical: bool) -> None:
        from xoro_tui.data.store.permissions import require
        from xoro_tui.data.transfer.importer import import_customers, import_refunds

        app, kind = self.app, self.kind

        def progress(stage: str, done: int, total: int | None) -> None:
            app.call_from_thread(self._progress, stage, done, total)

        watch = Watch(progress=progress, cancelled=self._cancel_import.is_set)

        def write(db: sqlite_utils.Database) -> ImportReport:
            require(db, f"import {kind}")
            if kind == "customers":
                return import_customers(db, path, skip_invalid=skip, options=options,
                                        watch=watch)  # fmt: skip
            return import_refunds(db, path, skip_invalid=skip, historical=historical,
                                  options=options, watch=watch)  # fmt: skip

        run_write(self, write, lambda report: self._finished(report, None),
                  lambda failure: self._finished(None, failure),
                  group="import", errors=(DataError, OSError))  # fmt: skip

    def _progress(self, stage: str, done: int, total: int | None) -> None:
        if not self.is_attached:
            return
        bar = self.query_one("#progress", ProgressBar)
        if stage == "writing":
            bar.update(total=total or 1, progress=done)
            self._status(f"Writing {done:,} of {total or 0:,}… (Escape cancels)")
        else:
            self._status(f"Checking the rows: {done:,}… (Escape cancels)")

    def _finished(self, report: ImportReport | None, failure: str | None) -> None:
        if not self.is_attached:
            return
        self._importing = False
        for widget in self.query("Input, Select, Check"):
            widget.disabled = False
        self.query_one("#historical").display = self.kind == "refunds"
        self.query_one("#preset").display = self.kind == "customers"
        bar = self.query_one("#progress", ProgressBar)
        if failure is not None:
            bar.display = False
            self._status(f"Nothing imported: {failure}", error=True)
            return
        assert report is not None
        lines = [*report.format_warnings()]
        if report.cancelled:
            bar.display = False
            self._status("Cancelled: nothing was imported (the database is as it was)")
            return
        if report.errors:
            bar.display = False
            lines = report.format_errors()[:SHOWN_ERRORS] + lines
            self.query_one("#problem-lines", Static).update(lines_text(lines))
            self._status(f"Nothing imported: {len(report.errors):,} error(s), listed below",
                         error=True)  # fmt: skip
            return
        bar.update(total=1, progress=1)
        skipped = [f"skipped {line}" for line in report.format_skipped()]
        self.query_one("#problem-lines", Static).update(lines_text(skipped[:SHOWN_ERRORS] + lines))
        summary = (
            f"Imported {self.kind}: {report.inserted:,} added, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {len(report.skipped):,} skipped"
            + (f", {report.without_source:,} without their source" if report.without_source else "")
        )
        self.last_report = report
        self._status(summary + "; Escape closes")

    def action_cancel(self) -> None:
        if self._importing:
            self._cancel_import.set()
            self._status("Cancelling…")
            return
        report = self.last_report
        self.dismiss(ImportDone(self.kind, report) if report is not None else None)
