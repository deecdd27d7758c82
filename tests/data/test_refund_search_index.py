"""The refund search index (migration 36): the quick search and its count, driven by the
index, agree with a plain reading of every refund's folded text after any edits; the
upgrade of an older file fills it once, keeps what the old columns found, and passes
FTS5's integrity check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.refunds.refund_list import (
    TEXT_SEARCH_FIELDS,
    refund_spec,
    search_count,
)
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.connection import connect, create_private_file
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.migrations import LATEST, migrate, schema_version
from xoro_tui.data.store.opening import open_database

DAY = dt.date(2024, 5, 1)
S = RefundStatus
#: letters no currency, status, payment method or account is named by (those are found
#: through their columns' own indexes, not the text index); é folds to e
_LETTERS = "qkzé"
words = st.text(alphabet=_LETTERS + " ", min_size=1, max_size=8).filter(lambda t: t.strip())
terms = st.text(alphabet=_LETTERS + "%_", min_size=1, max_size=4)
USERS = ("me", "qk", "zez")

operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 1), st.sampled_from(USERS), words, words),
        st.tuples(st.just("memo"), st.integers(0, 20), words),
        st.tuples(st.just("void"), st.integers(0, 20), words),
        st.tuples(st.just("approve"), st.integers(0, 20), st.sampled_from(USERS)),
        st.tuples(st.just("back"), st.integers(0, 20), words),
        st.tuples(st.just("rename"), st.integers(0, 1), words),
    ),
    max_size=14,
)


def _apply(db, customers: list[int], op: tuple) -> None:
    kind, *args = op
    ids = [r[0] for r in db.conn.execute("SELECT id FROM refunds ORDER BY id")]
    try:
        if kind == "create":
            who, user, memo, reference = args
            RefundRepository(db, user=user).create(
                customers[who], amount=1000, currency="USD", refund_date=DAY,
                payment_method="ACH", memo=memo, reference=reference,
            )  # fmt: skip
        elif kind == "rename":
            repo = CustomerRepository(db)
            found = repo.get(customers[args[0]])
            data = CustomerIn(account_number=found.account_number, name=f"{args[1]} Ltd")
            repo.update(found.id, found.version, data)
        elif ids:
            repo = RefundRepository(db, user="me")
            refund = repo.get(ids[args[0] % len(ids)])
            if kind == "memo":
                repo.update(refund.id, refund.version, RefundUpdate(memo=args[1]))
            elif kind == "void":
                repo.void(refund.id, refund.version, args[1])
            elif kind == "approve":
                if refund.status is S.DRAFT:
                    refund = repo.update(
                        refund.id, refund.version, RefundUpdate(status=S.PENDING_APPROVAL)
                    )
                RefundRepository(db, user=args[1]).update(
                    refund.id, refund.version, RefundUpdate(status=S.APPROVED)
                )
            elif kind == "back":
                repo.return_to_pending(refund.id, refund.version, args[1])
    except (Refused, Invalid):
        pass  # a move the rules refuse changes nothing


def plain(db, term: str, field: str) -> set[int]:
    """The refunds whose folded text holds the folded term, read row by row."""
    wanted = fold(term).strip()
    columns = TEXT_SEARCH_FIELDS if field == "any" else (field,)
    out = set()
    for row in db.conn.execute(
        "SELECT r.id, r.refund_number, c.account_number || ' ' || c.name, r.cheque_number,"
        " r.reference, r.memo, r.void_reason, r.created_by, r.approved_by"
        " FROM refunds r JOIN customers c ON c.id = r.customer_id"
    ):
        values = dict(zip(TEXT_SEARCH_FIELDS, row[1:], strict=True))
        if any(wanted in fold(values[c]) for c in columns if values[c] is not None):
            out.add(row[0])
    return out


def searched(db, term: str, field: str) -> tuple[int, set[int]]:
    """The Centre's count and the keys of its rows for the search."""
    query = WindowQuery(db.conn, refund_spec())
    flt = Filter(search=term, search_field=field)
    total = query.count(flt)
    return total, {row[0] for row in query.window(flt, None, [], 0, 1000, total)}


