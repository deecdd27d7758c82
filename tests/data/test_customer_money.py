"""Each customer's Open Balance, Unapplied Credits and Last Activity: the summary the
triggers keep equals a recomputation from the documents and refunds after any edits."""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xoro_tui.data.customers import customer_money
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import merge, undo_merge
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.search.list_query import Condition, Filter, WindowQuery
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.opening import open_database

STAMP = "2024-01-01T00:00:00+00:00"
CURRENCIES = ("USD", "EUR", "JPY")
TYPES = ("estimate", "sales_order", "invoice", "sales_receipt", "customer_deposit", "credit_memo")
STATUSES = ("Draft", "Approved", "Issued", "Voided")
CUSTOMERS = 4

who = st.integers(0, CUSTOMERS - 1)
day = st.integers(1, 28).map(lambda d: f"2024-03-{d:02d}")
amount = st.integers(1, 10**7)
pick = st.integers(0, 1000)  # which existing row (modulo how many there are)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("doc"), who, st.sampled_from(TYPES), st.sampled_from(CURRENCIES),
                  amount, st.floats(0, 1), day),
        st.tuples(st.just("doc_amounts"), pick, amount, st.floats(0, 1)),
        st.tuples(st.just("doc_status"), pick, st.sampled_from(("Open", "Paid", "Closed"))),
        st.tuples(st.just("doc_type"), pick, st.sampled_from(TYPES)),
        st.tuples(st.just("doc_currency"), pick, st.sampled_from(CURRENCIES)),
        st.tuples(st.just("doc_day"), pick, day),
        st.tuples(st.just("doc_customer"), pick, who),
        st.tuples(st.just("doc_delete"), pick),
        st.tuples(st.just("refund"), who, st.sampled_from(CURRENCIES), amount,
                  st.one_of(st.none(), pick), st.sampled_from(STATUSES), day),
        st.tuples(st.just("refund_status"), pick, st.sampled_from(STATUSES)),
        st.tuples(st.just("refund_amount"), pick, amount),
        st.tuples(st.just("refund_source"), pick, st.one_of(st.none(), pick)),
        st.tuples(st.just("refund_delete"), pick),
        st.tuples(st.just("merge"), who, st.lists(who, min_size=1, max_size=3, unique=True)),
        st.tuples(st.just("undo"),),
    ),
    max_size=30,
)  # fmt: skip


def _nth(conn, table: str, k: int) -> int | None:
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    return ids[k % len(ids)] if ids else None


def _apply(db, ids: list[int], merges: list[int], op: tuple) -> None:
    kind, *a = op
    if kind == "merge":
        primary, secondaries = ids[a[0]], [ids[s] for s in a[1] if s != a[0]]
        if secondaries:
            with contextlib.suppress(DataError):  # one was merged already: nothing changed
                merges.append(merge(db, primary, secondaries).merge_id)
        return
    if kind == "undo":
        if merges:
            with contextlib.suppress(DataError):
                undo_merge(db, merges.pop())
        return
    with write_tx(db) as conn:
        n = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
        if kind == "doc":
            c, doc_type, cur, total, part, when = a
            conn.execute(
                "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
                " balance, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'Open', ?)",
                (doc_type, f"D-{n}", ids[c], when, cur, total, int(total * part), STAMP),
            )
            return
        if kind == "refund":
            c, cur, value, source, status, when = a
            m = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM refunds").fetchone()[0]
            doc = None if source is None else _nth(conn, "documents", source)
            conn.execute(
                "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
                " status, payment_method, source_document_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'Cash', ?, ?, ?)",
                (f"RF-{m}", ids[c], when, value, cur, status, doc, STAMP, STAMP),
            )
            return
        table = "refunds" if kind.startswith("refund") else "documents"
        row = _nth(conn, table, a[0])
        if row is None:
            return
        if kind == "doc_amounts":
            total, part = a[1], a[2]
            conn.execute(
                "UPDATE documents SET total = ?, balance = ? WHERE id = ?",
                (total, int(total * part), row),
            )
        elif kind == "doc_delete":
            conn.execute(
                "UPDATE refunds SET source_document_id = NULL WHERE source_document_id = ?", (row,)
            )
            conn.execute("DELETE FROM document_lines WHERE document_id = ?", (row,))
            conn.execute("DELETE FROM documents WHERE id = ?", (row,))
        elif kind == "refund_delete":
            conn.execute("DELETE FROM refunds WHERE id = ?", (row,))
        elif kind == "refund_source":
            doc = None if a[1] is None else _nth(conn, "documents", a[1])
            conn.execute("UPDATE refunds SET source_document_id = ? WHERE id = ?", (doc, row))
        else:
            column = {
                "doc_status": "status",
                "doc_type": "doc_type",
                "doc_currency": "currency",
                "doc_day": "doc_date",
                "doc_customer": "customer_id",
                "refund_status": "status",
                "refund_amount": "amount",
            }[kind]
            value = ids[a[1]] if kind == "doc_customer" else a[1]
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, row))


