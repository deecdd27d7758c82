"""Reads that have a ``sqlite_utils.Database`` use its ``db.query()``; ``data/store/rows.py``
stays for code inside a write transaction, which holds only the connection."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from tests.factories import customer
from xoro_tui.data.customers.customer_activity import communications, transactions
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import CardIn, DocumentIn
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.connection import write_tx

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2024, 5, 1)


def test_reads_through_db_query_give_what_they_gave(db) -> None:
    who = customer(db, name="Zoë", ship_to_line1="1 High St")
    documents = DocumentRepository(db)
    deposit = documents.create(DocumentIn(doc_type=DocumentType.CUSTOMER_DEPOSIT,
                                          customer_id=who.id, doc_date=DAY, currency="USD",
                                          total=5000))  # fmt: skip
    assert documents.by_number(deposit.number) == documents.get(deposit.id) == deposit
    assert documents.by_number("no such number") is None
    assert documents.for_customer(who.id) == [deposit]
    refunds = RefundRepository(db, user="me")
    refund = refunds.create(who.id, source_document_id=deposit.id, amount=1250, currency="USD",
                            refund_date=DAY, payment_method="ACH")  # fmt: skip
    assert refunds.by_number(refund.refund_number) == refunds.get(refund.id) == refund
    assert [(line.description, line.amount) for line in refunds.lines(refund.id)] == [
        (f"Refund of {deposit.number}", 1250)
    ]
    customers = CustomerRepository(db)
    assert [site.line1 for site in customers.sites(who.id)] == ["1 High St"]
    card = customers.add_card(who.id, CardIn(brand="Visa", last4="4242", exp_month=12,
                                             exp_year=2030))  # fmt: skip
    assert [(c.id, c.last4) for c in customers.cards(who.id)] == [(card.id, "4242")]
    kinds = [(row["kind"], row["number"]) for row in transactions(db, who.id)]
    assert sorted(kinds) == sorted([("refund", refund.refund_number),
                                    (deposit.doc_type.value, deposit.number)])  # fmt: skip
    assert communications(db, who.id) == []


def test_a_read_inside_a_write_transaction_keeps_the_transaction(db) -> None:
    who = customer(db)
    with write_tx(db) as conn:
        conn.execute("UPDATE customers SET name = 'Inside' WHERE id = ?", (who.id,))
        assert RefundRepository(db).by_number("RF-000001") is None
        assert conn.in_transaction
    assert CustomerRepository(db).get(who.id).name == "Inside"


def test_the_row_helpers_are_given_a_transaction_connection_only() -> None:
    """``fetch_one(db.conn, …)`` or ``fetch_all(self.conn, …)``: use ``db.query()``."""
    found = []
    for path in sorted((ROOT / "xoro_tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"fetch_one", "fetch_all"}
                and node.args
                and isinstance(node.args[0], ast.Attribute)
                and node.args[0].attr == "conn"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
