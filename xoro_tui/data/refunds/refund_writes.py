"""Writing one refund by its number: the authoritative upsert the import (and later the
Refund Centre) uses. Callers own the transaction and the audit row.

The checks that need the database live here and raise :class:`Invalid` naming the
field: the customer must exist, a source document must be a deposit or credit memo of
that customer, and a cheque number may be used only once per refund account.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from xoro_tui.data.models import money
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.models.entities import RefundIn
from xoro_tui.data.refunds import cheque_register, policy
from xoro_tui.data.store import audit, sequences
from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.errors import Invalid
from xoro_tui.data.store.rows import fetch_one

TABLE = "refunds"
#: the sequence that numbers refunds ``RF-000123``; an imported number moves it past
REFUND_SEQUENCE = "refund_number"
_REFUND_NUMBER = re.compile(r"RF-(\d{1,12})", re.IGNORECASE)
#: optional fields whose stored value an update may keep (the file had no such column)
KEEPABLE: frozenset[str] = frozenset(
    {"reference", "source_document", "void_reason", "created_by", "approved_by"}
)
SOURCE_TYPES = ("customer_deposit", "credit_memo")

_SNAPSHOT_SQL = """
SELECT r.id, r.refund_number, c.account_number AS customer_account_number, r.refund_date,
       r.amount, r.currency, r.status, r.payment_method, r.refund_account, r.cheque_number,
       r.memo, r.reference, d.number AS source_document, r.void_reason, r.created_by,
       r.approved_by, r.source_document_id, r.customer_id, r.version
FROM refunds r JOIN customers c ON c.id = r.customer_id
LEFT JOIN documents d ON d.id = r.source_document_id
WHERE r.id = ?"""

#: the refunds columns an upsert writes, in order
_COLUMNS: tuple[str, ...] = (
    "refund_number", "customer_id", "refund_date", "amount", "currency", "status",
    "payment_method", "refund_account", "cheque_number", "source_document_id", "memo",
    "reference", "void_reason", "created_by", "approved_by",
)  # fmt: skip
_UPSERT_SQL = (
    f"INSERT INTO refunds({', '.join(_COLUMNS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))}) "
    "ON CONFLICT(refund_number) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "refund_number")
    # qualified: PostgreSQL reads a bare name in DO UPDATE as ambiguous (row or excluded)
    + ", updated_at = excluded.updated_at, version = refunds.version + 1"
)


@dataclass(frozen=True)
class _Stored:
    refund_number: str
    status: RefundStatus
    created_by: str | None

    @classmethod
    def of(cls, snap: dict[str, Any]) -> _Stored:
        return cls(snap["refund_number"], RefundStatus.parse(snap["status"]), snap["created_by"])


@dataclass
class Outcome:
    """What an upsert did: ``insert``, ``update`` or ``unchanged``, and the old → new changes."""

    action: str
    refund_number: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def snapshot(conn: sqlite3.Connection, refund_id: int) -> dict[str, Any]:
    """A stored refund with the import's field names (for diffs)."""
    return fetch_one(conn, _SNAPSHOT_SQL, (refund_id,)) or {}


def find_id(conn: sqlite3.Connection, refund_number: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM refunds WHERE refund_number = ?", (refund_number,)
    ).fetchone()
    return int(row[0]) if row else None


def ensure_account(
    conn: sqlite3.Connection, name: str | None, user: str | None = None
) -> str | None:
    """The stored spelling of a refund account, creating it when new (matched in any case)."""
    if name is None:
        return None
    row = conn.execute("SELECT name FROM refund_accounts WHERE name = ?", (name,)).fetchone()
    if row:
        return str(row[0])
    wanted = name.casefold()
    for (stored,) in conn.execute("SELECT name FROM refund_accounts"):
        if stored.casefold() == wanted:
            return str(stored)
    conn.execute("INSERT INTO refund_accounts(name) VALUES (?)", (name,))
    start = conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = ?", (name,)
    ).fetchone()[0]
    audit.record(
        conn, "refund_accounts", name, "insert", {"next_cheque_number": (None, start)}, user=user
    )
    return name


