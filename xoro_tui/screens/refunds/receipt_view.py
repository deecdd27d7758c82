"""View Refund Receipt: header, lines, what it refunds and what is left of it, totals, the
cheque details and the change history from the audit log — all as plain text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DOCUMENT_TITLE
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.audit import format_line
from xoro_tui.data.store.errors import DataError
from xoro_tui.documents.words import amount_in_words
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import plain


class RefundReceipt(Screen[str | None]):
    """Dismisses with an action the Refund Centre carries out (update, print…), or None."""

    BINDINGS = bindings("RefundReceipt")

    def __init__(self, refund_id: int) -> None:
        super().__init__()
        self.refund_id = refund_id

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with VerticalScroll():
            yield Static(self.receipt_text(), markup=False, id="receipt")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Refund Receipt"

    def receipt_text(self) -> Text:
        db = xoro_app(self).db
        repo = RefundRepository(db)
        refund = repo.get(self.refund_id)
        cur = refund.currency
        from xoro_tui.data.refunds.cheque_register import AWAITING, held_by

        cheque = str(refund.cheque_number or "")
        if held_by(db.conn, refund.id) is not None:
            cheque += f" ({AWAITING} that it printed correctly)"
        text = Text()
        text.append(f"Refund Receipt {plain(refund.refund_number)}\n", style="bold")
        rows = [
            ("Customer", f"{refund.customer_name} ({refund.customer_account_number})"),
            ("Date", refund.refund_date.isoformat()),
            ("Status", refund.status.value),
            ("Payment method", refund.payment_method.value),
            ("Refund account", refund.refund_account or ""),
            ("Cheque number", cheque),
            ("Reference", refund.reference or ""),
            ("Memo", refund.memo or ""),
            ("Created by", refund.created_by or ""),
            ("Approved by", refund.approved_by or ""),
            ("Printed", f"{refund.print_count} time(s)"),
        ]
        if refund.void_reason:
            rows.append(("Void reason", refund.void_reason))
        for label, value in rows:
            text.append(f"  {label:<16} {plain(value)}\n")
        for label, value in self.contact_rows(refund.customer_id):
            text.append(f"  {label:<16} {plain(value)}\n")
        events = repo.milestones(refund.id)
        if events:
            text.append("\nApproval, printing, issue, clearing, voiding\n", style="bold")
            for event, at, user in events:
                text.append(f"  {plain(event):<24} {plain(at[:16].replace('T', ' '))}  "
                            f"{plain(user)}\n")  # fmt: skip
        if refund.source_document_id:
            documents = DocumentRepository(db)
            source = documents.get(refund.source_document_id)
            left = documents.remaining(source.id)
            text.append(f"\nRefunds {DOCUMENT_TITLE[source.doc_type]} ", style="bold")
            text.append(f"{plain(source.number)} of {source.doc_date.isoformat()}\n")
            text.append(f"  Original total   {money.display(source.total, source.currency)} "
                        f"{source.currency}\n")  # fmt: skip
            text.append(f"  Remaining        {money.display(left, source.currency)} "
                        f"{source.currency}\n")  # fmt: skip
        else:
            text.append("\nOverpayment refund (no source document)\n", style="bold")
        text.append("\nLines\n", style="bold")
        for line in repo.lines(refund.id):
            amount = money.display(line.amount, cur)
            text.append(f"  {line.line_no:>2}. {plain(line.description or ''):<50} {amount:>14}\n")
        text.append(
            f"  {'Total':<54} {money.display(refund.amount, cur):>14} {cur}\n", style="bold"
        )
        text.append(f"  {plain(amount_in_words(refund.amount, cur))}\n")
        text.append("\nChange history\n", style="bold")
        for entry in repo.history(refund.id):
            entry = {**entry, "table": "refunds", "key": refund.refund_number}
            text.append(f"  {plain(format_line(entry))}\n")
        return text

    def contact_rows(self, customer_id: int) -> list[tuple[str, str]]:
        """The customer's phone, email and billing address (one line each, when known)."""
        from xoro_tui.data.customers.customer_repo import CustomerRepository

        try:
            who = CustomerRepository(xoro_app(self).db).get(customer_id)
        except DataError:
            return []
        address = ", ".join(
            v
            for v in (
                who.bill_to_line1,
                who.bill_to_line2,
                who.bill_to_city,
                who.bill_to_state,
                who.bill_to_postal_code,
                who.bill_to_country,
            )  # fmt: skip
            if v
        )
        return [("Phone", who.phone or ""), ("Email", who.email or ""),
                ("Billing address", address)]  # fmt: skip

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_act(self, action: str) -> None:
        self.dismiss(action)