def integrity(conn) -> None:
    conn.execute("INSERT INTO refund_fts(refund_fts, rank) VALUES ('integrity-check', 1)")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, probes=st.lists(st.tuples(terms, st.sampled_from(("any", *TEXT_SEARCH_FIELDS))), min_size=1, max_size=6))  # fmt: skip
def test_index_search_equals_a_plain_reading_after_any_edits(ops, probes) -> None:
    db = open_database(":memory:", create=True)
    try:
        customers = [customer(db, name=name).id for name in ("Abba Ltd", "Bob Ltd")]
        for op in ops:
            _apply(db, customers, op)
        integrity(db.conn)
        # the random terms, and pieces of every text written (so that an edit the index
        # missed is looked for), in every column and Any Field
        written = {fold(t).strip()[:n] for op in ops for t in op[1:] if isinstance(t, str)
                   for n in (2, 3)}  # fmt: skip
        fields = ("any", *TEXT_SEARCH_FIELDS)
        for term, field in [*probes, *((t, f) for t in written for f in fields)]:
            if not fold(term).strip():
                continue
            wanted = plain(db, term, field)
            assert searched(db, term, field) == (len(wanted), wanted), (term, field)
            assert search_count(db.conn, term, field) == len(wanted)
    finally:
        db.conn.close()


def _old_file(path: Path) -> None:
    """A file at schema 35 with refunds whose memo, void reason, creator and approver are
    set (their search rows made by migration 2's triggers, without those columns)."""
    create_private_file(path)
    old = connect(path, fresh=True)
    migrate(old, upto=35)
    who = customer(old, name="Ålborg Fisk")
    for i, (memo, void, by, approver) in enumerate([
        ("Quokka refund", None, "me", None),
        (None, "Wombat", "me", None),
        (None, None, "zelda", None),
        (None, None, "me", "yvonne"),
        ("Plain", None, "me", None),
    ]):  # fmt: skip
        status = "Voided" if void else "Approved" if approver else "Draft"
        old.conn.execute(
            "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
            " status, payment_method, reference, memo, void_reason, created_by, approved_by,"
            " created_at, updated_at) VALUES (?, ?, '2024-05-01', 100, 'USD', ?, 'ACH', ?, ?,"
            " ?, ?, ?, 'x', 'x')",
            (f"RF-{i}", who.id, status, f"REF-{i}", memo, void, by, approver),
        )
    old.conn.close()


def test_upgrade_fills_the_index_once_and_keeps_the_old_columns(db_path: Path) -> None:
    _old_file(db_path)
    before = connect(db_path)
    old = {
        (term, field): searched(before, term, field)
        for term, field in [("ref-1", "reference"), ("alborg", "customer"), ("rf-3", "any"),
                            ("fisk", "any"), ("rf", "refund_number")]
    }  # fmt: skip
    assert searched(before, "quokka", "any") == (0, set())
    before.conn.close()

    db = open_database(db_path)
    assert schema_version(db) == LATEST
    integrity(db.conn)
    for (term, field), result in old.items():
        assert searched(db, term, field) == result, (term, field)
    number = {r[1]: r[0] for r in db.conn.execute("SELECT id, refund_number FROM refunds")}
    for term, field, refund in [("quokka", "memo", "RF-0"), ("wombat", "void_reason", "RF-1"),
                                ("zelda", "created_by", "RF-2"), ("yvonne", "approved_by", "RF-3")]:  # fmt: skip
        assert searched(db, term, "any") == (1, {number[refund]})
        assert searched(db, term, field) == (1, {number[refund]})
    rows = db.conn.execute("SELECT count(*) FROM refund_fts").fetchone()[0]
    assert rows == 5  # filled once
    assert db.conn.execute(
        "SELECT count(*) FROM (SELECT * FROM refund_search_source EXCEPT SELECT rowid, * FROM refund_fts)"
    ).fetchone() == (0,)


def test_upgrade_reports_its_progress(db_path: Path) -> None:
    _old_file(db_path)
    seen: list[tuple[str, int, int]] = []
    db = connect(db_path)
    migrate(db, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen and seen[-1][1] == seen[-1][2] == 5
    assert all("refund search" in stage for stage, _d, _t in seen)