def resolve(conn: sqlite3.Connection, data: RefundIn, user: str | None = None) -> dict[str, Any]:
    """The refund as stored, import-named, plus ``customer_id`` and ``source_document_id``.

    Creates the refund account when new; raises :class:`Invalid` for an unknown
    customer, a source document that is not this customer's deposit or credit memo,
    or a cheque number another refund already has on the same account.
    """
    customer = conn.execute(
        "SELECT id, account_number FROM customers WHERE account_number = ?",
        (data.customer_account_number,),
    ).fetchone()
    if customer is None:
        raise Invalid("customer_account_number", f"no customer {data.customer_account_number}")
    document: tuple[int, str] | tuple[None, None] = (None, None)
    if data.source_document is not None:
        found = conn.execute(
            "SELECT id, number FROM documents WHERE number = ? COLLATE NOCASE"
            " AND customer_id = ? AND doc_type IN (?, ?) ORDER BY id LIMIT 1",
            (data.source_document, customer[0], *SOURCE_TYPES),
        ).fetchone()
        if found is None:
            raise Invalid("source_document", "not found")
        document = (int(found[0]), str(found[1]))
    if data.status is RefundStatus.VOIDED and not data.void_reason:
        raise Invalid("void_reason", "missing: a Voided refund needs its void reason")
    account = ensure_account(conn, data.refund_account, user)
    if data.cheque_number is not None and account is not None:
        other = conn.execute(
            "SELECT refund_number FROM refunds WHERE refund_account = ? AND cheque_number = ?"
            " AND refund_number != ?",
            (account, data.cheque_number, data.refund_number),
        ).fetchone()
        if other:
            raise Invalid("cheque_number", f"already used by {other[0]}")
    return {
        "refund_number": data.refund_number,
        "customer_account_number": customer[1],
        "refund_date": data.refund_date.isoformat(),
        "amount": data.amount,
        "currency": data.currency,
        "status": data.status.value,
        "payment_method": data.payment_method.value,
        "refund_account": account,
        "cheque_number": data.cheque_number,
        "memo": data.memo,
        "reference": data.reference,
        "source_document": document[1],
        "void_reason": data.void_reason,
        "created_by": data.created_by,
        "approved_by": data.approved_by,
        "customer_id": int(customer[0]),
        "source_document_id": document[0],
    }


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A snapshot with its amount as people read it (``42.00 GBP``), for the audit."""
    if row.get("amount") is None or not row.get("currency"):
        return row
    return {**row, "amount": money.with_code(int(row["amount"]), str(row["currency"]))}


def upsert_refund(
    conn: sqlite3.Connection,
    data: RefundIn,
    *,
    keep: Collection[str] = (),
    user: str | None = None,
    historical: bool = False,
) -> Outcome:
    """Insert or update the refund named by ``data.refund_number`` (no version check).

    ``keep`` names optional fields (see :data:`KEEPABLE`) whose stored value an update
    keeps, for a file that has no such column; a blank ``created_by`` keeps the stored
    creator, or on a new refund becomes ``user``. Moves the refund-number sequence past
    the number used, never an account's next cheque number; a historical cheque number is
    recorded in the account's cheque register (refused unless unused and below the
    current book's start).
    """
    existing = find_id(conn, data.refund_number)
    before = snapshot(conn, existing) if existing is not None else {}
    if before:
        kept = {f: before[f] for f in keep if f in KEEPABLE}
        if data.created_by is None:
            kept["created_by"] = before["created_by"]
        data = data.model_copy(update={**kept, "refund_number": before["refund_number"]})
    elif data.created_by is None and user:
        data = data.model_copy(update={"created_by": user})
    after = resolve(conn, data, user)
    named = {k: v for k, v in after.items() if k not in {"customer_id", "source_document_id"}}
    changes = audit.diff(_shown(before), _shown(named))
    if before:
        policy.check_import_changes(_Stored.of(before), data.status, changes)
    _move_sequences(conn, after)
    if before and not changes:
        return Outcome("unchanged", before["refund_number"])
    stamp = now_iso()
    conn.execute(_UPSERT_SQL, (*(after[c] for c in _COLUMNS), stamp, stamp))
    cheque_register.import_cheque(conn, before, after, find_id(conn, after["refund_number"]))
    action = "update" if before else "insert"
    if historical:
        action = "import update" if before else "import"
    return Outcome(action, after["refund_number"], changes)


def _move_sequences(conn: sqlite3.Connection, after: dict[str, Any]) -> None:
    match = _REFUND_NUMBER.fullmatch(after["refund_number"])
    if match:
        sequences.move_past(conn, REFUND_SEQUENCE, int(match.group(1)))


def record(conn: sqlite3.Connection, outcome: Outcome, user: str | None = None) -> None:
    """The audit row of an upsert (none when nothing changed), by ``user``."""
    if outcome.action != "unchanged":
        audit.record(conn, TABLE, outcome.refund_number, outcome.action, outcome.changes, user=user)
