"""What the Customer Info screen shows: transactions, orders, invoices, communications and
a money summary, per currency."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils


@dataclass
class Summary:
    """Minor units per currency."""

    open_balance: dict[str, int] = field(default_factory=dict)
    deposits: dict[str, int] = field(default_factory=dict)
    credits: dict[str, int] = field(default_factory=dict)
    refunds: dict[str, int] = field(default_factory=dict)


def summary(db: sqlite_utils.Database, customer_id: int) -> Summary:
    conn = db.conn
    out = Summary()
    for cur, total in conn.execute(
        "SELECT currency, sum(balance) FROM documents WHERE customer_id = ? AND doc_type = "
        "'invoice' GROUP BY currency",
        (customer_id,),
    ):
        out.open_balance[cur] = total
    remaining = (
        "SELECT d.currency, sum(d.total - coalesce((SELECT sum(r.amount) FROM refunds r "
        "WHERE r.source_document_id = d.id AND r.status != 'Voided'), 0)) FROM documents d "
        "WHERE d.customer_id = ? AND d.doc_type = ? GROUP BY d.currency"
    )
    for cur, total in conn.execute(remaining, (customer_id, "customer_deposit")):
        out.deposits[cur] = total
    for cur, total in conn.execute(remaining, (customer_id, "credit_memo")):
        out.credits[cur] = total
    for cur, total in conn.execute(
        "SELECT currency, sum(amount) FROM refunds WHERE customer_id = ? AND status != 'Voided' "
        "GROUP BY currency",
        (customer_id,),
    ):
        out.refunds[cur] = total
    return out


def transactions(db: sqlite_utils.Database, customer_id: int, limit: int = 1000) -> list[dict]:
    """Every document and refund of the customer, newest first."""
    return list(db.query(
        "SELECT doc_date AS date, doc_type AS kind, number, currency, total AS amount,"
        " balance, status, memo FROM documents WHERE customer_id = :c "
        "UNION ALL SELECT refund_date, 'refund', refund_number, currency, amount, NULL, status,"
        " memo FROM refunds WHERE customer_id = :c ORDER BY 1 DESC, 3 DESC LIMIT :n",
        {"c": customer_id, "n": limit},
    ))  # fmt: skip


def communications(db: sqlite_utils.Database, customer_id: int, limit: int = 500) -> list[dict]:
    return list(db.query(
        "SELECT c.created_at, c.kind, c.subject, c.created_by, o.status AS delivery "
        "FROM communications c LEFT JOIN outbox o ON o.id = c.outbox_id "
        "WHERE c.customer_id = ? ORDER BY c.id DESC LIMIT ?",
        (customer_id, limit),
    ))  # fmt: skip
