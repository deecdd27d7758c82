"""The cheque register on a real database: numbers come only from it, printing asks whether
the cheques came out right, spoiled and voided cheques keep their numbers, books start where
an admin says, and the import brings history only below the current book."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xoro_tui.data.store.users as users_module
from tests.conftest import database_from
from tests.factories import customer
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.models.entities import Refund
from xoro_tui.data.refunds import cheque_register as register
from xoro_tui.data.refunds.cheque_desk import ChequeDesk
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.errors import DataError, Invalid, Refused
from xoro_tui.data.store.maintenance import integrity_check
from xoro_tui.data.store.users import UserRepository
from xoro_tui.data.transfer.importer import import_refunds

S = RefundStatus
DAY = dt.date(2024, 5, 1)


def approved(db, account: str = "Main", creator: str = "carl", approver: str = "alice") -> Refund:
    repo = RefundRepository(db, user=creator)
    refund = repo.create(
        customer(db).id, amount=10000, currency="USD", refund_date=DAY,
        payment_method="Cheque", refund_account=account,
    )  # fmt: skip
    refund = repo.update(refund.id, refund.version, RefundUpdate(status=S.PENDING_APPROVAL))
    approving = RefundRepository(db, user=approver)
    return approving.update(refund.id, refund.version, RefundUpdate(status=S.APPROVED))


def fresh(db, refund: Refund) -> Refund:
    return RefundRepository(db).get(refund.id)


def statuses(db, account: str = "Main") -> list[tuple[int, str]]:
    return [(e.number, e.status) for e in register.entries(db.conn, account)]


@pytest.fixture
def accounts(db) -> None:
    repo = RefundRepository(db, user="root")
    repo.add_refund_account("Main", "First Bank", "123-456", 1084)
    repo.add_refund_account("Payroll", None, None, 1001)


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """root is an admin, alice and bob approvers, carl a clerk."""
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("alice", "approver"), ("bob", "approver"), ("carl", "clerk")):
        users.add(name, role)


def test_the_skipped_1084_sequence_cannot_happen(db, accounts, roles) -> None:
    """The issue's sequence: a number typed by hand, another refund printed, the first one's
    number cleared and printed: 1084 was never printed nor voided and check said ok."""
    first, second = approved(db), approved(db)
    alice = RefundRepository(db, user="alice")
    with pytest.raises(Invalid, match="cheque numbers are never typed"):
        alice.update(first.id, first.version, RefundUpdate(cheque_number=1084))
    _, number, _ = alice.take_cheque_number(second.id, second.version)
    assert number == 1084  # the account's next number went to the cheque that printed
    first = fresh(db, first)
    assert first.cheque_number is None  # nothing to clear: it never had one
    _, number, _ = alice.take_cheque_number(first.id, first.version)
    assert number == 1085
    assert statuses(db) == [(1084, "printed"), (1085, "printed")]
    assert integrity_check(db) == []


def test_printing_reserves_and_asks_whether_it_came_out_right(db, accounts, roles) -> None:
    a, b = approved(db), approved(db)
    desk = ChequeDesk(db, user="alice")
    a, n1, r1 = desk.print_cheque(a.id, a.version)
    b, n2, r2 = desk.print_cheque(b.id, b.version)
    assert (n1, n2, r1, r2) == (1084, 1085, False, False)
    # awaiting confirmation: still Approved, the number reserved, seen by everyone
    assert (a.status, a.cheque_number) == (S.APPROVED, 1084)
    assert [(w["number"], w["refund_number"]) for w in ChequeDesk(db, "carl").awaiting()] == [
        (1084, a.refund_number), (1085, b.refund_number)
    ]  # fmt: skip
    with pytest.raises(Refused, match="cheque 1084 is awaiting confirmation"):
        desk.print_cheque(a.id, a.version)
    with pytest.raises(Refused, match="awaiting confirmation"):
        RefundRepository(db, user="alice").void(a.id, a.version, "changed my mind")
    with pytest.raises(Refused, match="printed by alice; they or an approver"):
        ChequeDesk(db, user="carl").confirm("Main", 1084)
    assert ChequeDesk(db, user="bob").confirm("main", 1084).status is S.PRINTED
    spoiled = desk.spoil("Main", 1085, "paper jam")
    assert (spoiled.status, spoiled.cheque_number, spoiled.refund_number) == (
        S.APPROVED, None, b.refund_number
    )  # fmt: skip
    again, n3, r3 = desk.print_cheque(spoiled.id, spoiled.version)
    assert (n3, r3) == (1086, False)  # the next number, and no REPRINT mark
    desk.confirm("Main", 1086)
    [spoilt] = [e for e in register.entries(db.conn, "Main") if e.number == 1085]
    assert (spoilt.status, spoilt.reason, spoilt.who, spoilt.refund_number) == (
        "spoiled", "paper jam", "alice", b.refund_number
    )  # fmt: skip
    assert statuses(db) == [(1084, "printed"), (1085, "spoiled"), (1086, "printed")]
    actions = [h["action"] for h in RefundRepository(db).history(b.id)[:4]]
    assert actions == ["confirm cheque", "print cheque", "spoil cheque", "print cheque"]
    assert integrity_check(db) == []


def test_a_reprint_keeps_its_number_and_is_marked(db, accounts, roles) -> None:
    refund = approved(db)
    desk = ChequeDesk(db, user="alice")
    refund, number, _ = desk.print_cheque(refund.id, refund.version, confirm=True)
    again, same, reprint = desk.print_cheque(refund.id, refund.version)
    assert (same, reprint, again.status, again.print_count) == (number, True, S.PRINTED, 2)
    assert ChequeDesk(db).awaiting() == []
    assert statuses(db) == [(1084, "printed")]


def test_void_cheque_returns_the_refund_to_approved(db, accounts, roles) -> None:
    refund = approved(db)
    refund, number, _ = ChequeDesk(db, "alice").print_cheque(
        refund.id, refund.version, confirm=True
    )
    with pytest.raises(Refused, match="voiding a cheque needs the approver role"):
        ChequeDesk(db, "carl").void_cheque(refund.id, refund.version, "torn")
    with pytest.raises(Invalid, match="reason: missing"):
        ChequeDesk(db, "bob").void_cheque(refund.id, refund.version, "  ")
    back = ChequeDesk(db, "bob").void_cheque(refund.id, refund.version, "torn in the post")
    assert (back.status, back.cheque_number, back.refund_number) == (
        S.APPROVED, None, refund.refund_number
    )  # fmt: skip
    [entry] = register.entries(db.conn, "Main")
    assert (entry.status, entry.reason, entry.who) == ("voided", "torn in the post", "bob")
    back, again, _ = ChequeDesk(db, "alice").print_cheque(back.id, back.version, confirm=True)
    assert again == number + 1
    voided = RefundRepository(db, user="bob").void(back.id, back.version, "customer paid cash")
    assert voided.status is S.VOIDED and voided.cheque_number == again
    assert statuses(db) == [(1084, "voided"), (1085, "voided")]
    assert integrity_check(db) == []


def test_an_admin_starts_a_new_book_and_the_skipped_numbers_are_recorded(
    db, accounts, roles
) -> None:
    refund = approved(db)
    ChequeDesk(db, "alice").print_cheque(refund.id, refund.version, confirm=True)
    with pytest.raises(Refused, match=r"needs the admin role \(alice is a approver\)"):
        ChequeDesk(db, "alice").start_book("Main", 2000)
    with pytest.raises(Refused, match="start it at 1085 or above"):
        ChequeDesk(db, "root").start_book("Main", 1084)
    book = ChequeDesk(db, "root").start_book("Main", 2000, "new box of cheques")
    assert (book.start, book.skipped_from, book.reason, book.started_by) == (
        2000, 1085, "new box of cheques", "root"
    )  # fmt: skip
    other = approved(db)
    _, number, _ = ChequeDesk(db, "alice").print_cheque(other.id, other.version, confirm=True)
    assert number == 2000
    rows = register.display_rows(db.conn, "Main")
    assert [(r[0], r[4]) for r in rows] == [("1084", "printed"), ("1085-1999", "skipped"),
                                           ("2000", "printed")]  # fmt: skip
    assert rows[1][6:] == ("root", "new box of cheques")
    assert integrity_check(db) == []
    with pytest.raises(
        Invalid, match="1500 on Main was recorded as skipped when the book from 2000"
    ):
        register.check_historical(db.conn, "Main", 1500)


def test_check_finds_a_gap_and_a_disagreeing_refund(db, accounts) -> None:
    refunds = [approved(db, creator="me", approver="me") for _ in range(3)]
    desk = ChequeDesk(db, "me")
    for refund in refunds:
        desk.print_cheque(refund.id, refund.version, confirm=True)
    db.conn.execute("DELETE FROM cheque_register WHERE number = 1085")
    db.conn.execute("UPDATE refunds SET cheque_number = 4242 WHERE id = ?", (refunds[2].id,))
    found = integrity_check(db)
    assert "cheque register Main: 1085 never printed, spoiled, voided nor skipped (a gap)" in found
    assert any("1086 is printed but" in line and "cheque 4242" in line for line in found)
    assert any("has cheque 1085 on Main, which the cheque register does not show" in line
               for line in found)  # fmt: skip


# --- the import --------------------------------------------------------------------------

HEADERS = "refund_number,customer_account_number,refund_date,amount,currency,status," \
    "payment_method,refund_account,cheque_number,memo"  # fmt: skip


def import_rows(db, tmp_path: Path, *rows: str):  # noqa: ANN201
    path = tmp_path / "refunds.csv"
    path.write_text("\n".join([HEADERS, *rows]) + "\n", encoding="utf-8")
    return import_refunds(db, path)


def test_the_import_brings_history_only_below_the_current_book(db, accounts, tmp_path) -> None:
    who = customer(db)
    refund = approved(db, creator="me", approver="me")
    ChequeDesk(db, "me").print_cheque(refund.id, refund.version, confirm=True)  # book from 1084
    row = f"{who.account_number},2024-01-02,10.00,USD,Issued,Cheque,Main"
    report = import_rows(db, tmp_path, f"RF-1,{row},777777,")
    assert report.format_errors() == [
        "row 1, column cheque_number: cheque 777777 on Main is not below the current book's "
        "start (1084) and unused; to use higher numbers an admin starts a new book with: "
        "xoro-tui cheques --account Main --start N"
    ]
    assert import_rows(db, tmp_path, f"RF-2,{row},1084,").format_errors() == [
        "row 1, column cheque_number: already used by " + refund.refund_number
    ]
    report = import_rows(db, tmp_path, f"RF-3,{row},900,")
    assert report.ok and report.inserted == 1
    assert statuses(db)[:2] == [(900, "imported"), (1084, "printed")]
    assert RefundRepository(db).refund_accounts()[0][3] == 1085  # not moved by history
    assert integrity_check(db) == []


def test_an_account_with_no_book_takes_any_unused_history(db, accounts, tmp_path) -> None:
    who = customer(db)
    row = f"{who.account_number},2024-01-02,10.00,USD,Issued,Cheque,Payroll"
    assert import_rows(db, tmp_path, f"RF-1,{row},777777,").ok
    # the history never moves the account's next number ...
    assert {a[0]: a[3] for a in RefundRepository(db).refund_accounts()}["Payroll"] == 1001
    refund = approved(db, account="Payroll", creator="me", approver="me")
    _, number, _ = ChequeDesk(db, "me").print_cheque(refund.id, refund.version, confirm=True)
    assert number == 777778  # ... but the first book starts above the history
    assert integrity_check(db) == []


# --- any sequence of actions by anyone keeps the register whole ---------------------------

USERS = ("root", "alice", "bob", "carl")
#: voiding ends a refund's story, so it is drawn less often than the rest
ACTIONS = ("print", "print", "confirm", "confirm", "spoil", "void_cheque", "void_cheque", "void",
           "reprint", "edit", "book")  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ACTIONS), st.sampled_from(USERS), st.integers(0, 4), st.integers(1, 60)
        ),
        min_size=5,
        max_size=30,
    )  # fmt: skip
)
def test_any_sequence_keeps_the_register_whole(
    tmp_path_factory, monkeypatch, migrated_template, steps
) -> None:
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    db = database_from(migrated_template, tmp_path_factory.mktemp("h") / "h.sqlite")
    try:
        RefundRepository(db, user="root").add_refund_account("Main", None, None, 500)
        users = UserRepository(db)
        users.add("root", "admin")
        for name, role in (("alice", "approver"), ("bob", "approver"), ("carl", "clerk")):
            users.add(name, role)
        refunds = [approved(db).id for _ in range(5)]
        for action, user, pick, extra in steps:
            _step(db, action, user, refunds[pick], extra)
            _assert_whole(db)
    finally:
        db.conn.close()


def _step(db, action: str, user: str, refund_id: int, extra: int) -> None:
    desk, repo = ChequeDesk(db, user), RefundRepository(db, user=user)
    refund = repo.get(refund_id)
    held = desk.held_by(refund_id)
    try:
        if action in ("print", "reprint"):
            desk.print_cheque(refund.id, refund.version)
        elif action == "confirm" and held is not None:
            desk.confirm("Main", held)
        elif action == "spoil" and held is not None:
            desk.spoil("Main", held, "spoiled in the printer")
        elif action == "void_cheque":
            desk.void_cheque(refund.id, refund.version, "lost in the post")
        elif action == "void":
            repo.void(refund.id, refund.version, "not wanted")
        elif action == "edit":
            repo.update(refund.id, refund.version,
                        RefundUpdate(cheque_number=extra + 500, memo=f"edit {extra}"))  # fmt: skip
        elif action == "book":
            following = desk.next_number("Main") or 500
            desk.start_book("Main", following + extra % 3 * 10)
    except DataError:
        pass  # refused: the register must be as it was


def _assert_whole(db) -> None:
    assert integrity_check(db) == []
    conn = db.conn
    used = [e.number for e in register.entries(conn, "Main")]
    assert len(used) == len(set(used))
    skipped = {
        n
        for b in register.books(conn, "Main")
        if b.skipped_from is not None
        for n in range(b.skipped_from, b.start)
    }
    books = register.books(conn, "Main")
    if books and used:
        covered = set(used) | skipped
        assert set(range(books[0].start, max(used) + 1)) <= covered  # no gap
    for number, status, refund_id in conn.execute(
        "SELECT number, status, refund_id FROM cheque_register"
    ).fetchall():
        refund = RefundRepository(db).get(refund_id)
        if status in ("reserved", "printed"):
            assert refund.cheque_number == number
            assert refund.status is (S.APPROVED if status == "reserved" else refund.status)
        if status == "spoiled":
            assert refund.cheque_number != number
    for refund_id, cheque in conn.execute(
        "SELECT id, cheque_number FROM refunds WHERE cheque_number IS NOT NULL"
    ).fetchall():
        row = register.entry_row(conn, "Main", cheque)
        assert row is not None and row["refund_id"] == refund_id
