"""Batch Delete: preview, one audited transaction, the deleted list, restore and purge."""

from __future__ import annotations

import json

import pytest

from tests.factories import customer
from xoro_tui.data.customers import batch
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.deletion import batch_delete, batch_delete_preview, restore
from xoro_tui.data.customers.purge import purge_deleted
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.search.search_sync import customer_search_triggers
from xoro_tui.data.store.connection import is_postgres, write_tx
from xoro_tui.data.store.errors import Refused


def states(db, ids: list[int]) -> list[str]:
    return [
        db.conn.execute("SELECT state FROM customers WHERE id = ?", (i,)).fetchone()[0] for i in ids
    ]


def add_invoice(db, customer_id: int) -> None:
    with write_tx(db) as conn:
        conn.execute(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
            " balance, created_at) VALUES ('invoice', ?, ?, '2024-01-01', 'USD', 100, 100,"
            " '2024-01-01')",
            (f"INV-{customer_id}", customer_id),
        )


def test_preview_delete_list_restore(db) -> None:
    a = customer(db, ship_to_line1="1 High St")
    b = customer(db)
    keep = customer(db)
    add_invoice(db, a.id)
    count, related = batch_delete_preview(db, [a.id, b.id])
    assert count == 2
    assert related == {"invoice": 1, "refunds": 0, "saved_cards": 0, "sites": 1,
                       "communications": 0}  # fmt: skip

    selection = WindowQuery(db.conn, customer_spec()).keys(Filter().with_extra("ids", [a.id, b.id]))
    assert batch_delete(db, selection) == 2
    assert states(db, [a.id, b.id, keep.id]) == ["deleted", "deleted", "active"]
    deleted = WindowQuery(db.conn, customer_spec("deleted"))
    assert deleted.count(Filter()) == 2
    audit = db.conn.execute(
        "SELECT record_key, changes FROM audit_log WHERE action = 'delete' ORDER BY id"
    ).fetchall()
    assert audit == [
        (a.account_number, '{"state": ["active", "deleted"]}'),
        (b.account_number, '{"state": ["active", "deleted"]}'),
    ]
    assert db.conn.execute("SELECT deleted_at FROM customers WHERE id = ?", (a.id,)).fetchone()[0]

    assert batch_delete(db, [a.id]) == 0  # already deleted: nothing more to do
    assert restore(db, [a.id, keep.id]) == 1
    assert states(db, [a.id, b.id, keep.id]) == ["active", "deleted", "active"]
    assert (
        db.conn.execute("SELECT deleted_at FROM customers WHERE id = ?", (a.id,)).fetchone()[0]
        is None
    )


def test_purge_archives_customers_with_financial_history(db) -> None:
    a = customer(db)
    b = customer(db)
    add_invoice(db, a.id)
    batch_delete(db, [[a.id, b.id]])
    with write_tx(db) as conn:
        conn.execute("UPDATE customers SET deleted_at = '2000-01-01T00:00:00+00:00'")
    result = purge_deleted(db, retention_days=30)
    assert (result.purged, result.archived) == (1, 1)
    assert states(db, [a.id]) == ["archived"]
    assert (
        db.conn.execute("SELECT count(*) FROM customers WHERE id = ?", (b.id,)).fetchone()[0] == 0
    )


def test_purge_works_in_short_chunks_and_leaves_search_in_step(db, monkeypatch) -> None:
    """Many customers past retention go in several short write transactions; the purged
    ones are gone from quick search, the archived and the living are still found."""
    from xoro_tui.data.customers import purge

    monkeypatch.setattr(purge, "PURGE_CHUNK", 3)
    gone = [customer(db, name=f"Purgeable {n}", ship_to_line1="1 High St") for n in range(7)]
    kept = customer(db, name="Purgeable Archived")
    living = customer(db, name="Purgeable Living")
    add_invoice(db, kept.id)
    batch_delete(db, [[c.id for c in gone] + [kept.id]])
    with write_tx(db) as conn:
        conn.execute("UPDATE customers SET deleted_at = '2000-01-01T00:00:00+00:00'")
    transactions = []
    real_write_tx = purge.write_tx

    def counting_write_tx(database):  # noqa: ANN001, ANN202
        transactions.append(1)
        return real_write_tx(database)

    monkeypatch.setattr(purge, "write_tx", counting_write_tx)
    result = purge_deleted(db, retention_days=30)
    assert (result.purged, result.archived) == (7, 1)
    assert len(transactions) == 3
    sites = db.conn.execute(
        "SELECT count(*) FROM sites WHERE customer_id IN (SELECT value FROM json_each(?))",
        (json.dumps([c.id for c in gone]),),
    )
    assert sites.fetchone()[0] == 0
    for state, expected in (("active", [living.id]), ("archived", [kept.id])):
        batches = WindowQuery(db.conn, customer_spec(state)).keys(Filter(search="purgeable"))
        found = [key for batch_keys in batches for key in batch_keys]
        assert found == expected
    if is_postgres(db.conn):
        return  # no FTS5 table to keep in step there: the search above reads the rows
    fts = db.conn.execute("SELECT count(*) FROM customer_fts").fetchone()[0]
    assert fts == db.conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    db.conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")
    triggers = db.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%customer_fts%'"
    ).fetchone()[0]
    assert triggers == len(customer_search_triggers())  # every one put back


def test_too_many_are_refused_up_front(db, monkeypatch) -> None:
    ids = [customer(db).id for _ in range(3)]
    monkeypatch.setattr(batch, "MAX_BATCH", 2)
    with pytest.raises(Refused, match="Batch Delete handles at most 2 customers"):
        batch_delete(db, ids)
    assert states(db, ids) == ["active"] * 3