def expected(conn) -> dict[int, dict[str, Any]]:
    """Every customer's money worked out in Python from the rows themselves."""
    docs = [dict(zip(("id", "type", "cust", "cur", "total", "balance", "day"), r, strict=True))
            for r in conn.execute("SELECT id, doc_type, customer_id, currency, total, balance,"
                                  " doc_date FROM documents")]  # fmt: skip
    refunds = conn.execute(
        "SELECT customer_id, currency, amount, status, source_document_id, refund_date FROM refunds"
    ).fetchall()
    live: dict[int, int] = defaultdict(int)
    for _c, _cur, value, status, source, _day in refunds:
        if source is not None and status != "Voided":
            live[source] += value
    per: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    days: dict[int, list[str]] = defaultdict(list)
    for d in docs:
        bucket = per[d["cust"]][d["cur"]]
        bucket[0] += d["balance"] if d["type"] == "invoice" else 0
        if d["type"] in ("customer_deposit", "credit_memo"):
            bucket[1] += d["total"] - live[d["id"]]
        bucket[2] += 1
        days[d["cust"]].append(d["day"])
    for c, cur, _value, _status, _source, when in refunds:
        per[c][cur][2] += 1
        days[c].append(when)
    out: dict[int, dict[str, Any]] = {}
    for (cid,) in conn.execute("SELECT id FROM customers"):
        buckets = per.get(cid, {})
        ranked = sorted(
            buckets.items(), key=lambda kv: (not (kv[1][0] or kv[1][1]), -kv[1][2], kv[0])
        )
        cur, (o, u, _n) = ranked[0] if ranked else (None, (0, 0, 0))
        out[cid] = {
            "currency": cur,
            "open_balance": o,
            "unapplied": u,
            "currencies": sum(1 for b in buckets.values() if b[0] or b[1]),
            "last_activity": max(days[cid]) if days.get(cid) else None,
            "balances": {k: tuple(v) for k, v in buckets.items() if any(v)},
        }
    return out


def kept(conn) -> dict[int, dict[str, Any]]:
    """What the summary tables hold."""
    balances: dict[int, dict[str, tuple]] = defaultdict(dict)
    for cid, cur, o, u, n in conn.execute("SELECT * FROM customer_balances"):
        balances[cid][cur] = (o, u, n)
    out = {}
    for cid, cur, o, u, k, last in conn.execute(
        "SELECT customer_id, currency, open_balance, unapplied, currencies, last_activity"
        " FROM customer_money"
    ):
        out[cid] = {
            "currency": cur,
            "open_balance": o,
            "unapplied": u,
            "currencies": k,
            "last_activity": last,
            "balances": balances.get(cid, {}),
        }
    return out


def check_after(db, ops, *, rebuild: bool = True) -> None:
    """Apply ``ops`` to a new database; what the triggers kept equals a recomputation."""
    repo = CustomerRepository(db)
    ids = [
        repo.create(CustomerIn(account_number=f"M-{i}", name=f"M {i}")).id for i in range(CUSTOMERS)
    ]
    merges: list[int] = []
    for op in ops:
        _apply(db, ids, merges, op)
    assert kept(db.conn) == expected(db.conn)
    sums = db.conn.execute(
        "SELECT currency, sum(open_balance), sum(unapplied) FROM customer_balances"
        " GROUP BY currency HAVING sum(open_balance) != 0 OR sum(unapplied) != 0"
        " ORDER BY currency"
    ).fetchall()
    assert (
        db.conn.execute(
            "SELECT * FROM customer_money_totals WHERE open_balance != 0 OR unapplied != 0"
            " ORDER BY currency"
        ).fetchall()
        == sums
    )
    before = kept(db.conn)
    if rebuild:  # and the migration's own derivation agrees with what the triggers kept
        with write_tx(db) as conn:
            customer_money.rebuild(conn)
        assert kept(db.conn) == before
    for cid in ids:
        again = customer_money.recompute(db.conn, cid)
        assert again["last_activity"] == before[cid]["last_activity"]
        assert again["balances"] == {
            c: v[:2] for c, v in before[cid]["balances"].items() if v[0] or v[1]
        }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_summary_equals_a_recomputation_after_any_edits(ops) -> None:
    db = open_database(":memory:", create=True)
    try:
        check_after(db, ops)
    finally:
        db.conn.close()


