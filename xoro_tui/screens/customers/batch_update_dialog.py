"""Batch Update: one column set for every checked customer.

The Value input follows the column: a list of the lookup's names (or a new name typed
below it), a Yes/No checkbox, or for Tags and Brands add / remove / replace with values
separated by ``|``. How many customers will change is counted BEFORE applying, in a thread
worker (it may take a second on 100,000 rows) and again whenever the column or the value
changes. Apply runs :func:`~xoro_tui.data.customers.batch.batch_update` in a thread worker with a
progress bar; every worker opens its own connection, so the UI thread keeps ``app.db``.

The ids factory is iterated in those worker threads, once for the preview (then kept) and
once more when applying."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

import sqlite_utils
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioSet,
    Select,
)

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.batch import (
    BATCH_COLUMNS,
    BatchColumn,
    BatchPreview,
    BatchResult,
    Mode,
    batch_preview,
    batch_update,
    check_value,
    collect_ids,
)
from xoro_tui.data.customers.lookups import names
from xoro_tui.data.store.errors import DataError, Invalid
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.form_support import stop_blinking
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.screens.write_worker import run_write
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text
from xoro_tui.widgets.toggles import Check, Radio

IdBatches = Callable[[], Iterable[list[int]]]
#: the Value list's entry that empties the column
CLEAR = "\x00clear"


class BatchUpdateDialog(UnsavedGuard, Dialog[BatchResult | None]):
    """Choose a column and a value; ctrl+s applies. Dismisses with the BatchResult."""

    DEFAULT_CSS = """
    BatchUpdateDialog > Vertical { width: 96%; max-width: 100; max-height: 96%; }
    BatchUpdateDialog .title { text-style: bold; height: 1; }
    BatchUpdateDialog #body { height: auto; max-height: 16; }
    BatchUpdateDialog .value-box { height: auto; }
    BatchUpdateDialog #lookup-box Select { width: 1fr; }
    BatchUpdateDialog #lookup-box Input { width: 1fr; }
    BatchUpdateDialog #lookup-box { height: 3; }
    BatchUpdateDialog #value-mode { layout: horizontal; height: 3; width: auto; }
    BatchUpdateDialog #hint { height: auto; color: $text-muted; }
    BatchUpdateDialog #preview { height: auto; text-style: bold; }
    BatchUpdateDialog #error, BatchUpdateDialog #value-error { color: $error; height: auto; }
    BatchUpdateDialog #progress { display: none; height: 1; }
    """
    BINDINGS = bindings("BatchUpdateDialog")

    def __init__(self, id_batches_factory: IdBatches, count: int) -> None:
        super().__init__()
        self.id_batches_factory = id_batches_factory
        self.count = count
        self.running = False
        self.last_preview: BatchPreview | None = None
        self._ids: list[int] | None = None  # the preview's ids, collected once
        self._generation = 0
        self._timer: Timer | None = None
        self._preview_text = ""  # the last count shown, put back when an Apply fails

    @property
    def db(self) -> sqlite_utils.Database:
        return xoro_app(self).db

    def compose(self) -> ComposeResult:
        first = next(iter(BATCH_COLUMNS))
        with Vertical():
            yield Label(f"Batch Update: {self.count:,} customer(s) checked", classes="title")
            with VerticalScroll(id="body"):
                yield Label("Column Name")
                yield Select(
                    [(t, t) for t in BATCH_COLUMNS], value=first, allow_blank=False, id="column"
                )
                yield Label("Value", id="value-label")
                with Horizontal(id="lookup-box", classes="value-box"):
                    yield Select([], prompt="Choose…", id="value-select")
                    yield Input(placeholder="or type a new value", id="value-new")
                with Vertical(id="bool-box", classes="value-box"):
                    yield Check("No", id="value-bool")
                with Vertical(id="multi-box", classes="value-box"):
                    with RadioSet(id="value-mode"):
                        yield Radio("Add", value=True, id="mode-add")
                        yield Radio("Remove", id="mode-remove")
                        yield Radio("Replace", id="mode-replace")
                    yield Input(placeholder="values separated by |", id="value-multi")
                    yield Label("", id="hint")
                yield Label("", id="value-error")
            yield Label("", id="preview")
            yield ProgressBar(show_eta=False, id="progress")
            yield Label("", id="error")
            yield InlineConfirm(id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        stop_blinking(self)
        self._column_changed()
        self.query_one("#column", Select).focus()
        self.mark_unchanged()

    def save_from_prompt(self) -> None:
        """The unsaved-changes question's Save applies the update."""
        self.action_apply()

    # -- the value input

    @property
    def column(self) -> BatchColumn:
        return BATCH_COLUMNS[str(self.query_one("#column", Select).value)]

    @property
    def mode(self) -> Mode:
        pressed = self.query_one("#value-mode", RadioSet).pressed_button
        return {"mode-remove": "remove", "mode-replace": "replace"}.get(
            (pressed.id or "") if pressed else "", "add"
        )  # type: ignore[return-value]

    @on(Select.Changed, "#column")
    def _column_changed(self) -> None:
        col = self.column
        for kind in ("lookup", "bool", "multi"):
            self.query_one(f"#{kind}-box").display = col.kind == kind
        choices = names(self.db.conn, col.lookup) if col.lookup else []
        if col.kind == "lookup":
            select = self.query_one("#value-select", Select)
            select.set_options(
                [*((safe_text(n), n) for n in choices), ("(none: empty the column)", CLEAR)]
            )
            self.query_one("#value-new", Input).value = ""
        elif col.kind == "multi":
            self.query_one("#value-multi", Input).value = ""
            shown = " | ".join(choices[:12]) + (" | …" if len(choices) > 12 else "")
            self.query_one("#hint", Label).update(
                safe_text(f"Existing {col.title}: {shown}" if choices else f"No {col.title} yet")
            )
        self._schedule_preview(0)

    def checked_value(self) -> tuple[Any, Mode]:
        """:meth:`value`, checked with the customer form's limits: a wrong value is shown
        under the Value field (and the input marked) and raises ValueError."""
        value, mode = self.value()
        message = ""
        col = self.column
        if col.kind != "bool" and value not in ("", None):
            try:
                check_value(col, value)
            except Invalid as exc:
                message = f"{col.title}: {exc.reason}"
        self.query_one("#value-error", Label).update(safe_text(message))
        for box in self.query("#value-new, #value-multi"):
            box.set_class(bool(message), "-invalid")
        if message:
            raise ValueError(message)
        return value, mode

    def value(self) -> tuple[Any, Mode]:
        """(value, mode) for the data layer; ValueError says what is missing."""
        col = self.column
        if col.kind == "bool":
            return self.query_one("#value-bool", Checkbox).value, "replace"
        if col.kind == "multi":
            text = self.query_one("#value-multi", Input).value
            if not any(part.strip() for part in text.split("|")):
                raise ValueError(f"Type one or more {col.title} separated by |.")
            return text, self.mode
        typed = self.query_one("#value-new", Input).value.strip()
        if typed:
            return typed, "replace"
        chosen = self.query_one("#value-select", Select).value
        if chosen is Select.NULL:
            raise ValueError(f"Choose a {col.title} or type a new one.")
        return ("" if chosen == CLEAR else chosen), "replace"

    @on(Checkbox.Changed, "#value-bool")
    def _bool_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = "Yes" if event.value else "No"
        self._schedule_preview(0)

    @on(Select.Changed, "#value-select")
    @on(RadioSet.Changed, "#value-mode")
    def _choice_changed(self) -> None:
        self._schedule_preview(0)

    @on(Input.Changed)
    def _typed(self) -> None:
        self._schedule_preview(0.3)

    # -- the preview

    def _schedule_preview(self, delay: float) -> None:
        """Count again after ``delay`` (typing waits for a pause)."""
        if self._timer is not None:
            self._timer.stop()
        self._generation += 1
        self.last_preview = None
        try:
            value, mode = self.checked_value()
        except ValueError as exc:
            # a wrong value is already said under the Value field: nothing to count yet
            on_field = bool(str(self.query_one("#value-error", Label).render()))
            self.query_one("#preview", Label).update("" if on_field else safe_text(str(exc)))
            return
        self.query_one("#preview", Label).update("Counting the customers that will change…")
        args = (self._generation, self.column.field, value, mode)
        self._timer = self.set_timer(max(delay, 0.01), lambda: self._preview_worker(*args))

    def _open(self) -> sqlite_utils.Database:
        opener = getattr(self.app, "open_reader", None)
        return opener() if callable(opener) else self.db

    @work(thread=True, exclusive=True, group="batch-preview")
    def _preview_worker(self, generation: int, field: str, value: Any, mode: Mode) -> None:
        db = self._open()
        try:
            if self._ids is None:
                self._ids = collect_ids(self.id_batches_factory())
            found: BatchPreview | str = batch_preview(db, field, value, self._ids, mode)
        except (DataError, sqlite3.Error) as exc:
            found = str(exc)
        finally:
            if db is not self.db:
                db.conn.close()
        self.app.call_from_thread(self._previewed, generation, found)

    def _previewed(self, generation: int, found: BatchPreview | str) -> None:
        if generation != self._generation:
            return  # the column or the value changed since
        label = self.query_one("#preview", Label)
        if isinstance(found, str):
            label.update(safe_text(found))
            return
        self.last_preview = found
        text = f"{found.changing:,} of {found.selected:,} customer(s) will change."
        if found.selected < self.count:
            text += f" ({self.count - found.selected:,} are no longer in the Customer Centre.)"
        self._preview_text = text
        label.update(text)
        self._error(found.refused or "")

    def _error(self, message: str) -> None:
        self.query_one("#error", Label).update(safe_text(message))

    # -- apply

    def action_apply(self) -> None:
        if self.running:
            return
        if self.last_preview is not None and self.last_preview.refused:
            self._error(self.last_preview.refused)
            return
        try:
            value, mode = self.checked_value()
        except ValueError as exc:
            self._error(str(exc))
            if self.query_one("#value-new").has_class("-invalid"):
                self.query_one("#value-new").focus()
            elif self.query_one("#value-multi").has_class("-invalid"):
                self.query_one("#value-multi").focus()
            return
        self._set_running(True)
        self._error("")
        field, app = self.column.field, self.app

        def progress(done: int, total: int) -> None:  # called in the worker thread
            app.call_from_thread(self._progress, done, total)

        def write(db: sqlite_utils.Database) -> BatchResult:
            ids = self.id_batches_factory()
            return batch_update(db, field, value, ids, mode=mode, progress=progress)

        run_write(self, write, self._done, self._failed, group="batch-apply", exclusive=True)

    def _set_running(self, running: bool) -> None:
        self.running = running
        for widget in self.query("#body Select, #body Input, #body Checkbox, #body RadioSet"):
            widget.disabled = running
        self.query_one("#apply", Button).disabled = running
        bar = self.query_one("#progress", ProgressBar)
        bar.display = running
        if running:
            bar.update(total=None, progress=0)
            self.query_one("#preview", Label).update("Updating…")
            self.query_one("#cancel", Button).focus()

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self.query_one("#preview", Label).update(self._preview_text)
        self._error(f"Nothing was changed: {message}")

    def _done(self, result: BatchResult) -> None:
        self.running = False
        self.dismiss(result)

    def action_cancel(self) -> None:
        if self.running:
            self._error("The update is running; it finishes (or fails) as a whole.")
            return
        self.ask_before_closing()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()
