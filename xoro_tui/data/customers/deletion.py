"""Batch Delete and Restore: customers leave the Centre (state 'deleted') and can come back.

Nothing is destroyed here: :func:`xoro_tui.data.customers.purge.purge_deleted` later purges
deleted customers past retention, and archives (never destroys) those with documents,
deposits or refunds. The deleted list is ``customer_list.customer_spec("deleted")``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from xoro_tui.data.customers.batch import check_size, collect_ids
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx

_CHOSEN = "IN (SELECT value FROM json_each(?))"
_RELATED = (
    ("refunds", "refunds"),
    ("saved_cards", "saved_cards"),
    ("sites", "sites"),
    ("communications", "communications"),
)


def batch_delete_preview(db: sqlite_utils.Database, ids: Iterable) -> tuple[int, dict[str, int]]:
    """(active customers among ``ids``, what goes with them: documents by type, refunds,
    saved cards, sites, communications)."""
    conn = db.conn
    chosen = json.dumps(collect_ids(ids))
    active = f"SELECT id FROM customers WHERE state = 'active' AND id {_CHOSEN}"
    count = int(conn.execute(f"SELECT count(*) FROM ({active})", (chosen,)).fetchone()[0])
    related: dict[str, int] = {
        doc_type: n
        for doc_type, n in conn.execute(
            f"SELECT doc_type, count(*) FROM documents WHERE customer_id IN ({active}) "
            "GROUP BY doc_type ORDER BY doc_type",
            (chosen,),
        )
    }
    for label, table in _RELATED:
        related[label] = int(
            conn.execute(
                f"SELECT count(*) FROM {table} WHERE customer_id IN ({active})", (chosen,)
            ).fetchone()[0]
        )
    return count, related


def _move(db: sqlite_utils.Database, ids: list[int], old: str, new: str, action: str) -> int:
    """Move the customers in state ``old`` among ``ids`` to ``new``; audited; one transaction."""
    stamp, user = now_iso(), os_user()
    deleted_at = stamp if new == "deleted" else None
    with write_tx(db) as conn:
        step = 50_000
        moved = 0
        for start in range(0, len(ids), step):
            chosen = json.dumps(ids[start : start + step])
            accounts = [
                r[0]
                for r in conn.execute(
                    f"SELECT account_number FROM customers WHERE state = ? AND id {_CHOSEN}",
                    (old, chosen),
                )
            ]
            conn.execute(
                "UPDATE customers SET state = ?, deleted_at = ?, updated_at = ?,"
                f" version = version + 1 WHERE state = ? AND id {_CHOSEN}",
                (new, deleted_at, stamp, old, chosen),
            )
            changes = json.dumps({"state": [old, new]})
            conn.executemany(
                "INSERT INTO audit_log(at, user, table_name, record_key, action, changes)"
                " VALUES (?, ?, 'customers', ?, ?, ?)",
                [(stamp, user, account, action, changes) for account in accounts],
            )
            moved += len(accounts)
    return moved


def batch_delete(db: sqlite_utils.Database, id_batches: Iterable) -> int:
    """Delete the selected active customers (restorable); returns how many were deleted."""
    ids = collect_ids(id_batches)
    check_size(len(ids), "Batch Delete")
    return _move(db, ids, "active", "deleted", "delete")


def restore(db: sqlite_utils.Database, ids: Iterable) -> int:
    """Bring deleted customers back to the Centre; returns how many were restored (the
    others, already purged, archived or active, are left as they are)."""
    chosen = collect_ids(ids)
    check_size(len(chosen), "Restore")
    return _move(db, chosen, "deleted", "active", "restore")
