"""Forms that create a customer's documents: :class:`DocumentForm` (estimate, sales order,
invoice, sales receipt, with lines) and :class:`DepositForm` (customer deposit or credit
memo: one amount). Both dismiss with the saved :class:`Document`, or ``None`` on cancel.

Errors show under the field they belong to (``#error-<field>``, ``#error-line-<n>-<field>``)
and the form stays open; nothing is written until every field is valid. A shown error
follows the input: it goes as soon as the field is valid (or says the new reason), and
leaving an edited field checks it. Escape on changed input asks Save / Discard / Keep
editing; the input is kept as a draft only if the terminal goes while the form is open."""

from __future__ import annotations

import datetime as dt
from typing import cast

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.billing_currency import customer_currency
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import Document, DocumentRepository, line_amount
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DOCUMENT_TITLE, DocumentType, PaymentMethod
from xoro_tui.data.models.entities import Customer, DocumentIn, LineIn, errors_by_field
from xoro_tui.data.store.errors import DataError, Invalid
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard, restored_message
from xoro_tui.widgets.safe_text import plain, safe_text

MIN_LINES = 5
LINE_FIELDS = ("item", "description", "quantity", "rate")
LINE_TITLES = {"item": "Item", "description": "Description", "quantity": "Qty", "rate": "Rate"}


def _input(field_id: str, value: str = "", placeholder: str = "") -> Input:
    widget = Input(value, placeholder=placeholder, id=field_id, compact=True)
    widget.cursor_blink = False  # a blinking cursor repaints twice a second over SSH
    return widget


def _error(key: str) -> Label:
    label = Label(id=f"error-{key}", classes="error")
    label.display = False
    return label


def _field(title: str, widget: Input | Select, key: str) -> Vertical:
    """A label, the widget and the (hidden) error label under it."""
    return Vertical(Label(title), widget, _error(key), classes="field", id=f"field-{key}")


