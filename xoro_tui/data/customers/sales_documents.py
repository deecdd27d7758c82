"""Documents of a customer: estimates, sales orders, invoices, sales receipts, customer
deposits and credit memos, each numbered from its own sequence."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlite_utils
from pydantic import BaseModel, ConfigDict

from xoro_tui.data.customers.billing_currency import customer_currency
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DOCUMENT_PREFIX, DOCUMENT_TITLE, DocumentType
from xoro_tui.data.models.entities import DocumentIn, LineIn
from xoro_tui.data.store import audit, sequences
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound
from xoro_tui.data.store.rows import fetch_one, inserted_id

#: documents whose balance is money still to be paid or refunded
_OPEN_BALANCE = {DocumentType.INVOICE, DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO}


def new_status(doc_type: DocumentType, balance: int) -> str:
    """A new document's status, as each kind has it (and the demo shows): an estimate or a
    sales order is Open until it is closed; a sales receipt is paid when it is made; an
    invoice is Open while it has a balance, else Paid; a deposit or credit memo is Open
    while something of it is left to use or refund."""
    if doc_type is DocumentType.SALES_RECEIPT:
        return "Paid"
    if doc_type is DocumentType.INVOICE:
        return "Open" if balance else "Paid"
    if doc_type in (DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO):
        return "Open" if balance else "Closed"
    return "Open"


class Document(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    doc_type: DocumentType
    number: str
    customer_id: int
    doc_date: dt.date
    currency: str
    terms: str | None = None
    memo: str | None = None
    reference: str | None = None
    method: str | None = None
    total: int
    balance: int
    status: str
    version: int

    @property
    def title(self) -> str:
        return DOCUMENT_TITLE[self.doc_type]


def line_amount(quantity: str, rate: int) -> int:
    """Quantity × rate in minor units, rounded half up to the minor unit."""
    try:
        qty = Decimal(quantity)
    except InvalidOperation:
        raise Invalid("quantity", f"{quantity!r} is not a number") from None
    if not qty.is_finite() or qty < 0 or qty > 10**9:
        raise Invalid("quantity", "a quantity from 0 to 1,000,000,000")
    return int((qty * rate).to_integral_value(rounding=ROUND_HALF_UP))


def remaining(conn: sqlite3.Connection, document_id: int) -> int:
    """What is left of a deposit or credit memo after its refunds (voided ones give back)."""
    row = conn.execute(
        "SELECT d.total - coalesce((SELECT sum(r.amount) FROM refunds r "
        "WHERE r.source_document_id = d.id AND r.status != 'Voided'), 0) "
        "FROM documents d WHERE d.id = ?",
        (document_id,),
    ).fetchone()
    if row is None:
        raise NotFound("document not found")
    return int(row[0])


class DocumentRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def create(self, data: DocumentIn) -> Document:
        """Save a new document with its lines; its number comes from its type's sequence.

        Its status is the one its kind starts in (:func:`new_status`); without a currency
        it is made in the customer's billing currency."""
        if data.currency is None:
            currency = customer_currency(self.db.conn, data.customer_id)
            data = data.model_copy(update={"currency": currency})
        assert data.currency is not None
        money.exponent(data.currency)
        lines = [(line, line_amount(line.quantity, line.rate)) for line in data.lines]
        total = sum(amount for _, amount in lines) if lines else data.total
        if total < 0:
            raise Invalid("total", "a document total is not negative")
        if (
            data.doc_type in (DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO)
            and total <= 0
        ):
            raise Invalid("total", "a deposit or credit memo needs an amount above zero")
        with write_tx(self.db) as conn:
            customer = conn.execute(
                "SELECT account_number, state FROM customers WHERE id = ?", (data.customer_id,)
            ).fetchone()
            if customer is None or customer[1] != "active":
                raise NotFound("the customer no longer exists")
            seq = sequences.take(conn, data.doc_type.value)
            number = f"{DOCUMENT_PREFIX[data.doc_type]}-{seq:06d}"
            balance = total if data.doc_type in _OPEN_BALANCE else 0
            status = new_status(data.doc_type, balance)
            cursor = conn.execute(
                "INSERT INTO documents(doc_type, number, customer_id, site_id, doc_date, currency,"
                " terms, memo, reference, method, total, balance, status, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    data.doc_type.value,
                    number,
                    data.customer_id,
                    data.site_id,
                    data.doc_date.isoformat(),
                    data.currency,
                    data.terms,
                    data.memo,
                    data.reference,
                    data.method,
                    total,
                    balance,
                    status,
                    os_user(),
                    now_iso(),
                ),
            )
            document_id = inserted_id(cursor)
            for line_no, (line, amount) in enumerate(lines, start=1):
                conn.execute(
                    "INSERT INTO document_lines(document_id, line_no, item, description,"
                    " quantity, rate, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        document_id,
                        line_no,
                        line.item,
                        line.description,
                        line.quantity,
                        line.rate,
                        amount,
                    ),
                )
            audit.record(
                conn,
                "documents",
                number,
                "insert",
                {
                    "customer": (None, customer[0]),
                    "total": (None, money.plain(total, data.currency)),
                    "currency": (None, data.currency),
                },
            )
            return self._get(conn, document_id)

    def get(self, document_id: int) -> Document:
        return self._get(self.db.conn, document_id)

    @staticmethod
    def _get(conn: sqlite3.Connection, document_id: int) -> Document:
        row = fetch_one(conn, "SELECT * FROM documents WHERE id = ?", (document_id,))
        if row is None:
            raise NotFound("document not found")
        return Document.model_validate(row)

    def by_number(self, number: str) -> Document | None:
        row = next(self.db.query("SELECT * FROM documents WHERE number = ?", (number,)), None)
        return Document.model_validate(row) if row else None

    def lines(self, document_id: int) -> list[LineIn]:
        rows = self.db.query(
            "SELECT item, description, quantity, rate, amount FROM document_lines "
            "WHERE document_id = ? ORDER BY line_no",
            (document_id,),
        )
        return [LineIn.model_validate(r) for r in rows]

    def for_customer(
        self, customer_id: int, types: tuple[DocumentType, ...] | None = None, limit: int = 500
    ) -> list[Document]:
        sql = "SELECT * FROM documents WHERE customer_id = ?"
        args: list[object] = [customer_id]
        if types:
            sql += f" AND doc_type IN ({', '.join('?' * len(types))})"
            args.extend(t.value for t in types)
        sql += " ORDER BY doc_date DESC, id DESC LIMIT ?"
        args.append(limit)
        return [Document.model_validate(r) for r in self.db.query(sql, args)]

    def refundable(self, customer_id: int) -> list[tuple[Document, int]]:
        """The customer's deposits and credit memos with something left to refund."""
        docs = self.for_customer(
            customer_id, (DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO)
        )
        out = [(d, remaining(self.db.conn, d.id)) for d in docs]
        return [(d, left) for d, left in out if left > 0]

    def remaining(self, document_id: int) -> int:
        return remaining(self.db.conn, document_id)
