"""Add or edit one customer: every :class:`CustomerIn` field in tabs, saved through the
repository with its version check; errors shown under their fields, never a lost input."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Static, TabbedContent, TabPane

from xoro_tui.data.customers import lookups
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.choices import MandateStatus
from xoro_tui.data.models.entities import Customer, CustomerIn, errors_by_field
from xoro_tui.data.store.drafts import DraftRepository
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


class CustomerForm(ModalScreen[FormResult | None]):
    """``CustomerForm()`` adds a customer, ``CustomerForm(customer_id)`` edits one;
    ``prefill`` puts typed values (keyed by CustomerIn field name) into their fields."""

    CSS_PATH = "../../styles/forms.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="customer_form.save"),
        Binding("escape,ctrl+g", "cancel", "Cancel", id="customer_form.cancel"),
        Binding(
            "ctrl+g", "cancel", "Cancel", show=False, priority=True, id="customer_form.cancel2"
        ),
        Binding("ctrl+n", "next_tab", "Next tab", priority=True, id="customer_form.next_tab"),
        Binding("ctrl+r", "reload", "Reload", priority=True, id="customer_form.reload"),
        Binding("ctrl+d", "duplicate", "Duplicate", priority=True, id="customer_form.duplicate"),
        Binding("f6", "leave('estimate')", "Estimate", id="customer_form.estimate"),
        Binding("f7", "leave('sales_order')", "SO", id="customer_form.sales_order"),
        Binding("f8", "leave('invoice')", "Invoice", id="customer_form.invoice"),
        Binding("f9", "leave('portal_invitation')", "Portal", id="customer_form.portal"),
        Binding("f10", "leave('direct_debit')", "Direct debit", id="customer_form.direct_debit"),
        # the app's Centre keys would push a Centre over this modal; here they do nothing
        Binding("f2,f3,C,R", "nothing", show=False),
    ]

    def __init__(
        self, customer_id: int | None = None, prefill: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.prefill = dict(prefill or {})
        self.version: int | None = None
        self._opened_mandate: MandateStatus | None = None
        self._initial: dict[str, object] = {}

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
        self.query_one("#form-title", Static).update(title_text(customer))
        sites = self.repo.sites(self.customer_id) if self.customer_id is not None else []
        self.query_one("#other-sites", Static).update(sites_text(sites))
        self._show_stale([])
        self.clear_errors()

    # -- drafts kept when the link dropped
    @property
    def _draft_key(self) -> str:
        return str(self.customer_id) if self.customer_id is not None else "new"

    def keep_draft(self) -> None:
        """Called on SIGHUP: keep what was typed for this user; nothing is saved."""
        if self.is_dirty:
            values = {k: v for k, v in read_values(self).items() if _jsonable(v)}
            DraftRepository(xoro_app(self).db).save("customer_form", self._draft_key, values)

    def _restore_draft(self) -> None:
        drafts = DraftRepository(xoro_app(self).db)
        found = drafts.get("customer_form", self._draft_key)
        if not found:
            return
        values, when = found
        load_values(self, values)
        drafts.discard("customer_form", self._draft_key)
        self._message(
            f"Restored the input you had on {when[:16].replace('T', ' ')} when the link "
            "dropped; it is not saved yet (ctrl+s saves, ctrl+r reloads the stored customer)"
        )

    # -- state
    @property
    def is_dirty(self) -> bool:
        return read_values(self) != self._initial

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

    def _field_error(self, field: str, reason: str) -> None:
        label = self.query_one(f"#{error_id(field)}", Label)
        label.update(safe_text(reason))
        label.set_class(bool(reason), "-shown")

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
        self.clear_errors()
        values = read_values(self)
        try:
            data = CustomerIn.model_validate(values)
        except ValidationError as exc:
            self.show_errors(errors_by_field(exc))
            return
        problems = mandate_errors(values, self._opened_mandate)
        if problems:
            self.show_errors(problems)
            return
        try:
            if self.customer_id is None:
                saved = self.repo.create(data)
            else:
                assert self.version is not None
                saved = self.repo.update(self.customer_id, self.version, data)
        except Invalid as exc:
            self.show_errors([(exc.field, exc.reason)])
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
            self.dismiss(FormResult(action="saved", customer_id=saved.id))

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
    def _leave_after_confirm(self, question: str, go: Callable[[], object]) -> None:
        if self.is_dirty:
            self.confirm.ask(question, go)
        else:
            go()

    def action_cancel(self) -> None:
        if self.confirm.is_open:
            self.confirm.action_answer(False)
            return
        self._leave_after_confirm("Discard your changes?", lambda: self.dismiss(None))

    def action_duplicate(self) -> None:
        if self.confirm.is_open:
            return
        if self.customer_id is None:
            self._message("Save the customer before duplicating it")
            return
        self._leave_after_confirm(
            "Duplicate copies the saved customer; discard your changes?", self._duplicate
        )

    def _duplicate(self) -> None:
        assert self.customer_id is not None
        try:
            copy = self.repo.duplicate(self.customer_id)
        except DataError as exc:
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
        self._leave_after_confirm(
            "Leave without saving your changes?", lambda: self.dismiss(result)
        )

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