class _DocumentFormBase(UnsavedGuard, ModalScreen[Document | None]):
    """Shared by both forms: customer line, date and currency, errors, save and cancel."""

    CSS_PATH = "../../styles/customer_info.tcss"
    BINDINGS = bindings("DocumentFormBase")
    #: DocumentIn field -> the form's field key (the id of its input and error label)
    FIELD_KEYS: dict[str, str] = {"doc_date": "date", "site_id": "site"}

    def __init__(self, customer_id: int, doc_type: DocumentType) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.doc_type = doc_type
        self.customer: Customer | None = None
        self._saved = False  # a second ctrl+s before the form closes must not save twice
        #: while not None, errors are gathered here instead of shown (see check_input)
        self._collecting: dict[str, str] | None = None

    def draft_key(self) -> str:
        return f"{self.doc_type.value}:{self.customer_id}"

    #: the form's keys, in its bottom border (a modal's own keys are not in the key bar below)
    keys_hint = "ctrl+s save · esc cancel"

    @property
    def heading(self) -> str:
        return f"New {DOCUMENT_TITLE[self.doc_type]}"

    def compose(self) -> ComposeResult:
        db = xoro_app(self).db
        self.customer = CustomerRepository(db).get(self.customer_id)
        billed_in = customer_currency(db.conn, self.customer_id)
        with VerticalScroll(id="form-body", classes="document-form") as body:
            body.border_title = self.heading
            body.border_subtitle = self.keys_hint
            who = f"Customer: {self.customer.name} ({self.customer.account_number})"
            yield Static(safe_text(who), id="customer")
            with Horizontal(classes="row"):
                yield _field("Date", _input("date", dt.date.today().isoformat()), "date")
                yield _field("Currency", _input("currency", billed_in), "currency")
                yield from self.compose_header()
            yield from self.compose_body()
            yield _error("form")
            yield InlineConfirm(id="confirm")

    def compose_header(self) -> ComposeResult:
        """More fields on the date/currency row."""
        yield from ()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    # -- reading and errors
    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def show_error(self, key: str, message: str) -> None:
        if self._collecting is not None:
            self._collecting.setdefault(key, message)
            return
        matches = self.query(f"#error-{key}").results(Label)
        label = next(matches, None)
        if label is None:  # an error of a field this form has no place for
            label = self.query_one("#error-form", Label)
            message = f"{key}: {message}"
        label.update(safe_text(message))
        label.display = True

    def check_input(self) -> dict[str, str]:
        """The errors a save would show for the input as it is now (by error key), by the
        same checks and models; nothing is shown or saved."""
        self._collecting = {}
        try:
            self.build()
        except ValidationError as exc:
            for field, reason in errors_by_field(exc):
                self.show_error(self.FIELD_KEYS.get(field, field), reason)
        finally:
            found, self._collecting = self._collecting, None
        return found

    def _recheck(self, left: str | None = None) -> None:
        """Shown errors follow the input: each goes once its field is valid, or says the
        new reason; ``left`` (a field just left after an edit) shows its own error."""
        shown = {
            (label.id or "").removeprefix("error-"): label
            for label in self.query("Label.error").results(Label)
            if label.display and label.id != "error-form"
        }
        if left is not None and left not in shown:
            found = self.query(f"#error-{left}").results(Label)
            label = next(found, None)
            if label is not None:
                shown[left] = label
        if not shown:
            return
        errors = self.check_input()
        for key, label in shown.items():
            if key in errors:
                label.update(safe_text(errors[key]))
                label.display = True
            else:
                label.update("")
                label.display = False

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if self._unchanged is not None:  # not while the form is being filled
            self._recheck()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field that was edited checks it."""
        widget = event.widget
        if not isinstance(widget, Input) or not widget.id or self._unchanged is None:
            return
        if self._unchanged.get(widget.id) != widget.value:
            self._recheck(left=widget.id)

    def clear_errors(self) -> None:
        for label in self.query("Label.error").results(Label):
            label.update("")
            label.display = False

    def currency(self) -> str | None:
        try:
            return money.normalise_currency(self.value("currency"))
        except ValueError:
            return None

    def read_header(self) -> tuple[dt.date | None, str | None]:
        """The date and currency, or None (with the error shown) for a wrong one."""
        date: dt.date | None = None
        try:
            date = dt.date.fromisoformat(self.value("date"))
        except ValueError:
            self.show_error("date", "not a date: write a date like 2026-11-23")
        currency = self.currency()
        if currency is None:
            self.show_error("currency", "an ISO 4217 code such as USD, EUR or JPY")
        return date, currency

    # -- actions
    def build(self) -> DocumentIn | None:
        """The document to save, or None when an error was shown."""
        raise NotImplementedError

    def action_save(self) -> None:
        if self._saved:
            return
        self.clear_errors()
        try:
            data = self.build()
        except ValidationError as exc:
            for field, reason in errors_by_field(exc):
                self.show_error(self.FIELD_KEYS.get(field, field), reason)
            return
        if data is None:
            return
        try:
            document = DocumentRepository(xoro_app(self).db).create(data)
        except Invalid as exc:
            self.show_error(self.FIELD_KEYS.get(exc.field, exc.field), exc.reason)
            return
        except (DataError, ValueError) as exc:
            self.show_error("form", str(exc))
            return
        self._saved = True
        self.discard_draft()
        self.dismiss(document)

    def action_cancel(self) -> None:
        self.ask_before_closing()

    def start_editing(self) -> None:
        """The fields are filled: take them as unchanged, then put back a kept draft."""
        self.mark_unchanged()
        when = self.restore_draft()
        if when is not None:
            self.recompute()
            self.notify(restored_message(when) + " (ctrl+s saves)", markup=False, timeout=6)

    def recompute(self) -> None:
        """Totals shown from the input (the line form has them)."""


class DocumentForm(_DocumentFormBase):
    """Estimate, sales order, invoice or sales receipt, with at least five line rows."""

    draft_form = "document_form"

    BINDINGS = bindings("DocumentForm")
    keys_hint = "ctrl+s save · ctrl+n add line · esc cancel"

    def __init__(self, customer_id: int, doc_type: DocumentType) -> None:
        super().__init__(customer_id, doc_type)
        self.line_count = 0

    def compose_header(self) -> ComposeResult:
        assert self.customer is not None
        yield _field("Terms", _input("terms", self.customer.payment_terms or ""), "terms")
        sites = CustomerRepository(xoro_app(self).db).sites(self.customer_id)
        options = [(safe_text(_site_label(s.name, s.line1, s.city)), s.id) for s in sites]
        default = next((s.id for s in sites if s.is_default), None)
        select: Select[int] = Select(
            options,
            prompt="No site",
            allow_blank=True,
            value=default or Select.NULL,
            id="site",
            compact=True,
        )
        yield _field("Ship to", select, "site")

    def compose_body(self) -> ComposeResult:
        yield _field("Memo", _input("memo"), "memo")
        with Horizontal(classes="line line-head"):
            for name in (*LINE_FIELDS, "amount"):
                yield Label(LINE_TITLES.get(name, "Amount"), classes=f"cell {name}")
        with Vertical(id="lines"):
            for _ in range(MIN_LINES):
                yield self._line_row()
        yield _error("lines")
        yield Static(id="total", markup=False)
        yield _error("total")

    def _line_row(self) -> Vertical:
        """One line: its inputs and amount, then its errors, full width (cells are narrow)."""
        self.line_count += 1
        n = self.line_count
        cells = [
            _input(f"line-{n}-{name}", placeholder="1" if name == "quantity" else "")
            for name in LINE_FIELDS
        ]
        for cell, name in zip(cells, LINE_FIELDS, strict=True):
            cell.add_class("cell", name)
        amount = Static(id=f"line-{n}-amount", classes="cell amount", markup=False)
        errors = [_error(f"line-{n}-{name}") for name in LINE_FIELDS]
        return Vertical(
            Horizontal(*cells, amount, classes="line"), *errors, id=f"line-{n}", classes="line-row"
        )

    def show_error(self, key: str, message: str) -> None:
        field = key.rsplit("-", 1)[-1]
        if key.startswith("line-") and field in LINE_TITLES:
            message = f"{LINE_TITLES[field]}: {message}"
        super().show_error(key, message)

    async def on_mount(self) -> None:
        self.recompute()
        await self._lines_for_draft()
        self.start_editing()
        self.query_one("#line-1-item", Input).focus()

    async def _lines_for_draft(self) -> None:
        """A kept draft may have more lines than a new form: add the rows it needs."""
        found = self._drafts().get(self.draft_form or "", self.draft_key())
        if not found:
            return
        numbers = [key.split("-")[1] for key in found[0] if key.startswith("line-")]
        needed = max((int(n) for n in numbers if n.isdigit()), default=0)
        rows = [self._line_row() for _ in range(self.line_count, needed)]
        if rows:
            await self.query_one("#lines", Vertical).mount(*rows)

    async def action_add_line(self) -> None:
        row = self._line_row()
        await self.query_one("#lines", Vertical).mount(row)
        self.query_one(f"#line-{self.line_count}-item", Input).focus()
        row.scroll_visible()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field_id = event.input.id or ""
        if field_id.startswith("line-") or field_id == "currency":
            self.recompute()

    def _line_text(self, n: int) -> dict[str, str]:
        return {name: self.value(f"line-{n}-{name}") for name in LINE_FIELDS}

    def recompute(self) -> None:
        """Each line's amount and the total, live, in the currency's own decimals."""
        currency = self.currency()
        total = 0
        for n in range(1, self.line_count + 1):
            text = self._line_text(n)
            shown = ""
            if currency and any(text.values()):
                try:
                    rate = money.to_minor(text["rate"] or "0", currency)
                    amount = line_amount(text["quantity"] or "1", rate)
                except (ValueError, Invalid):
                    shown = "?"
                else:
                    total += amount
                    shown = money.display(amount, currency)
            self.query_one(f"#line-{n}-amount", Static).update(shown)
        label = f"Total: {money.display(total, currency)} {currency}" if currency else "Total: ?"
        self.query_one("#total", Static).update(label)

    def build(self) -> DocumentIn | None:
        date, currency = self.read_header()
        lines: list[LineIn] = []
        ok = date is not None and currency is not None
        for n in range(1, self.line_count + 1):
            text = self._line_text(n)
            if not any(text.values()):
                continue
            line = self._read_line(n, text, currency)
            ok = ok and line is not None
            if line is not None:
                lines.append(line)
        if ok and not lines:
            self.show_error("lines", "fill in at least one line")
        if not ok or not lines or date is None or currency is None:
            return None
        site = self.query_one("#site", Select)
        return DocumentIn(
            doc_type=self.doc_type,
            customer_id=self.customer_id,
            doc_date=date,
            currency=currency,
            terms=self.value("terms") or None,
            site_id=None if site.is_blank() else cast("int", site.value),
            memo=self.value("memo") or None,
            lines=lines,
        )

    def _read_line(self, n: int, text: dict[str, str], currency: str | None) -> LineIn | None:
        ok = True
        quantity = text["quantity"] or "1"
        rate = 0
        try:
            line_amount(quantity, 1)
        except Invalid as exc:
            self.show_error(f"line-{n}-quantity", exc.reason)
            ok = False
        if currency is not None:
            try:
                rate = money.to_minor(text["rate"] or "0", currency)
            except ValueError as exc:
                self.show_error(f"line-{n}-rate", str(exc))
                ok = False
        try:
            line = LineIn(
                item=text["item"] or None,
                description=text["description"] or None,
                quantity=quantity,
                rate=rate,
            )
        except ValidationError as exc:
            for field, reason in errors_by_field(exc):
                self.show_error(f"line-{n}-{field}", reason)
            return None
        return line if ok and currency is not None else None


class DepositForm(_DocumentFormBase):
    """A customer deposit (refunds are made from deposits) or a credit memo: one amount."""

    draft_form = "deposit_form"

    FIELD_KEYS = {**_DocumentFormBase.FIELD_KEYS, "total": "amount"}

    def __init__(
        self, customer_id: int, doc_type: DocumentType = DocumentType.CUSTOMER_DEPOSIT
    ) -> None:
        if doc_type not in (DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO):
            raise ValueError(f"DepositForm records deposits and credit memos, not {doc_type}")
        super().__init__(customer_id, doc_type)

    @property
    def heading(self) -> str:
        return f"Record {DOCUMENT_TITLE[self.doc_type]}"

    def compose_header(self) -> ComposeResult:
        yield _field("Amount", _input("amount", placeholder="0.00"), "amount")

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="row"):
            if self.doc_type is DocumentType.CUSTOMER_DEPOSIT:
                assert self.customer is not None
                methods = [(m.value, m.value) for m in PaymentMethod]
                default = _method(self.customer.default_payment_method)
                select: Select[str] = Select(
                    methods,
                    allow_blank=False,
                    value=default or PaymentMethod.CHEQUE.value,
                    id="method",
                    compact=True,
                )
                yield _field("Method", select, "method")
            yield _field("Reference", _input("reference"), "reference")
        yield _field("Memo", _input("memo"), "memo")

    def on_mount(self) -> None:
        self.start_editing()
        self.query_one("#amount", Input).focus()

    def build(self) -> DocumentIn | None:
        date, currency = self.read_header()
        amount: int | None = None
        if currency is not None:
            try:
                amount = money.to_minor(self.value("amount"), currency)
            except ValueError as exc:
                self.show_error("amount", str(exc))
            else:
                if amount <= 0:
                    self.show_error("amount", "an amount above zero")
                    amount = None
        if date is None or currency is None or amount is None:
            return None
        method = next((str(s.value) for s in self.query("#method").results(Select)), None)
        return DocumentIn(
            doc_type=self.doc_type,
            customer_id=self.customer_id,
            doc_date=date,
            currency=currency,
            reference=self.value("reference") or None,
            method=method,
            memo=self.value("memo") or None,
            total=amount,
        )


def _method(value: str | None) -> str | None:
    try:
        return PaymentMethod.parse(value).value if value else None
    except ValueError:
        return None


def _site_label(*parts: str | None) -> str:
    return plain(" — ".join(p for p in parts if p) or "Site")
