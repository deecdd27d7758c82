"""Customer Merge: what moves, which fields win, the journal, undo, and the money invariant."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import customer
from xoro_tui.data.customers import merge as merge_mod
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import merge, merge_preview, merges_for, undo_merge
from xoro_tui.data.models.entities import CardIn, CustomerIn
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.connection import is_postgres, write_tx
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.opening import open_database

STAMP = "2024-01-01T00:00:00+00:00"


def add_doc(db, customer_id: int, total: int, doc_type: str = "invoice", cur: str = "USD") -> int:
    with write_tx(db) as conn:
        n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return conn.execute(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
            " balance, created_at) VALUES (?, ?, ?, '2024-01-01', ?, ?, ?, ?)",
            (doc_type, f"D-{n + 1}", customer_id, cur, total, total, STAMP),
        ).lastrowid


def add_refund(db, customer_id: int, amount: int, cur: str = "USD") -> int:
    with write_tx(db) as conn:
        n = conn.execute("SELECT count(*) FROM refunds").fetchone()[0]
        return conn.execute(
            "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency, status,"
            " payment_method, created_at, updated_at) VALUES (?, ?, '2024-01-02', ?, ?, 'Draft',"
            " 'Cash', ?, ?)",
            (f"RF-{n + 1}", customer_id, amount, cur, STAMP, STAMP),
        ).lastrowid


def add_comm(db, customer_id: int) -> int:
    with write_tx(db) as conn:
        return conn.execute(
            "INSERT INTO communications(customer_id, kind, subject, created_at)"
            " VALUES (?, 'note', 'hello', ?)",
            (customer_id, STAMP),
        ).lastrowid


def add_card(db, customer_id: int, last4: str = "4242", brand: str = "Visa") -> None:
    CustomerRepository(db).add_card(
        customer_id, CardIn(brand=brand, last4=last4, exp_month=1, exp_year=2030)
    )


def owner(db, table: str, row_id: int) -> int:
    return db.conn.execute(f"SELECT customer_id FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]


def state(db, customer_id: int) -> tuple[str, int | None]:
    return db.conn.execute(
        "SELECT state, merged_into FROM customers WHERE id = ?", (customer_id,)
    ).fetchone()


@pytest.fixture
def trio(db):
    p = customer(db, name="Primary", phone="555 0100", tags=["vip"], references=["P-REF"])
    a = customer(
        db,
        name="Alpha",
        email="alpha@example.com",
        phone="555 0111",
        sales_rep="Ann",
        tags=["vip", "wholesale"],
        brands=["Acme"],
        references=["A-REF"],
        ship_to_line1="1 Alpha Rd",
        ship_to_city="Leeds",
    )
    b = customer(db, name="Beta", email="beta@example.com", sales_rep="Bob", brands=["Zed"])
    return p, a, b


def test_merge_moves_everything_and_journals_it(db, trio) -> None:
    p, a, b = trio
    docs = [add_doc(db, a.id, 1000), add_doc(db, b.id, 250, "customer_deposit")]
    refund = add_refund(db, b.id, 100)
    comm = add_comm(db, a.id)
    add_card(db, p.id, "1111")
    add_card(db, a.id, "2222", "Mastercard")
    add_card(db, b.id, "3333")
    preview = merge_preview(db, p.id, [a.id, b.id])
    assert preview.documents == {"invoice": 1, "customer_deposit": 1}
    assert (preview.refunds, preview.deposits, preview.communications, preview.sites) == (
        1,
        1,
        1,
        1,
    )
    assert preview.tags == ["vip", "wholesale"] and preview.brands == ["Acme", "Zed"]
    assert preview.references == ["A-REF", "P-REF"]
    assert preview.cards_kept == 1
    assert [c for _, c in preview.cards_removed] == ["Mastercard …2222", "Visa …3333"]
    assert preview.fields["phone"] == ("555 0100", p.account_number)
    assert preview.fields["email"] == ("alpha@example.com", a.account_number)

    result = merge(db, p.id, [a.id, b.id])
    assert all(owner(db, "documents", d) == p.id for d in docs)
    assert owner(db, "refunds", refund) == p.id and owner(db, "communications", comm) == p.id
    assert state(db, a.id) == ("merged", p.id) and state(db, b.id) == ("merged", p.id)
    assert result.moved == {"documents": 2, "refunds": 1, "communications": 1, "sites": 1}
    merged = CustomerRepository(db).get(p.id)
    assert merged.phone == "555 0100"  # the primary's value wins
    assert merged.email == "alpha@example.com" and merged.sales_rep == "Ann"  # first secondary
    assert merged.tags == ["vip", "wholesale"] and merged.brands == ["Acme", "Zed"]
    assert merged.references == ["A-REF", "P-REF"]
    sites = CustomerRepository(db).sites(p.id)
    assert [(s.line1, s.is_default) for s in sites] == [("1 Alpha Rd", False)]
    assert [c.last4 for c in CustomerRepository(db).cards(p.id)] == ["1111"]
    assert db.conn.execute("SELECT count(*) FROM saved_cards").fetchone()[0] == 1
    moves = db.conn.execute(
        "SELECT table_name, row_id, from_customer_id FROM merge_moves WHERE merge_id = ?",
        (result.merge_id,),
    ).fetchall()
    assert ("refunds", refund, b.id) in moves and len(moves) == 5
    befores = db.conn.execute("SELECT customer_id, before FROM merge_secondaries").fetchall()
    assert {cid for cid, _ in befores} == {a.id, b.id}
    assert json.loads(dict(befores)[a.id])["email"] == "alpha@example.com"
    audit_b = db.conn.execute(
        "SELECT changes FROM audit_log WHERE record_key = ? AND action = 'merge'",
        (b.account_number,),
    ).fetchone()[0]
    assert json.loads(audit_b)["saved_cards_removed"] == [["Visa …3333"], None]
    # the secondary's reference now finds the primary (PostgreSQL has no search table: its
    # quick search reads the references themselves)
    if is_postgres(db.conn):
        batches = WindowQuery(db.conn, customer_spec("active")).keys(Filter(search="a-ref"))
        hit = [(key,) for keys in batches for key in keys]
    else:
        hit = db.conn.execute(
            "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?", ('"a-ref"',)
        ).fetchall()
    assert hit == [(p.id,)]


def test_first_secondary_in_the_given_order_fills_empty_fields(db, trio) -> None:
    p, a, b = trio
    merge(db, p.id, [b.id, a.id])
    merged = CustomerRepository(db).get(p.id)
    assert merged.email == "beta@example.com" and merged.sales_rep == "Bob"


def test_an_address_is_taken_whole_from_one_secondary(db) -> None:
    p = customer(db, name="P")
    a = customer(db, name="A", bill_to_city="Paris")
    b = customer(db, name="B", bill_to_line1="2 Rue", bill_to_city="Lyon", bill_to_country="FR")
    merge(db, p.id, [a.id, b.id])
    merged = CustomerRepository(db).get(p.id)
    assert (merged.bill_to_line1, merged.bill_to_city, merged.bill_to_country) == (
        None,
        "Paris",
        None,
    )


def test_refusals(db, trio) -> None:
    p, a, _ = trio
    with pytest.raises(Refused, match="at least two"):
        merge(db, p.id, [])
    with pytest.raises(Refused, match="primary"):
        merge(db, p.id, [p.id, a.id])
    CustomerRepository(db).delete(a.id, a.version)
    with pytest.raises(Refused, match="deleted"):
        merge(db, p.id, [a.id])


def test_a_merge_that_fails_half_way_changes_nothing(db, trio, monkeypatch) -> None:
    p, a, b = trio
    doc = add_doc(db, a.id, 500)
    add_card(db, b.id)
    monkeypatch.setattr(merge_mod.audit, "record", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        merge(db, p.id, [a.id, b.id])
    assert owner(db, "documents", doc) == a.id
    assert state(db, a.id) == ("active", None)
    assert db.conn.execute("SELECT count(*) FROM saved_cards").fetchone()[0] == 1
    for table in ("merges", "merge_moves", "merge_secondaries"):
        assert db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert CustomerRepository(db).get(p.id).email is None


def test_undo_puts_back_exactly_what_moved_and_keeps_later_work(db, trio) -> None:
    p, a, b = trio
    d_a, d_b, d_p = add_doc(db, a.id, 100), add_doc(db, b.id, 200), add_doc(db, p.id, 300)
    gone = add_doc(db, a.id, 50)
    add_card(db, a.id)
    result = merge(db, p.id, [a.id, b.id])
    later = add_doc(db, p.id, 999)  # made on the primary after the merge
    with write_tx(db) as conn:
        conn.execute("UPDATE documents SET memo = 'edited' WHERE id = ?", (d_a,))
        conn.execute("DELETE FROM documents WHERE id = ?", (gone,))
        conn.execute("UPDATE customers SET sales_rep = NULL WHERE id = ?", (p.id,))
    repo = CustomerRepository(db)
    edited = repo.get(p.id)
    data = edited.model_dump(include=set(CustomerIn.model_fields))
    repo.update(p.id, edited.version, CustomerIn(**{**data, "email": "new@example.com"}))

    report = undo_merge(db, result.merge_id)
    assert owner(db, "documents", d_a) == a.id and owner(db, "documents", d_b) == b.id
    assert owner(db, "documents", d_p) == p.id and owner(db, "documents", later) == p.id
    memo = db.conn.execute("SELECT memo FROM documents WHERE id = ?", (d_a,)).fetchone()[0]
    assert memo == "edited"
    number = f"D-{gone}"  # add_doc numbers the n-th document D-n
    assert report.missing == [f"invoice {number} (deleted since the merge)"]
    assert state(db, a.id) == ("active", None) and state(db, b.id) == ("active", None)
    restored_a = repo.get(a.id)
    assert restored_a.tags == ["vip", "wholesale"] and restored_a.references == ["A-REF"]
    assert restored_a.ship_to_line1 == "1 Alpha Rd"  # its default site is its default again
    primary = repo.get(p.id)
    assert primary.email == "new@example.com"  # edited since: kept
    assert "email" in report.kept_fields
    assert primary.tags == ["vip"] and primary.brands == [] and primary.references == ["P-REF"]
    assert report.cards_not_restored == 1 and repo.cards(a.id) == []
    assert any("do not come back" in line for line in report.lines())
    with pytest.raises(Refused, match="already undone"):
        undo_merge(db, result.merge_id)
    assert [m.secondaries for m in merges_for(db, p.id)] == [[a.account_number, b.account_number]]
    assert merges_for(db, p.id)[0].undone_at is not None


def test_undo_restores_filled_fields_still_holding_the_merged_value(db, trio) -> None:
    p, a, b = trio
    result = merge(db, p.id, [a.id, b.id])
    report = undo_merge(db, result.merge_id)
    primary = CustomerRepository(db).get(p.id)
    assert primary.email is None and primary.sales_rep is None
    assert {"email", "sales_rep"} <= set(report.restored_fields)


# --- the money invariant, on generated data -------------------------------------------------

CURRENCIES = ("USD", "EUR", "JPY")
money_rows = st.lists(
    st.tuples(st.integers(0, 4), st.sampled_from(CURRENCIES), st.integers(1, 10**9)), max_size=12
)


def _totals(conn) -> tuple[dict, dict]:
    docs = dict(conn.execute("SELECT currency, sum(total) FROM documents GROUP BY currency"))
    refunds = dict(conn.execute("SELECT currency, sum(amount) FROM refunds GROUP BY currency"))
    return docs, refunds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=money_rows,
    refunds=money_rows,
    cards=st.lists(st.tuples(st.integers(0, 4), st.from_regex(r"[0-9]{4}", fullmatch=True))),
    primary=st.integers(0, 4),
    secondaries=st.lists(st.integers(0, 4), min_size=1, max_size=4, unique=True),
)
def test_merge_keeps_every_transaction(docs, refunds, cards, primary, secondaries) -> None:
    secondaries = [s for s in secondaries if s != primary]
    if not secondaries:
        return
    db = open_database(":memory:", create=True)
    try:
        conn = db.conn
        ids = [
            CustomerRepository(db).create(CustomerIn(account_number=f"H-{i}", name=f"H {i}")).id
            for i in range(5)
        ]
        with write_tx(db) as c:
            for n, (who, cur, total) in enumerate(docs):
                c.execute(
                    "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency,"
                    " total, balance, created_at) VALUES ('invoice', ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f"INV-{n}",
                        ids[who],
                        dt.date(2024, 1, 1).isoformat(),
                        cur,
                        total,
                        total,
                        STAMP,
                    ),
                )
            for n, (who, cur, amount) in enumerate(refunds):
                c.execute(
                    "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
                    " status, payment_method, created_at, updated_at)"
                    " VALUES (?, ?, '2024-01-02', ?, ?, 'Approved', 'Cheque', ?, ?)",
                    (f"RF-{n}", ids[who], amount, cur, STAMP, STAMP),
                )
            for who, last4 in cards:
                c.execute(
                    "INSERT INTO saved_cards(customer_id, brand, last4, exp_month, exp_year,"
                    " created_at) VALUES (?, 'Visa', ?, 12, 2030, ?)",
                    (ids[who], last4, STAMP),
                )
        owners_before = {
            t: dict(conn.execute(f"SELECT id, customer_id FROM {t}"))
            for t in ("documents", "refunds")
        }
        totals_before = _totals(conn)
        result = merge(db, ids[primary], [ids[s] for s in secondaries])
        assert _totals(conn) == totals_before
        for table, owners in owners_before.items():
            now = dict(conn.execute(f"SELECT id, customer_id FROM {table}"))
            assert now.keys() == owners.keys()
            moved = {ids[s] for s in secondaries}
            assert all(now[r] == (ids[primary] if o in moved else o) for r, o in owners.items())
        kept = conn.execute("SELECT customer_id FROM saved_cards").fetchall()
        assert all(cid not in {ids[s] for s in secondaries} for (cid,) in kept)
        undo_merge(db, result.merge_id)
        assert _totals(conn) == totals_before
        for table, owners in owners_before.items():
            assert dict(conn.execute(f"SELECT id, customer_id FROM {table}")) == owners
    finally:
        db.conn.close()


def test_undo_moves_the_version_of_every_row_it_touches(db) -> None:
    from xoro_tui.data.store.errors import StaleEdit

    # nothing for the merge to fill on the primary: only tags and rows move
    p = customer(db, name="Primary", tags=["vip"])
    a = customer(db, name="Alpha", tags=["wholesale"])
    b = customer(db, name="Beta")
    doc = add_doc(db, a.id, 100)
    refund = add_refund(db, b.id, 500)
    result = merge(db, p.id, [a.id, b.id])
    repo = CustomerRepository(db)
    opened = repo.get(p.id)  # a form opened on the primary before the undo
    versions = {
        table: db.conn.execute(f"SELECT version FROM {table} WHERE id = ?", (row,)).fetchone()[0]
        for table, row in (("documents", doc), ("refunds", refund))
    }
    undo_merge(db, result.merge_id)
    assert repo.get(p.id).version > opened.version
    for table, row in (("documents", doc), ("refunds", refund)):
        now = db.conn.execute(f"SELECT version FROM {table} WHERE id = ?", (row,)).fetchone()[0]
        assert now > versions[table]
    data = opened.model_dump(include=set(CustomerIn.model_fields))
    with pytest.raises(StaleEdit):
        repo.update(p.id, opened.version, CustomerIn(**{**data, "email": "late@example.com"}))
    assert repo.get(p.id).tags == ["vip"]  # the undo is not lost
