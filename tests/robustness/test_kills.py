"""SIGKILL in the middle of a merge, a batch update, a cheque print and a seed.

A child process does the action through the data layer. Either a hook on each statement
(SQLite's trace callback; on PostgreSQL a wrapper around the connection's ``execute``)
stops it inside the transaction at a chosen statement and tells the parent, which kills
it there; or the child repeats the action in a loop and is killed at random moments,
again and again until one kill has landed inside an open transaction. On SQLite the
child's page cache is tiny, so uncommitted pages are already in the WAL when it dies; on
PostgreSQL the server shows the child's session idle in a transaction that has written.
Afterwards the database passes the integrity check and every action is wholly done or not
at all; cheque numbers are unique and have no gaps; a killed seed leaves no database at
its target path. tests/pg/same_tests/test_kills_on_pg.py runs them on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robustness import _workers
from xoro_tui.data.customers import lookups
from xoro_tui.data.customers.batch import batch_update
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import merge
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import CardIn, CustomerIn, DocumentIn
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import DatabaseOpenError
from xoro_tui.data.store.maintenance import integrity_check
from xoro_tui.data.store.opening import open_database

DAY = dt.date(2024, 3, 1)
STAMP = "2024-03-01T00:00:00+00:00"
FIRST_CHEQUE = 1001

# -- the child


def start(kind: str, path: Path, arg: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The child doing ``kind`` on ``path`` (a file or a PostgreSQL URL): the process, the
    pipe to it and its flag "a transaction is open and its COMMIT not yet sent"."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    open_tx = ctx.Value("i", 0, lock=False)  # no lock a killed child could leave held
    proc = ctx.Process(target=_workers.killable, args=(kind, str(path), child, arg, open_tx),
                       daemon=True)  # fmt: skip
    proc.start()
    return proc, parent, open_tx


def receive(pipe: Any, expected: str, timeout: float = 90) -> tuple:
    assert pipe.poll(timeout), f"the child never said {expected!r}"
    message = pipe.recv()
    assert message[0] == expected, message
    return message


def kill(proc: Any) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL


def kill_inside(kind: str, path: Path, arg: dict[str, Any]) -> None:
    """Kill the child while it waits inside its transaction, which has written: on SQLite
    uncommitted pages reached the WAL, on PostgreSQL the server holds the open transaction
    with a transaction id (given at its first write)."""
    proc, pipe, _ = start(kind, path, arg)
    _, wal_at_start = receive(pipe, "started")
    _, in_transaction, wal_inside, backend = receive(pipe, "inside")
    assert in_transaction, "the hook did not stop inside the transaction"
    if backend is None:
        assert wal_inside > wal_at_start, "nothing uncommitted reached the WAL before the kill"
    else:
        assert session_of(path, backend) == ("idle in transaction", True)
    kill(proc)


def session_of(url: Any, backend: int) -> tuple[str, bool] | None:
    """A PostgreSQL session's state, and whether its transaction has written."""
    db = open_database(url)
    try:
        return db.conn.execute(
            "SELECT state, backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = ?",
            (backend,),
        ).fetchone()
    finally:
        db.conn.close()


def kill_after_a_while(kind: str, path: Path, arg: dict[str, Any]) -> bool:
    """Kill a looping child after a random delay (it must still be busy then); whether the
    kill landed inside a transaction (begun, its COMMIT not yet sent)."""
    proc, pipe, open_tx = start(kind, path, arg)
    receive(pipe, "started")
    delay = random.uniform(0.1, 0.4)
    time.sleep(delay)  # the random moment itself, not a wait for anything
    assert not pipe.poll(), f"the child finished its loop within {delay:.2f} s; give it more"
    kill(proc)
    return bool(open_tx.value)


#: kills at random moments per loop test: at least the first number, and then until one of
#: them has landed inside an open transaction, at most the second
KILLS = (3, 12)


