"""Many users on one database: 8 processes edit, batch-update, merge, import and print at once.

Proves, for a bounded run of a few seconds: no lost update (every accepted save is in
the audit log and every refused one was refused with StaleEdit, and versions count
exactly the audited writes), no "database is locked" reaches a caller, concurrent
imports of the same records add them once, concurrent cheque printing hands out unique
consecutive numbers, merges and undos are whole, the money per currency is unchanged,
and the integrity check is clean. Prints its figures (run pytest with ``-s``).
tests/pg/same_tests/test_many_users_on_pg.py runs it on PostgreSQL (``db_path`` a URL).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import multiprocessing
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tests.robustness import _workers
from xoro_tui.data.customers import lookups
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import (
    CUSTOMER_REQUIRED_HEADERS,
    REFUND_REQUIRED_HEADERS,
    CustomerIn,
    DocumentIn,
)
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.maintenance import integrity_check
from xoro_tui.data.store.opening import open_database

PROCESSES = 8
SECONDS = 6.0
CURRENCIES = ("USD", "EUR", "JPY")
DAY = dt.date(2024, 3, 1)
FIRST_CHEQUE = 1001
IMPORTED_CUSTOMERS = [f"IMP-{i:03d}" for i in range(1, 6)]
IMPORTED_REFUNDS = [("IMPR-1", "IMP-001", "12.50", "USD"), ("IMPR-2", "IMP-002", "7.25", "EUR"),
                    ("IMPR-3", "IMP-003", "900", "JPY")]  # fmt: skip


def new_customer(repo: CustomerRepository, account: str, name: str, **fields: Any) -> int:
    return repo.create(CustomerIn(account_number=account, name=name, **fields)).id


def build(path: Path, tmp_path: Path) -> dict[str, Any]:
    """The shared database at ``path`` (a file or a URL): customers everyone edits, refunds
    everyone edits, a pair of customers to merge per process (each with an invoice and a
    refund), approved cheque refunds per process, and the CSV files every process imports
    (in ``tmp_path``)."""
    db = open_database(path, create=True)
    customers = CustomerRepository(db)
    documents = DocumentRepository(db)
    refunds = RefundRepository(db)
    with write_tx(db) as conn:
        for rep in _workers.REPS:
            lookups.ensure(conn, "sales_reps", rep)
    edit_ids = [new_customer(customers, f"SH-{i:03d}", f"Shared {i}", sales_rep="Ann Batch")
                for i in range(12)]  # fmt: skip
    owner = new_customer(customers, "RO-001", "Refund Owner")
    refund_ids = [
        refunds.create(owner, amount=1000 + i, currency=CURRENCIES[i % 3], refund_date=DAY,
                       payment_method="Cash").id
        for i in range(8)
    ]  # fmt: skip
    pairs: dict[str, list[tuple[int, int]]] = {}
    for p in range(PROCESSES):
        pairs[str(p)] = []
        for k in range(2):
            ids = []
            for role in ("P", "S"):
                cid = new_customer(customers, f"M{p}{k}{role}", f"Merge {p}.{k} {role}",
                                   tags=[f"t{p}{role}"])  # fmt: skip
                currency = CURRENCIES[(p + k) % 3]
                documents.create(DocumentIn(doc_type=DocumentType.INVOICE, customer_id=cid,
                                            doc_date=DAY, currency=currency, total=5000 + p))  # fmt: skip
                refunds.create(cid, amount=300 + k, currency=currency, refund_date=DAY,
                               payment_method="Cash")  # fmt: skip
                ids.append(cid)
            pairs[str(p)].append((ids[0], ids[1]))
    refunds.add_refund_account("Main", next_cheque_number=FIRST_CHEQUE)
    cheque_owner = new_customer(customers, "CQ-001", "Cheque Owner")
    cheques: dict[str, list[int]] = {}
    with write_tx(db) as conn:
        for p in range(PROCESSES):
            cheques[str(p)] = [
                int(
                    conn.execute(
                        "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
                        " status, refund_account, payment_method, created_at, updated_at) VALUES"
                        " (?, ?, '2024-03-01', 2500, 'USD', 'Approved', 'Main', 'Cheque', ?, ?)",
                        (f"CQ-{p}-{i:02d}", cheque_owner, DAY.isoformat(), DAY.isoformat()),
                    ).lastrowid
                )  # fmt: skip
                for i in range(40)
            ]
    customers_csv = tmp_path / "customers.csv"
    with open(customers_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CUSTOMER_REQUIRED_HEADERS)
        for account in IMPORTED_CUSTOMERS:
            row = dict.fromkeys(CUSTOMER_REQUIRED_HEADERS, "")
            row.update(account_number=account, name=f"Imported {account}", tags="imported")
            writer.writerow(row.values())
    refunds_csv = tmp_path / "refunds.csv"
    with open(refunds_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REFUND_REQUIRED_HEADERS)
        for number, account, amount, currency in IMPORTED_REFUNDS:
            row = dict.fromkeys(REFUND_REQUIRED_HEADERS, "")
            row.update(refund_number=number, customer_account_number=account, amount=amount,
                       currency=currency, refund_date="2024-03-02", status="Draft",
                       payment_method="Cash", memo="imported")  # fmt: skip
            writer.writerow(row.values())
    db.conn.close()
    return {
        "path": str(path), "seconds": SECONDS, "edit_ids": edit_ids, "batch_ids": edit_ids[:6],
        "refund_ids": refund_ids, "pairs": pairs, "cheques": cheques,
        "customers_csv": str(customers_csv), "refunds_csv": str(refunds_csv),
    }  # fmt: skip


def money_on_active_customers(conn) -> dict[str, dict[str, int]]:
    """Document totals and refund amounts per currency, counted only on customers in the
    Centre: a half-done merge would leave money on a merged customer."""
    out: dict[str, dict[str, int]] = {}
    for table, column in (("documents", "total"), ("refunds", "amount")):
        out[table] = dict(conn.execute(
            f"SELECT t.currency, sum(t.{column}) FROM {table} t JOIN customers c"
            " ON c.id = t.customer_id WHERE c.state = 'active' GROUP BY t.currency"
        ).fetchall())  # fmt: skip
    return out


def audited(conn, table: str, actions: tuple[str, ...]) -> list[tuple[str, str, dict]]:
    marks = ", ".join("?" * len(actions))
    return [
        (key, action, json.loads(changes))
        for key, action, changes in conn.execute(
            f"SELECT record_key, action, changes FROM audit_log WHERE table_name = ?"
            f" AND action IN ({marks}) ORDER BY id",
            (table, *actions),
        )
    ]


def test_eight_processes_on_one_database(db_path: Path, tmp_path: Path) -> None:
    """See the module docstring; every figure the run produced is printed."""
    plan = build(db_path, tmp_path)
    db = open_database(plan["path"])
    conn = db.conn
    money_before = money_on_active_customers(conn)
    versions_before = dict(conn.execute("SELECT id, version FROM customers").fetchall())
    refund_versions_before = dict(conn.execute("SELECT id, version FROM refunds").fetchall())

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES + 1, timeout=120)
    outs = [tmp_path / f"user{i}.json" for i in range(PROCESSES)]
    procs = [
        ctx.Process(target=_workers.user_session, args=(i, plan["path"], plan, str(outs[i]), barrier))
        for i in range(PROCESSES)
    ]  # fmt: skip
    for proc in procs:
        proc.start()
    barrier.wait()
    started = time.monotonic()
    for proc in procs:
        proc.join(timeout=SECONDS + 60)
    seconds = time.monotonic() - started
    assert [p.exitcode for p in procs] == [0] * PROCESSES, "a user process crashed"
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]

    total = Counter[str]()
    for r in results:
        for key in ("actions", "locked", "imports", "stale_other"):
            total[key] += r[key]
        for key in ("edits", "stale_edits", "refunds", "stale_refunds", "batches", "merges",
                    "undos", "cheques", "errors"):  # fmt: skip
            total[key] += len(r[key])
    conflicts = total["stale_edits"] + total["stale_refunds"] + total["stale_other"]
    print(
        f"\nmany users: {PROCESSES} processes, {total['actions']} actions in {seconds:.1f} s "
        f"({total['edits']} customer saves, {total['refunds']} refund saves, "
        f"{total['batches']} batch updates, {total['merges']} merges, {total['undos']} undos, "
        f"{total['imports']} imports, {total['cheques']} cheques printed); "
        f"conflicts detected (StaleEdit): {conflicts} "
        f"({total['stale_edits']} customer, {total['stale_refunds']} refund, "
        f"{total['stale_other']} cheque); locked errors: {total['locked']}; "
        f"other errors: {total['errors']}"
    )
    errors = [e for r in results for e in r["errors"]]
    assert total["locked"] == 0, errors
    assert errors == []
    assert min(r["actions"] for r in results) > 0
    assert total["edits"] and total["merges"] and total["imports"] and total["batches"]

    # -- no lost update: customers
    accounts = dict(conn.execute("SELECT id, account_number FROM customers").fetchall())
    accepted = {(accounts[cid], token) for r in results for cid, token in r["edits"]}
    refused = {(accounts[cid], token) for r in results for cid, token in r["stale_edits"]}
    updates = audited(conn, "customers", ("update",))
    in_log = {(key, ch["bill_to_line2"][1]) for key, _, ch in updates if "bill_to_line2" in ch}
    assert in_log == accepted, "an accepted save is missing from the audit log, or vice versa"
    assert not refused & in_log
    last: dict[str, str] = {}
    for key, _, ch in updates:
        if "bill_to_line2" in ch:
            last[key] = ch["bill_to_line2"][1]
    writes = Counter(key for key, _, _ in audited(conn, "customers", ("update", "batch_update")))
    for cid in plan["edit_ids"]:
        version, line2 = conn.execute(
            "SELECT version, bill_to_line2 FROM customers WHERE id = ?", (cid,)
        ).fetchone()
        assert line2 == last.get(accounts[cid]), "the stored value is not the last accepted save"
        assert version - versions_before[cid] == writes[accounts[cid]], "a write went unaudited"

    # -- no lost update: refunds
    numbers = dict(conn.execute("SELECT id, refund_number FROM refunds").fetchall())
    accepted_r = {(numbers[rid], token) for r in results for rid, token in r["refunds"]}
    refused_r = {(numbers[rid], token) for r in results for rid, token in r["stale_refunds"]}
    refund_updates = audited(conn, "refunds", ("update",))
    in_log_r = {(key, ch["memo"][1]) for key, _, ch in refund_updates if "memo" in ch}
    assert in_log_r == accepted_r and not refused_r & in_log_r
    refund_writes = Counter(key for key, _, _ in refund_updates)
    for rid in plan["refund_ids"]:
        version = conn.execute("SELECT version FROM refunds WHERE id = ?", (rid,)).fetchone()[0]
        assert version - refund_versions_before[rid] == refund_writes[numbers[rid]]

    # -- batches: each accepted one journalled and audited exactly
    changed = sum(n for r in results for _, n in r["batches"])
    assert conn.execute("SELECT count(*) FROM batch_items").fetchone()[0] == changed
    assert len(audited(conn, "customers", ("batch_update",))) == changed

    # -- imports of the same records by everyone at once: each record once
    assert conn.execute(
        "SELECT count(*) FROM customers WHERE account_number LIKE 'IMP-%'"
    ).fetchone()[0] == len(IMPORTED_CUSTOMERS)
    inserts = Counter(k for k, _, _ in audited(conn, "customers", ("insert",)) if k[:4] == "IMP-")
    assert inserts == Counter(IMPORTED_CUSTOMERS)
    assert conn.execute(
        "SELECT count(*) FROM refunds WHERE refund_number LIKE 'IMPR-%'"
    ).fetchone()[0] == len(IMPORTED_REFUNDS)

    # -- merges and undos: whole, and where each pair ended
    merges = {r[0]: r[1] for r in conn.execute("SELECT id, undone_at FROM merges")}
    assert sorted(merges) == sorted(m for r in results for m in r["merges"])
    assert sorted(m for m, undone in merges.items() if undone) == sorted(
        m for r in results for m in r["undos"]
    )
    for r in results:
        for pair in r["pairs"]:
            primary, secondary = pair["primary"], pair["secondary"]
            state, into = conn.execute(
                "SELECT state, merged_into FROM customers WHERE id = ?", (secondary,)
            ).fetchone()
            owners = {t: {o for (o,) in conn.execute(
                f"SELECT customer_id FROM {t} WHERE customer_id IN (?, ?)", (primary, secondary))}
                for t in ("documents", "refunds")}  # fmt: skip
            if pair["merge_id"] is None:
                assert (state, into) == ("active", None)
                assert owners == {
                    "documents": {primary, secondary},
                    "refunds": {primary, secondary},
                }
            else:
                assert (state, into) == ("merged", primary)
                assert owners == {"documents": {primary}, "refunds": {primary}}

    # -- cheques printed by everyone at once on one account: unique and consecutive
    printed = sorted(n for r in results for _, n in r["cheques"])
    assert printed == list(range(FIRST_CHEQUE, FIRST_CHEQUE + len(printed)))
    stored = [n for (n,) in conn.execute(
        "SELECT cheque_number FROM refunds WHERE refund_account = 'Main'"
        " AND cheque_number IS NOT NULL ORDER BY cheque_number")]  # fmt: skip
    assert stored == printed
    assert conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = 'Main'"
    ).fetchone()[0] == FIRST_CHEQUE + len(printed)

    # -- the money: unchanged by merges and edits, plus the imported refunds once
    expected = {t: defaultdict(int, v) for t, v in money_before.items()}
    for _, _, amount, currency in IMPORTED_REFUNDS:
        expected["refunds"][currency] += money.to_minor(amount, currency)
    assert money_on_active_customers(conn) == {t: dict(v) for t, v in expected.items()}
    assert (
        conn.execute(
            "SELECT count(*) FROM documents d JOIN customers c ON c.id = d.customer_id"
            " WHERE c.state != 'active'"
        ).fetchone()[0]
        == 0
    )

    assert integrity_check(db) == []
    db.conn.close()
