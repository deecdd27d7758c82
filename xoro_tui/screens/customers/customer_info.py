"""Customer Info: one customer's money summary and, in tabs, their transactions, order
history, invoices and communications; keys create documents and record deposits.

Every value from the database reaches the screen through ``safe_text``/``plain``: the
tables hold ``rich.text.Text`` cells (DataTable parses markup in ``str`` cells) and the
title is cleaned of control characters (the Header shows it literally, as ``Content``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers import customer_activity as customer_info
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import Document, DocumentRepository
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DOCUMENT_TITLE, DocumentType
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.customers.document_form import DepositForm, DocumentForm
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.prompt import screen_prompt
from xoro_tui.widgets.safe_text import plain, safe_text

ORDER_TYPES = (DocumentType.ESTIMATE, DocumentType.SALES_ORDER)
COMMUNICATION_KINDS = {
    "email": "Email",
    "portal_invitation": "Portal invitation",
    "direct_debit_request": "Direct debit request",
    "note": "Note",
}
#: tab id -> (tab label, column labels); amounts are right-aligned by :func:`_amount`
TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "transactions": (
        "Transactions",
        ("Date", "Type", "Number", "Cur", "Amount", "Open balance", "Status", "Memo"),
    ),
    "orders": ("Order History", ("Date", "Type", "Number", "Cur", "Total", "Status", "Memo")),
    "invoices": (
        "Invoices",
        ("Date", "Number", "Cur", "Total", "Open balance", "Status", "Terms", "Memo"),
    ),
    "communications": ("Communications", ("Date", "Kind", "Subject", "By", "Delivery")),
}
#: key -> document type created by the document form
CREATE_KEYS = {
    "estimate": DocumentType.ESTIMATE,
    "sales_order": DocumentType.SALES_ORDER,
    "invoice": DocumentType.INVOICE,
    "sales_receipt": DocumentType.SALES_RECEIPT,
}


def _amount(minor: int | None, currency: str) -> Text:
    if minor is None:
        return Text("")
    return safe_text(money.display(minor, currency))


def _right(text: Text) -> Text:
    text.justify = "right"
    return text


def per_currency(amounts: dict[str, int]) -> str:
    """``1,234.56 USD, 50,000 JPY``: each currency in its own decimals; ``0`` when empty."""
    if not amounts:
        return "0"
    return ", ".join(f"{money.display(v or 0, c)} {c}" for c, v in sorted(amounts.items()))


class CustomerInfo(Screen[None]):
    """Everything about one customer; ``escape``/``q`` go back to where it was opened."""

    CSS_PATH = "../../styles/customer_info.tcss"
    BINDINGS = bindings("CustomerInfo")

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = ""

    @property
    def db(self) -> Any:
        return xoro_app(self).db

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(id="summary", classes="customer-summary")
        with TabbedContent(id="info-tabs"):
            for tab_id, (label, columns) in TABS.items():
                with TabPane(label, id=f"tab-{tab_id}"):
                    table: DataTable[Text] = DataTable(
                        id=tab_id, cursor_type="row", zebra_stripes=False
                    )
                    table.add_columns(*columns)
                    yield table
        yield KeyBar()

    def on_mount(self) -> None:
        customer = CustomerRepository(self.db).get(self.customer_id)
        self.customer_name = customer.name
        # Header shows the title as literal Content (no markup); plain() removes controls.
        self.title = plain(f"Customer Info — {customer.name}")
        self.sub_title = plain(customer.account_number)
        self.refresh_data()
        self.query_one("#transactions", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """U (Undo merge) is offered only while there is a merge into this customer to undo."""
        if action == "undo_merge":
            return self._open_merge() is not None
        return True

    def extra_actions(self) -> Iterable[tuple[str, str]]:
        """More ``(action, label)`` pairs for this customer (e.g. "Undo merge"), offered in
        the command palette next to the screen's keys.

        "Undo merge" appears while this customer is the primary of a merge not yet undone."""
        if self._open_merge() is not None:
            return (("undo_merge", "Undo merge"),)
        return ()

    def _open_merge(self):  # noqa: ANN202 - MergeSummary | None
        from xoro_tui.data.customers.merge import merges_for

        return next((m for m in merges_for(self.db, self.customer_id) if not m.undone_at), None)

    def action_history(self) -> None:
        """Every change to this customer from the audit log: who, when, old → new."""
        from xoro_tui.data.store import audit
        from xoro_tui.screens.lists.results_screen import ResultsScreen

        account = CustomerRepository(self.db).get(self.customer_id).account_number
        entries = audit.history(self.db.conn, "customers", account, limit=500)
        lines = [
            audit.format_line({**entry, "table": "customers", "key": account}) for entry in entries
        ]
        self.app.push_screen(
            ResultsScreen(f"History of {account}", lines or ["no changes recorded"])
        )

    def action_undo_merge(self) -> None:
        """Undo the latest merge into this customer: exactly the moved rows go back."""
        from xoro_tui.data.customers.merge import undo_merge
        from xoro_tui.data.store.errors import DataError
        from xoro_tui.screens.lists.results_screen import ResultsScreen

        merge = self._open_merge()
        if merge is None:
            self.notify("No merge into this customer to undo", timeout=4)
            return

        def answer(yes: bool) -> None:
            if not yes:
                return
            try:
                report = undo_merge(self.db, merge.merge_id)
            except DataError as exc:
                self.notify(plain(str(exc)), severity="error", markup=False, timeout=8)
                return
            restored = CustomerRepository(self.db).get(self.customer_id)  # its name may be back
            self.customer_name = restored.name
            self.title = plain(f"Customer Info — {restored.name}")
            self.refresh_data()
            self.refresh_bindings()
            self.app.push_screen(ResultsScreen("Merge undone", report.lines()))

        when = merge.at[:16].replace("T", " ")
        screen_prompt(self).ask(
            f"Undo the merge of {when} by {merge.user}? Moved rows go back.", answer
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This customer's own actions (e.g. "Undo merge") in the command palette; the
        screen's keys are offered from the action registry."""
        who = plain(self.customer_name)
        for action, label in self.extra_actions():
            yield SystemCommand(label, who, partial(self.run_action, action))

    # -- data
    def refresh_data(self) -> None:
        """Reload the summary and every tab (small per customer, so all at once)."""
        self._show_summary()
        docs = DocumentRepository(self.db)
        self._fill("transactions", self._transaction_rows())
        self._fill(
            "orders", (self._order_row(d) for d in docs.for_customer(self.customer_id, ORDER_TYPES))
        )
        invoices = docs.for_customer(self.customer_id, (DocumentType.INVOICE,))
        self._fill("invoices", (self._invoice_row(d) for d in invoices))
        self._fill("communications", self._communication_rows())

    def _show_summary(self) -> None:
        s = customer_info.summary(self.db, self.customer_id)
        text = (
            f"Open balance: {per_currency(s.open_balance)}   "
            f"Deposits: {per_currency(s.deposits)}   "
            f"Credits: {per_currency(s.credits)}   "
            f"Refunds: {per_currency(s.refunds)}"
        )
        self.query_one("#summary", Static).update(safe_text(text))

    def _fill(self, table_id: str, rows: Iterable[tuple[Text, ...]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def _transaction_rows(self) -> Iterable[tuple[Text, ...]]:
        for r in customer_info.transactions(self.db, self.customer_id):
            kind = r["kind"]
            title = "Refund" if kind == "refund" else DOCUMENT_TITLE.get(DocumentType(kind), kind)
            cur = r["currency"]
            yield (
                safe_text(r["date"]),
                safe_text(title),
                safe_text(r["number"]),
                safe_text(cur),
                _right(_amount(r["amount"], cur)),
                _right(_amount(r["balance"], cur)),
                safe_text(r["status"]),
                safe_text(r["memo"]),
            )

    @staticmethod
    def _order_row(d: Document) -> tuple[Text, ...]:
        return (
            safe_text(d.doc_date.isoformat()),
            safe_text(d.title),
            safe_text(d.number),
            safe_text(d.currency),
            _right(_amount(d.total, d.currency)),
            safe_text(d.status),
            safe_text(d.memo),
        )

    @staticmethod
    def _invoice_row(d: Document) -> tuple[Text, ...]:
        return (
            safe_text(d.doc_date.isoformat()),
            safe_text(d.number),
            safe_text(d.currency),
            _right(_amount(d.total, d.currency)),
            _right(_amount(d.balance, d.currency)),
            safe_text(d.status),
            safe_text(d.terms),
            safe_text(d.memo),
        )

    def _communication_rows(self) -> Iterable[tuple[Text, ...]]:
        for r in customer_info.communications(self.db, self.customer_id):
            yield (
                safe_text((r["created_at"] or "")[:16].replace("T", " ")),
                safe_text(COMMUNICATION_KINDS.get(r["kind"], r["kind"])),
                safe_text(r["subject"]),
                safe_text(r["created_by"]),
                safe_text(r["delivery"]),
            )

    # -- actions
    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"
        self.query_one(f"#{tab_id}", DataTable).focus()

    def action_create(self, kind: str) -> None:
        self.app.push_screen(DocumentForm(self.customer_id, CREATE_KEYS[kind]), self._saved)

    def action_record(self, kind: str) -> None:
        self.app.push_screen(DepositForm(self.customer_id, DocumentType(kind)), self._saved)

    def _saved(self, document: Document | None) -> None:
        if document is None:
            return
        self.refresh_data()
        self.notify(plain(f"{document.title} {document.number} saved"), markup=False, timeout=3)
