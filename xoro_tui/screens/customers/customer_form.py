"""Add or edit one customer: every :class:`CustomerIn` field in tabs, saved through the
repository with its version check; errors shown under their fields, never a lost input."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers import lookups
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.choices import MandateStatus
from xoro_tui.data.models.entities import Customer, CustomerIn, errors_by_field
from xoro_tui.data.store.errors import DataError, Invalid, NotFound, StaleEdit
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.customers.form_cards import SavedCards
from xoro_tui.screens.customers.form_fields import (
    CARDS_TAB,
    FIELD_TAB,
    FIELDS,
    FORM_BUTTONS,
    FORM_ORDER,
    LEAVE_ACTIONS,
    TABS,
    error_id,
    flag_label,
    input_id,
    load_values,
    lookup_suggestions,
    mandate_errors,
    read_values,
    to_form,
)
from xoro_tui.screens.customers.form_text import STALE_HEADING, sites_text, stale_text, title_text
from xoro_tui.screens.customers.form_widgets import FieldScroll, field_rows
from xoro_tui.screens.dialogs.form_support import stale_lines
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list)


@dataclass(frozen=True)
class FormResult:
    """How the form ended: ``saved``, ``duplicated`` (the new copy's id) or one of
    :data:`LEAVE_ACTIONS` (the customer's id)."""

    action: str
    customer_id: int | None


class CustomerForm(UnsavedGuard, ModalScreen[FormResult | None]):
    """``CustomerForm()`` adds a customer, ``CustomerForm(customer_id)`` edits one;
    ``prefill`` puts typed values (keyed by CustomerIn field name) into their fields.

    Leaving with unsaved changes (Escape, ctrl+d, F6–F10) asks Save / Discard / Keep
    editing; an error under a field goes as soon as the field's value is valid."""

    CSS_PATH = "../../styles/forms.tcss"
    draft_form = "customer_form"

    BINDINGS = bindings("CustomerForm")

    def __init__(
        self, customer_id: int | None = None, prefill: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.prefill = dict(prefill or {})
        self.version: int | None = None
        self._opened_mandate: MandateStatus | None = None
        self._initial: dict[str, object] = {}
        #: fields refused by a check of the stored data, and the value refused
        self._stored_checks: dict[str, object] = {}
        #: the fields with an error shown under them
        self._errors_shown: set[str] = set()

    @property
    def repo(self) -> CustomerRepository:
        return CustomerRepository(xoro_app(self).db)

    # -- layout
    def compose(self) -> ComposeResult:
        conn = xoro_app(self).db.conn
        suggestions = lookup_suggestions(lambda table: lookups.names(conn, table))
        with Vertical(id="form-dialog"):
            yield Static(id="form-title", markup=False)
            with Vertical(id="stale-panel"):
                with Horizontal(classes="button-row"):
                    yield Label(STALE_HEADING, id="stale-heading")
                    yield Button(
                        "Reload (ctrl+r)", id="reload", compact=True, action="screen.reload"
                    )
                with VerticalScroll(id="stale-scroll"):
                    yield Static(id="stale-changes", markup=False)
            yield Static(id="form-message", markup=False)
            with TabbedContent(id="form-tabs"):
                for pane_id, title, specs in TABS:
                    with TabPane(title, id=pane_id), FieldScroll(classes="tab-body"):
                        for spec in specs:
                            yield from field_rows(spec, suggestions)
                        if pane_id == "tab-addresses":
                            yield Label("Other sites", classes="section-title")
                            yield Static(id="other-sites", markup=False)
                with TabPane(CARDS_TAB[1], id=CARDS_TAB[0]):
                    yield SavedCards(self.repo, self.customer_id, id="saved-cards")
            yield InlineConfirm(id="confirm")
            with Horizontal(classes="button-row", id="form-buttons"):
                for button_id, label, action in FORM_BUTTONS:
                    yield Button(label, id=button_id, compact=True, action=f"screen.{action}")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = False
        try:
            self._load()
        except NotFound as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss(None)
            return
        self._restore_draft()
        start = next((k for k in self.prefill if k in FIELDS), "name")
        first = self.query_one(f"#{input_id(start)}")
        if isinstance(first, Input):
            first.cursor_position = len(first.value)
        self.go_to_field(start)

    def _load(self) -> None:
        """Fill the fields from the database (or the defaults and prefill of a new one)."""
        customer: Customer | None = None
        if self.customer_id is not None:
            customer = self.repo.get(self.customer_id)
            self.version = customer.version
        self._opened_mandate = customer.mandate_status if customer else None
        values = to_form(customer)
        if customer is None:
            if not self.prefill.get("account_number"):
                values["account_number"] = self.repo.next_account_number()
            values.update({k: v for k, v in self.prefill.items() if k in FIELDS})
        load_values(self, values)
        self._initial = read_values(self)
        self.mark_unchanged()
        self.query_one("#form-title", Static).update(title_text(customer))
        sites = self.repo.sites(self.customer_id) if self.customer_id is not None else []
        self.query_one("#other-sites", Static).update(sites_text(sites))
        self._show_stale([])
        self.clear_errors()

    # -- drafts kept when the link dropped (UnsavedGuard keeps and restores them)
    def draft_key(self) -> str:
        return str(self.customer_id) if self.customer_id is not None else "new"

    def form_values(self) -> dict[str, object]:
        return {k: v for k, v in read_values(self).items() if _jsonable(v)}

    def apply_draft(self, values: Mapping[str, Any]) -> None:
        load_values(self, values)

    def _restore_draft(self) -> None:
        when = self.restore_draft()
        if when is None:
            return
        self._message(
            f"Restored the input you had on {when[:16].replace('T', ' ')} when the link "
            "dropped; it is not saved yet (ctrl+s saves, ctrl+r reloads the stored customer)"
        )

    # -- state
    @property
    def is_dirty(self) -> bool:
        return self.has_unsaved_changes

    @property
    def confirm(self) -> InlineConfirm:
        return self.query_one("#confirm", InlineConfirm)

    def _message(self, text: str) -> None:
        message = self.query_one("#form-message", Static)
        message.update(safe_text(text))
        message.set_class(bool(text), "-shown")

    def clear_errors(self) -> None:
        for name in FORM_ORDER:
            self._field_error(name, "")
        self._message("")

    def _shown_error(self, field: str) -> bool:
        return field in self._errors_shown

    def _current_errors(self) -> dict[str, str]:
        """Each field's first error for the input as it is now, by the same model (and
        mandate rules) the save uses."""
        values = read_values(self)
        errors: list[tuple[str, str]] = []
        try:
            CustomerIn.model_validate(values)
        except ValidationError as exc:
            errors = errors_by_field(exc)
        errors += mandate_errors(values, self._opened_mandate)
        found: dict[str, str] = {}
        for field, reason in errors:
            found.setdefault(field, reason)
        return found

    def _recheck(self, left: str | None = None) -> None:
        """Errors shown follow the input: one goes as soon as its field is valid, or says
        the new reason; ``left`` (a field just left after an edit) shows its error too."""
        if not self._errors_shown and left is None:
            return
        shown = [f for f in FORM_ORDER if self._shown_error(f)]
        if left is not None and left not in shown:
            shown.append(left)
        if not shown:
            return
        values = read_values(self)
        errors = self._current_errors()
        for field in shown:
            if field in self._stored_checks and field not in errors:
                if values.get(field) == self._stored_checks[field]:
                    continue
                del self._stored_checks[field]
            self._field_error(field, errors.get(field, ""))
        if not any(self._shown_error(f) for f in FORM_ORDER):
            message = self.query_one("#form-message", Static)
            if str(message.render()).startswith("Not saved: fix the fields"):
                self._message("")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _value_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        if self._unchanged is not None:  # not while the fields are being filled
            self._recheck()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field that was edited checks it."""
        widget_id = getattr(event.widget, "id", None) or ""
        field = widget_id.removeprefix("field-")
        if not widget_id.startswith("field-") or field not in FIELDS:
            return
        before = self._unchanged or {}
        if before.get(field) != self.form_values().get(field):
            self._recheck(left=field)

    def _field_error(self, field: str, reason: str) -> None:
        label = self.query_one(f"#{error_id(field)}", Label)
        label.update(safe_text(reason))
        label.set_class(bool(reason), "-shown")
        if reason:
            self._errors_shown.add(field)
        else:
            self._errors_shown.discard(field)

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Each reason under its field; go to the first bad field (in form order)."""
        others: list[str] = []
        for field, reason in errors:
            if field in FIELDS:
                self._field_error(field, reason)
            else:
                others.append(f"{field}: {reason}")
        bad = [f for f in FORM_ORDER if any(e[0] == f for e in errors)]
        self._message(" · ".join(others) if others else "Not saved: fix the fields marked below")
        if bad:
            self.go_to_field(bad[0])

    def go_to_field(self, field: str) -> None:
        self.query_one("#form-tabs", TabbedContent).active = FIELD_TAB[field]
        widget = self.query_one(f"#{input_id(field)}")
        self.call_after_refresh(self._focus, widget)

    def _focus(self, widget: Widget) -> None:
        widget.focus()
        widget.scroll_visible(animate=False)

    def _stale_lines(self, exc: StaleEdit) -> list[str]:
        """Each field the other user changed, theirs and yours, then who changed what."""
        assert self.customer_id is not None
        try:
            theirs = to_form(self.repo.get(self.customer_id))
        except DataError:
            theirs = {}
        titles = {name: spec.label for name, spec in FIELDS.items()}
        fields = stale_lines(titles, self._initial, theirs, read_values(self))
        return [*fields, *exc.changes] or [str(exc)]

    def _show_stale(self, changes: list[str]) -> None:
        self.query_one("#stale-panel").set_class(bool(changes), "-shown")
        self.query_one("#stale-changes", Static).update(stale_text(changes))

    # -- saving
    def action_save(self) -> None:
        if self.confirm.is_open:
            return
        saved = self._save()
        if saved is not None:
            self.dismiss(FormResult(action="saved", customer_id=saved.id))

    def _save(self) -> Customer | None:
        """Save the input; None (errors shown, input kept) when it was not saved."""
        self.clear_errors()
        values = read_values(self)
        try:
            data = CustomerIn.model_validate(values)
        except ValidationError as exc:
            self.show_errors(errors_by_field(exc))
            return None
        problems = mandate_errors(values, self._opened_mandate)
        if problems:
            self.show_errors(problems)
            return None
        try:
            if self.customer_id is None:
                saved = self.repo.create(data)
            else:
                assert self.version is not None
                saved = self.repo.update(self.customer_id, self.version, data)
        except Invalid as exc:
            self.show_errors([(exc.field, exc.reason)])
            # a check of the stored data (a taken account number): it stays until edited
            self._stored_checks[exc.field] = values.get(exc.field)
        except StaleEdit as exc:
            self._show_stale(self._stale_lines(exc))
        except NotFound as exc:
            self._message(f"Not saved: {exc}. Cancel to close; your input cannot be saved here.")
        except DataError as exc:
            self._message(f"Not saved: {exc}")
        except sqlite3.OperationalError as exc:
            # e.g. the file stayed locked past the busy timeout: keep the input, try again
            self._message(f"Not saved: {exc}; your input is kept, try again")
        else:
            self.discard_draft()
            return saved
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A new customer has nothing saved to reload, copy or make documents for: those
        keys are not offered until it is saved (F6–F10 then close the form to act)."""
        if self.customer_id is None and action in ("reload", "duplicate", "leave"):
            return None  # not now (help still lists them)
        return True

    def action_reload(self) -> None:
        if self.customer_id is None or self.confirm.is_open:
            return
        if self.is_dirty:
            self.confirm.ask("Reload the saved customer and lose your input?", self._reload)
        else:
            self._reload()

    def _reload(self) -> None:
        try:
            self._load()
        except NotFound as exc:
            self._message(str(exc))
            return
        self.notify("Reloaded", timeout=2)

    # -- leaving
    def _leave_after_confirm(self, go: Callable[[Customer | None], object]) -> None:
        """Go on at once when nothing changed; else ask Save (then go on with the saved
        customer), Discard (go on without saving) or Keep editing."""

        def save_then_go() -> None:
            saved = self._save()
            if saved is not None:
                go(saved)

        self.ask_before_closing(go=lambda: go(None), on_save=save_then_go)

    def action_cancel(self) -> None:
        self.ask_before_closing()

    def action_duplicate(self) -> None:
        if self.confirm.is_open:
            return
        if self.customer_id is None:
            self._message("Save the customer before duplicating it")
            return
        self._leave_after_confirm(self._duplicate)

    def _duplicate(self, saved: Customer | None) -> None:
        """Copy the stored customer; the form closes with the copy's id and the Customer
        Centre opens the copy in the form."""
        assert self.customer_id is not None
        try:
            copy = self.repo.duplicate(self.customer_id)
        except DataError as exc:
            if saved is not None:  # the changes are saved: the form has nothing left to keep
                self.dismiss(FormResult(action="saved", customer_id=saved.id))
                self.notify(f"Saved; not duplicated: {exc}", severity="error", markup=False)
                return
            self._message(f"Not duplicated: {exc}")
            return
        self.dismiss(FormResult(action="duplicated", customer_id=copy.id))

    def action_leave(self, action: str) -> None:
        if self.confirm.is_open or action not in LEAVE_ACTIONS:
            return
        if self.customer_id is None:
            self._message(f"Save the customer before {LEAVE_ACTIONS[action]}")
            return
        result = FormResult(action=action, customer_id=self.customer_id)
        self._leave_after_confirm(lambda _saved: self.dismiss(result))

    def action_next_tab(self) -> None:
        """Cycle the tabs and focus the first field of the new one."""
        if self.confirm.is_open:
            return
        tabs = self.query_one("#form-tabs", TabbedContent)
        order = [pane_id for pane_id, _, _ in TABS] + [CARDS_TAB[0]]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]
        self.call_after_refresh(self._focus_first_field, tabs.active)

    def _focus_first_field(self, pane_id: str) -> None:
        pane = self.query_one("#form-tabs", TabbedContent).get_pane(pane_id)
        first = next((w for w in pane.query("Input, Select, Checkbox") if w.focusable), None)
        if first is not None:
            self._focus(first)

    def action_nothing(self) -> None:
        """Swallow keys that would otherwise leave the modal behind."""

    @on(Checkbox.Changed)
    def _flag(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = flag_label(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one (ctrl+s saves)."""
        event.stop()
        self.focus_next()
