"""New Refund: for a customer, from a customer deposit or credit memo with a remaining
balance, or as an overpayment refund with no source. It starts as Draft."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.billing_currency import customer_currency
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import PaymentMethod
from xoro_tui.data.models.entities import Customer, Refund, errors_by_field
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.errors import DataError, Invalid
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.form_support import (
    clear_errors,
    field_row,
    recheck_field,
    show_errors,
    stop_blinking,
)
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text

OVERPAYMENT = "overpayment"


class NewRefund(UnsavedGuard, Dialog[Refund | None]):
    DEFAULT_CSS = """
    NewRefund > Vertical { width: 90%; max-width: 100; height: 92%; }
    """
    BINDINGS = bindings("NewRefund")

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer: Customer | None = None
        self.initial_customer = customer_id
        self.sources: dict[str, tuple[int, int, str]] = {}

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database
        return xoro_app(self).db

    def compose(self) -> ComposeResult:
        accounts = [name for name, *_ in RefundRepository(self.db).refund_accounts()]
        with Vertical():
            yield Label("New Refund (starts as Draft)")
            with VerticalScroll():
                yield from field_row(
                    "Customer account number (Enter looks it up)",
                    Input(placeholder="C-000123", id="customer"),
                    "customer",
                )
                yield Static("", id="customer-name", markup=False)
                yield from field_row(
                    "Refund of",
                    Select(
                        [("Overpayment (no source)", OVERPAYMENT)],
                        value=OVERPAYMENT,
                        allow_blank=False,
                        id="source_document",
                    ),  # fmt: skip
                    "source_document",
                )
                yield from field_row("Amount", Input(placeholder="125.00", id="amount"), "amount")
                yield from field_row("Currency", Input("USD", id="currency"), "currency")
                yield from field_row(
                    "Refund date (YYYY-MM-DD)",
                    Input(dt.date.today().isoformat(), id="refund_date"),
                    "refund_date",
                )
                yield from field_row(
                    "Payment method type",
                    Select(
                        [(m.value, m.value) for m in PaymentMethod],
                        value="Cheque",
                        allow_blank=False,
                        id="payment_method",
                    ),  # fmt: skip
                    "payment_method",
                )
                yield from field_row(
                    "Refund account",
                    Select([(a, a) for a in accounts], id="refund_account"),
                    "refund_account",
                )
                yield from field_row("Memo", Input(id="memo"), "memo")
                yield from field_row("Reference", Input(id="reference"), "reference")
            yield Label("", classes="error", id="error-form")
            yield InlineConfirm(id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        stop_blinking(self)
        if self.initial_customer is not None:
            customer = CustomerRepository(self.db).get(self.initial_customer)
            self.query_one("#customer", Input).value = customer.account_number
            self._use_customer(customer)
            self.query_one("#source_document", Select).focus()
        else:
            self.query_one("#customer", Input).focus()
        self.mark_unchanged()

    @on(Input.Submitted, "#customer")
    def _lookup(self, event: Input.Submitted) -> None:
        event.stop()
        customer = CustomerRepository(self.db).find_by_account(event.value.strip())
        if customer is None or customer.state != "active":
            show_errors(self, [("customer", f"no customer {event.value.strip()}")])
            return
        clear_errors(self)
        self._use_customer(customer)
        self.query_one("#source_document", Select).focus()

    def _use_customer(self, customer: Customer) -> None:
        self.customer = customer
        self.query_one("#customer-name", Static).update(safe_text(customer.name))
        options = [("Overpayment (no source)", OVERPAYMENT)]
        self.sources = {}
        for document, left in DocumentRepository(self.db).refundable(customer.id):
            key = str(document.id)
            self.sources[key] = (document.id, left, document.currency)
            left_text = money.display(left, document.currency)
            options.append((f"{document.number} — {left_text} {document.currency} left", key))
        select = self.query_one("#source_document", Select)
        select.set_options(options)
        select.value = options[1][1] if len(options) > 1 else OVERPAYMENT
        if len(options) == 1:  # an overpayment: in the currency the customer is billed in
            self.query_one("#currency", Input).value = customer_currency(self.db.conn, customer.id)

    @on(Select.Changed, "#source_document")
    def _source(self, event: Select.Changed) -> None:
        chosen = self.sources.get(str(event.value))
        if chosen is None:
            return
        _, left, currency = chosen
        self.query_one("#currency", Input).value = currency
        self.query_one("#amount", Input).value = money.plain(left, currency)

    def action_save(self) -> None:
        clear_errors(self)
        if self.customer is None:
            show_errors(self, [("customer", "look up a customer first (Enter)")])
            return
        currency = self.query_one("#currency", Input).value.strip().upper()
        amount_text = self.query_one("#amount", Input).value
        try:
            amount = money.to_minor(amount_text, currency)
        except ValueError as exc:
            field = "currency" if "currency" in str(exc) else "amount"
            show_errors(self, [(field, str(exc))])
            return
        source = self.query_one("#source_document", Select).value
        account = self.query_one("#refund_account", Select).value
        try:
            refund = RefundRepository(self.db).create(
                self.customer.id,
                source_document_id=self.sources[str(source)][0]
                if str(source) in self.sources
                else None,
                amount=amount,
                currency=currency,
                refund_date=self.query_one("#refund_date", Input).value.strip(),
                payment_method=str(self.query_one("#payment_method", Select).value),
                refund_account=None if account is Select.NULL else str(account),
                memo=self.query_one("#memo", Input).value or None,
                reference=self.query_one("#reference", Input).value or None,
            )
        except Invalid as exc:
            show_errors(self, [(exc.field, exc.reason)])
            return
        except DataError as exc:
            show_errors(self, [("form", str(exc))])
            return
        self.dismiss(refund)

    def action_cancel(self) -> None:
        self.ask_before_closing()

    def _problems(self) -> dict[str, str]:
        """What a save would refuse in the fields as they are now (by the same rules)."""
        values = {w.id: w.value for w in self.query(Input).results(Input) if w.id}
        found: dict[str, str] = {}
        try:
            money.to_minor(values.get("amount", ""), values.get("currency", "").strip().upper())
        except ValueError as exc:
            found["currency" if "currency" in str(exc) else "amount"] = str(exc)
        try:
            RefundUpdate.model_validate(
                {
                    "refund_date": values.get("refund_date") or None,
                    "memo": values.get("memo") or None,
                    "reference": values.get("reference") or None,
                }
            )
        except ValidationError as exc:
            for field, reason in errors_by_field(exc):
                found.setdefault(field, reason)
        return found

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        """A shown error goes as soon as its field is valid."""
        field = event.input.id or ""
        if field != "customer":
            recheck_field(self, field, self._problems())
        if field == "currency":
            recheck_field(self, "amount", self._problems())

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving an edited amount, currency or date checks it."""
        widget = event.widget
        if not isinstance(widget, Input) or widget.id not in ("amount", "currency", "refund_date"):
            return
        if self._unchanged is not None and self._unchanged.get(widget.id) != widget.value:
            problem = self._problems().get(widget.id)
            if problem:
                self.query_one(f"#error-{widget.id}", Label).update(safe_text(problem))

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