def test_open_balance_and_credits_match_customer_info(db) -> None:
    """The list's amounts are Customer Info's "Open balance" and "Deposits" + "Credits"."""
    from xoro_tui.data.customers import customer_activity

    cid = CustomerRepository(db).create(CustomerIn(account_number="CI-1", name="Info")).id
    with write_tx(db) as conn:
        for n, (doc_type, total, balance) in enumerate(
            [("invoice", 50_000, 30_000), ("invoice", 1_000, 0), ("customer_deposit", 9_000, 9_000),
             ("credit_memo", 4_000, 4_000), ("estimate", 7_000, 0)]
        ):  # fmt: skip
            conn.execute(
                "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
                " balance, created_at) VALUES (?, ?, ?, '2024-05-01', 'USD', ?, ?, ?)",
                (doc_type, f"CI-{n}", cid, total, balance, STAMP),
            )
        deposit = conn.execute(
            "SELECT id FROM documents WHERE doc_type = 'customer_deposit'"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
            " status, payment_method, source_document_id, created_at, updated_at)"
            " VALUES ('RF-CI', ?, '2024-06-02', 2500, 'USD', 'Approved', 'Cash', ?, ?, ?)",
            (cid, deposit, STAMP, STAMP),
        )
    info = customer_activity.summary(db, cid)
    row = db.conn.execute(
        "SELECT currency, open_balance, unapplied, last_activity FROM customer_money"
        " WHERE customer_id = ?",
        (cid,),
    ).fetchone()
    assert row == ("USD", info.open_balance["USD"], 6_500 + 4_000, "2024-06-02")
    assert info.deposits["USD"] + info.credits["USD"] == row[2]


def test_open_balance_filter_sort_and_totals(db) -> None:
    repo = CustomerRepository(db)
    made = {}
    for name, cur, owed in (("Ann", "USD", 150_000), ("Bob", "EUR", 90_000),
                            ("Cat", "JPY", 2_000), ("Dan", "USD", 99_999), ("Eve", None, 0)):  # fmt: skip
        cid = repo.create(CustomerIn(account_number=f"S-{name}", name=name)).id
        made[name] = cid
        if cur:
            with write_tx(db) as conn:
                conn.execute(
                    "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency,"
                    " total, balance, created_at) VALUES ('invoice', ?, ?, '2024-01-01', ?, ?, ?,"
                    " ?)",
                    (f"S-{name}", cid, cur, owed, owed, STAMP),
                )
    query = WindowQuery(db.conn, customer_spec())
    flt = Filter(conditions=(Condition("open_balance", "gt", 1000),))
    # 1,500.00 USD and 2,000 JPY are above 1000; 900.00 EUR and 999.99 USD are not
    assert query.count(flt) == 2
    rows = query.window(flt, ("name", False), ["name"], 0, 10)
    assert [r[1] for r in rows] == ["Ann", "Cat"]
    ordered = query.window(Filter(), ("open_balance", False), ["name"], 0, 10)
    assert [r[1] for r in ordered] == ["Eve", "Bob", "Cat", "Dan", "Ann"]  # currency, amount
    # a big list reads the summary's index first: the same rows in the same order
    big = query.window(Filter(), ("open_balance", False), ["name"], 0, 10, total=10**6)
    assert big == ordered
    assert query.window(Filter(), ("open_balance", True), ["name"], 0, 10, total=10**6) == [
        *reversed(ordered)
    ]
    assert customer_money.totals(db.conn, flt) == [
        ("JPY", 2_000, 0),
        ("USD", 150_000, 0),
    ]
    everyone = customer_money.totals(db.conn, Filter())
    assert everyone == [("EUR", 90_000, 0), ("JPY", 2_000, 0), ("USD", 249_999, 0)]
    between = Filter(conditions=(Condition("open_balance", "between", 900, 1000),))
    assert query.count(between) == 2
    dated = Filter(conditions=(Condition("last_activity", "lt", "2024-01-02"),))
    assert query.count(dated) == 4  # Eve has no activity at all
    # a deleted customer leaves the Centre's totals for the bin's
    CustomerRepository(db).delete(made["Ann"], CustomerRepository(db).get(made["Ann"]).version)
    assert customer_money.totals(db.conn, Filter()) == [
        ("EUR", 90_000, 0),
        ("JPY", 2_000, 0),
        ("USD", 99_999, 0),
    ]
    assert customer_money.totals(db.conn, Filter(), "deleted") == [("USD", 150_000, 0)]


def test_a_document_save_stays_quick_for_a_big_customer(db) -> None:
    """The triggers work per row: a save costs the same with 20,000 documents."""
    cid = CustomerRepository(db).create(CustomerIn(account_number="BIG", name="Big")).id
    with write_tx(db) as conn:
        conn.executemany(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
            " balance, created_at) VALUES ('invoice', ?, ?, '2024-01-01', 'USD', 100, 100, ?)",
            [(f"B-{n}", cid, STAMP) for n in range(20_000)],
        )
    started = time.perf_counter()
    for n in range(50):
        with write_tx(db) as conn:
            conn.execute("UPDATE documents SET balance = ? WHERE number = 'B-7'", (n,))
    each = (time.perf_counter() - started) / 50
    assert each < 0.02, f"{each * 1000:.1f} ms a save"
    assert (
        db.conn.execute(
            "SELECT open_balance FROM customer_money WHERE customer_id = ?", (cid,)
        ).fetchone()[0]
        == 19_999 * 100 + 49
    )