def killed_at_random_moments(kind: str, path: Path, arg: dict[str, Any]) -> Iterator[Any]:
    """Kill a child looping over ``kind`` at a random moment, again and again; yield the
    database reopened (and checked) after each kill. ``arg`` is read for each new child, so
    the test updates it from what the last one left. Prints how many kills landed inside
    a transaction (run pytest with ``-s``)."""
    inside = 0
    for kills in range(1, KILLS[1] + 1):
        inside += kill_after_a_while(kind, path, arg)
        db = reopen(path)
        try:
            yield db
        finally:
            db.conn.close()
        if kills >= KILLS[0] and inside:
            print(f"\n{kind}: {inside} of {kills} kills landed inside a transaction")
            return
    raise AssertionError(f"none of {KILLS[1]} kills at a random moment landed in a transaction")


def reopen(path: Path):
    db = open_database(path)
    assert integrity_check(db) == []
    return db


# -- data


def customers_with_money(db, count: int, prefix: str) -> list[int]:
    """Customers with an invoice, a refund, a tag and a saved card each."""
    repo = CustomerRepository(db)
    documents = DocumentRepository(db)
    refunds = RefundRepository(db)
    ids = []
    for i in range(count):
        c = repo.create(CustomerIn(account_number=f"{prefix}{i:03d}", name=f"{prefix} {i}",
                                   tags=[f"tag {prefix}{i}"], references=[f"REF-{prefix}{i}"]))  # fmt: skip
        currency = ("USD", "EUR", "JPY")[i % 3]
        documents.create(DocumentIn(doc_type=DocumentType.INVOICE, customer_id=c.id,
                                    doc_date=DAY, currency=currency, total=1000 + i))  # fmt: skip
        refunds.create(c.id, amount=100 + i, currency=currency, refund_date=DAY,
                       payment_method="Cash")  # fmt: skip
        repo.add_card(c.id, CardIn(brand="Visa", last4=f"{i:04d}", exp_month=1, exp_year=2030))
        ids.append(c.id)
    return ids


def bulk_customers(db, count: int) -> list[int]:
    """Many plain customers in one transaction (the search triggers still run)."""
    with write_tx(db) as conn:
        conn.executemany(
            "INSERT INTO customers(account_number, name, sales_rep, created_at, updated_at)"
            " VALUES (?, ?, NULL, ?, ?)",
            [(f"B-{i:05d}", f"Bulk customer {i:05d} " + "b" * 60, STAMP, STAMP)
             for i in range(count)],
        )  # fmt: skip
        lookups.ensure(conn, "sales_reps", "Killed Rep")
    return [r[0] for r in db.conn.execute("SELECT id FROM customers ORDER BY id")]


def approved_cheques(db, count: int) -> list[int]:
    RefundRepository(db).add_refund_account("Main", next_cheque_number=FIRST_CHEQUE)
    owner = CustomerRepository(db).create(CustomerIn(account_number="CQ-1", name="Payee")).id
    with write_tx(db) as conn:
        return [
            int(
                conn.execute(
                    "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
                    " status, refund_account, payment_method, created_at, updated_at) VALUES"
                    " (?, ?, '2024-03-01', 2500, 'USD', 'Approved', 'Main', 'Cheque', ?, ?)",
                    (f"CQ-{i:04d}", owner, STAMP, STAMP),
                ).lastrowid
            )  # fmt: skip
            for i in range(count)
        ]


def money_on_active(db) -> dict[str, list]:
    return {
        table: db.conn.execute(
            f"SELECT t.currency, sum(t.{col}), count(*) FROM {table} t JOIN customers c"
            " ON c.id = t.customer_id WHERE c.state = 'active' GROUP BY t.currency"
        ).fetchall()
        for table, col in (("documents", "total"), ("refunds", "amount"))
    }


def owners(db, table: str, ids: list[int]) -> dict[int, int]:
    """row id → customer id of the rows that started on ``ids``."""
    marks = ", ".join("?" * len(ids))
    return dict(db.conn.execute(
        f"SELECT id, customer_id FROM {table} WHERE customer_id IN ({marks})", ids
    ).fetchall())  # fmt: skip


