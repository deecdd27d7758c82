"""The purge of deleted customers past retention: purged when they have no financial
records, archived when they have. Kept apart from the store's maintenance so that the
start-up purge imports no models (and so no Pydantic) while the first screen is drawn."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

import sqlite_utils

from xoro_tui.data.search import search_sync
from xoro_tui.data.store import audit
from xoro_tui.data.store.connection import write_tx


@dataclass
class PurgeResult:
    purged: int
    archived: int


_FINANCIAL = (
    "(EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id) OR "
    "EXISTS (SELECT 1 FROM refunds r WHERE r.customer_id = c.id))"
)


#: customers purged or archived per write transaction, so others wait a moment, not minutes
PURGE_CHUNK = 500


def purge_deleted(db: sqlite_utils.Database, retention_days: int) -> PurgeResult:
    """Deleted customers past retention: purged when they have no financial records,
    archived (kept, never destroyed) when they have documents, deposits or refunds."""
    cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=retention_days)).isoformat(
        timespec="seconds"
    )
    old = "c.state = 'deleted' AND c.deleted_at < ?"
    due = db.conn.execute(f"SELECT 1 FROM customers c WHERE {old} LIMIT 1", (cutoff,))
    if due.fetchone() is None:
        # every start-up runs this: take the write lock only when there is work for it
        return PurgeResult(purged=0, archived=0)
    purged = archived = 0
    while True:
        with write_tx(db) as conn:
            rows = conn.execute(
                f"SELECT c.id, c.account_number, {_FINANCIAL} FROM customers c "
                f"WHERE {old} ORDER BY c.id LIMIT ?",
                (cutoff, PURGE_CHUNK),
            ).fetchall()
            kept = [(cid, account) for cid, account, financial in rows if financial]
            doomed = [(cid, account) for cid, account, financial in rows if not financial]
            _archive(conn, kept)
            _purge(conn, doomed)
        archived += len(kept)
        purged += len(doomed)
        if len(rows) < PURGE_CHUNK:
            return PurgeResult(purged=purged, archived=archived)


def _archive(conn: sqlite3.Connection, customers: list[tuple[int, str]]) -> None:
    for customer_id, account in customers:
        conn.execute("UPDATE customers SET state = 'archived' WHERE id = ?", (customer_id,))
        audit.record(conn, "customers", account, "archive", {"state": ("deleted", "archived")})


def _purge(conn: sqlite3.Connection, customers: list[tuple[int, str]]) -> None:
    if not customers:
        return
    triggers = search_sync.suspend_customer_search(conn)
    for customer_id, account in customers:
        conn.execute("DELETE FROM communications WHERE customer_id = ?", (customer_id,))
        conn.execute(
            "UPDATE customers SET merged_into = NULL WHERE merged_into = ?", (customer_id,)
        )
        conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))
        audit.record(conn, "customers", account, "purge", {"state": ("deleted", None)})
    search_sync.resume_customer_search(conn, triggers, [cid for cid, _ in customers])
