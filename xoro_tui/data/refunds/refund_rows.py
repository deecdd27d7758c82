"""One refund as stored: reading it whole, its audited view, the stale-edit check, and the
refund accounts. Shared by the refund repository and the cheque desk, which build on it."""

from __future__ import annotations

import sqlite3
from typing import Any

from xoro_tui.data.customers.customer_repo import changes_since
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.models.entities import Refund
from xoro_tui.data.store.errors import NotFound, StaleEdit
from xoro_tui.data.store.rows import fetch_one

TABLE = "refunds"
S = RefundStatus
PRINTABLE = (S.APPROVED, S.PRINTED, S.ISSUED, S.CLEARED)

_GET_SQL = (
    "SELECT r.*, c.account_number AS customer_account_number, c.name AS customer_name,"
    " d.number AS source_document FROM refunds r JOIN customers c ON c.id = r.customer_id"
    " LEFT JOIN documents d ON d.id = r.source_document_id WHERE r.{key} = ?"
)


def _load(conn: sqlite3.Connection, refund_id: int) -> Refund:
    row = fetch_one(conn, _GET_SQL.format(key="id"), (refund_id,))
    if row is None:
        raise NotFound(f"refund {refund_id} does not exist")
    return Refund.model_validate(row)


def _view(refund: Refund) -> dict[str, Any]:
    """The audited fields, as a person reads them."""
    return {
        "customer": refund.customer_account_number,
        "refund_date": refund.refund_date.isoformat(),
        "amount": money.with_code(refund.amount, refund.currency),
        "currency": refund.currency,
        "status": refund.status.value,
        "payment_method": refund.payment_method.value,
        "refund_account": refund.refund_account,
        "cheque_number": refund.cheque_number,
        "source_document": refund.source_document,
        "memo": refund.memo,
        "reference": refund.reference,
        "void_reason": refund.void_reason,
        "approved_by": refund.approved_by,
        "print_count": refund.print_count,
    }


def fresh(conn: sqlite3.Connection, refund_id: int, version: int) -> Refund:
    """The refund, if it is still at ``version``; else StaleEdit naming what others changed."""
    refund = _load(conn, refund_id)
    if refund.version != version:
        raise StaleEdit(
            "changed by someone else since you opened it; reload to see their changes",
            changes_since(conn, TABLE, refund.refund_number, refund.version - version),
        )
    return refund


def refund_accounts(conn: sqlite3.Connection) -> list[tuple[str, str | None, str | None, int]]:
    """(name, bank_name, bank_account, next_cheque_number) of every refund account."""
    rows = conn.execute(
        "SELECT name, bank_name, bank_account, next_cheque_number FROM refund_accounts"
        " ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [(r[0], r[1], r[2], int(r[3])) for r in rows]