def cheques_are_whole(db, refund_ids: list[int]) -> int:
    """Numbers taken are FIRST.. with no gap and no duplicate, each with its print; the
    rest untouched; the account's next number follows. Returns how many were printed."""
    rows = db.conn.execute(
        "SELECT r.id, r.status, r.cheque_number, r.print_count, "
        "(SELECT count(*) FROM print_log p WHERE p.refund_id = r.id AND p.cheque_number ="
        " r.cheque_number) FROM refunds r WHERE r.refund_account = 'Main' ORDER BY r.id"
    ).fetchall()
    printed = [r for r in rows if r[2] is not None]
    assert sorted(r[2] for r in printed) == list(range(FIRST_CHEQUE, FIRST_CHEQUE + len(printed)))
    assert all(r[1:] == (r[1], r[2], 1, 1) and r[1] == "Printed" for r in printed), printed
    waiting = [r for r in rows if r[2] is None]
    assert all(r[1:] == ("Approved", None, 0, 0) for r in waiting), waiting
    assert db.conn.execute("SELECT count(*) FROM print_log").fetchone()[0] == len(printed)
    assert db.conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = 'Main'"
    ).fetchone()[0] == FIRST_CHEQUE + len(printed)
    audited = db.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'print cheque'"
    ).fetchone()[0]
    assert audited == len(printed)
    assert {r[0] for r in rows} == set(refund_ids)
    return len(printed)


# -- the tests


def test_merge_killed_inside_its_transaction_leaves_nothing(db, db_path: Path) -> None:
    """Killed after the journal, the moves and the card removal, just before the
    secondary is marked merged: none of it is there afterwards, and a merge works."""
    primary, secondary = customers_with_money(db, 2, "K")
    money = money_on_active(db)
    docs = owners(db, "documents", [primary, secondary])
    refunds = owners(db, "refunds", [primary, secondary])
    db.conn.close()

    kill_inside("merge", db_path, {"primary": primary, "secondary": secondary,
                                    "pattern": "UPDATE customers SET state = 'merged'"})  # fmt: skip
    db = reopen(db_path)
    for table in ("merges", "merge_moves", "merge_secondaries"):
        assert db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert db.conn.execute("SELECT state FROM customers WHERE id = ?", (secondary,)).fetchone() == (
        "active",
    )
    assert owners(db, "documents", [primary, secondary]) == docs
    assert owners(db, "refunds", [primary, secondary]) == refunds
    assert len(CustomerRepository(db).cards(secondary)) == 1
    assert CustomerRepository(db).get(secondary).tags == ["tag K1"]
    assert (
        db.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'merge'").fetchone()[0] == 0
    )
    assert money_on_active(db) == money
    merge(db, primary, [secondary])  # the lock went with the process
    assert money_on_active(db) == money
    db.conn.close()


def test_merges_and_undos_killed_at_random_moments_are_whole(db, db_path: Path) -> None:
    """A loop of merges and undos over 6 pairs, killed at random moments: each pair is
    either merged (by its last merge) or apart, with its money where that says; the next
    child goes on from there."""
    ids = customers_with_money(db, 12, "L")
    pairs = [(ids[i], ids[i + 1]) for i in range(0, 12, 2)]
    money = money_on_active(db)
    docs = owners(db, "documents", ids)
    db.conn.close()

    arg: dict[str, Any] = {"pairs": pairs, "merged": {}}
    for db in killed_at_random_moments("merge-loop", db_path, arg):
        merged: dict[int, int] = {}
        for primary, secondary in pairs:
            last = db.conn.execute(
                "SELECT id, undone_at FROM merges WHERE primary_id = ? ORDER BY id DESC LIMIT 1",
                (primary,),
            ).fetchone()
            state = db.conn.execute(
                "SELECT state, merged_into FROM customers WHERE id = ?", (secondary,)
            ).fetchone()
            now = owners(db, "documents", [primary, secondary])
            if last is not None and last[1] is None:
                merged[primary] = last[0]
                assert state == ("merged", primary)
                assert set(now.values()) == {primary}
            else:
                assert state == ("active", None)
                assert now == {d: c for d, c in docs.items() if c in (primary, secondary)}
        assert money_on_active(db) == money
        merges = db.conn.execute("SELECT count(*) FROM merges").fetchone()[0]
        arg["merged"] = merged
    assert merges > 0, "no merge committed before any of the kills"


def test_batch_update_killed_inside_its_transaction_leaves_nothing(db, db_path: Path) -> None:
    """3,000 customers: killed after the journal rows, before the customers change. The
    uncommitted rows were already written (in the WAL, on the server); none of them count
    after reopening."""
    ids = bulk_customers(db, 3000)
    versions = db.conn.execute("SELECT sum(version) FROM customers").fetchone()[0]
    audit_rows = db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    db.conn.close()

    kill_inside("batch", db_path, {"ids": ids, "value": "Killed Rep",
                                   "pattern": "UPDATE customers SET sales_rep"})  # fmt: skip
    db = reopen(db_path)
    assert db.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM batch_items").fetchone()[0] == 0
    assert (
        db.conn.execute("SELECT count(*) FROM customers WHERE sales_rep IS NOT NULL").fetchone()[0]
        == 0
    )
    assert db.conn.execute("SELECT sum(version) FROM customers").fetchone()[0] == versions
    assert db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows
    done = batch_update(db, "sales_rep", "Killed Rep", [ids])
    assert done.changed == len(ids)
    db.conn.close()


def test_cheque_print_killed_after_the_number_was_taken(db, db_path: Path) -> None:
    """The third print is killed after its number was taken and the refund moved, before
    its print log row: the first two stay printed, the third is as before, and the next
    prints continue with no gap and no duplicate."""
    refund_ids = approved_cheques(db, 5)
    db.conn.close()

    kill_inside("cheque", db_path, {"ids": refund_ids, "pattern": "INSERT INTO print_log",
                                     "nth": 3})  # fmt: skip
    db = reopen(db_path)
    assert cheques_are_whole(db, refund_ids) == 2
    refunds = RefundRepository(db)
    taken = [refunds.take_cheque_number(r, refunds.get(r).version)[1] for r in refund_ids[2:]]
    assert taken == [FIRST_CHEQUE + 2, FIRST_CHEQUE + 3, FIRST_CHEQUE + 4]
    assert cheques_are_whole(db, refund_ids) == 5
    db.conn.close()


def test_cheque_printing_killed_at_random_moments(db, db_path: Path) -> None:
    """Printing 1,500 cheques in a loop, killed at random moments: the numbers taken have
    no gap and no duplicate, and printing goes on from the next one."""
    refund_ids = approved_cheques(db, 1500)
    db.conn.close()

    arg = {"ids": refund_ids}
    for db in killed_at_random_moments("cheque-loop", db_path, arg):
        printed = cheques_are_whole(db, refund_ids)
        assert printed < len(refund_ids), "every cheque was printed before the kill"
        arg["ids"] = [r for (r,) in db.conn.execute(
            "SELECT id FROM refunds WHERE refund_account = 'Main' AND cheque_number IS NULL"
            " ORDER BY id")]  # fmt: skip
    assert printed > 0, "no cheque printed before any of the kills"
    db = reopen(db_path)
    refunds = RefundRepository(db)
    rid = arg["ids"][0]
    assert refunds.take_cheque_number(rid, refunds.get(rid).version)[1] == FIRST_CHEQUE + printed
    db.conn.close()


@pytest.mark.parametrize("stage", ["documents", "search"])
def test_a_killed_seed_leaves_no_database(tmp_path: Path, stage: str) -> None:
    """Killed once the documents are in, or once everything but the final step is done:
    no database at the target path (opening it says so), and a new seed to the same
    path then works."""
    seed = pytest.importorskip("xoro_tui.data.seed.seeder", reason="the seed is not finished yet")
    target = tmp_path / "seeded.sqlite"
    proc, pipe, _ = start("seed", target, {"stage": stage, "done": 1, "customers": 400,
                                            "refunds": 400})  # fmt: skip
    receive(pipe, "started")
    receive(pipe, "inside")
    assert any(p.exists() for p in seed.temporary_paths(target)), "nothing was being built"
    kill(proc)
    assert not target.exists()
    with pytest.raises(DatabaseOpenError, match="no database at"):
        open_database(target)
    stats = seed.seed_database(target, customers=50, refunds=50)
    assert stats.customers == 50
    db = reopen(target)
    assert db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 50
    db.conn.close()
    assert not [p for p in seed.temporary_paths(target) if p.exists()]
