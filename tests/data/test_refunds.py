"""The refund repository on a real database: new refunds, the form's save, voiding,
cheque numbering (also with concurrent printers), roles, audit and stale edits."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from tests.factories import customer
from xoro_tui.data.customers.sales_documents import Document, DocumentRepository, remaining
from xoro_tui.data.models.choices import DocumentType, PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import DocumentIn, Refund
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.refunds.refund_writes import REFUND_SEQUENCE
from xoro_tui.data.store.errors import Invalid, NotFound, Refused, StaleEdit
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.store.users import UserRepository

S = RefundStatus
DAY = dt.date(2024, 5, 1)


def deposit(db, customer_id: int, total: int = 50000, currency: str = "USD") -> Document:
    return DocumentRepository(db).create(
        DocumentIn(
            doc_type=DocumentType.CUSTOMER_DEPOSIT,
            customer_id=customer_id,
            doc_date=DAY,
            currency=currency,
            total=total,
        )
    )


def new_refund(repo: RefundRepository, customer_id: int, **kw) -> Refund:
    fields = {"amount": 10000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH"}
    return repo.create(customer_id, **{**fields, **kw})


def move(repo: RefundRepository, refund: Refund, *statuses: RefundStatus, **kw) -> Refund:
    for status in statuses:
        refund = repo.update(refund.id, refund.version, RefundUpdate(status=status, **kw))
    return refund


def force(db, refund: Refund, **columns) -> Refund:
    """Test set-up: put a refund straight into a state, bypassing the rules."""
    sets = ", ".join(f"{c} = ?" for c in columns)
    db.conn.execute(f"UPDATE refunds SET {sets} WHERE id = ?", (*columns.values(), refund.id))
    return RefundRepository(db).get(refund.id)


@pytest.fixture
def repo(db) -> RefundRepository:
    repo = RefundRepository(db, user="me")
    repo.add_refund_account("Main", "First Bank", "123-456", 1001)
    repo.add_refund_account("Payroll", None, None, 1001)
    return repo


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """root and ada are admins, alice and bob approvers, carl a clerk."""
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("ada", "admin"), ("alice", "approver"), ("bob", "approver")):
        users.add(name, role)
    users.add("carl", "clerk")


# --- creating --------------------------------------------------------------------------


def test_create_from_a_deposit(db, repo: RefundRepository) -> None:
    who = customer(db, name="Zoë Ångström")
    dep = deposit(db, who.id)
    refund = new_refund(repo, who.id, source_document_id=dep.id, amount=12500, memo="Back")
    assert refund.status is S.DRAFT
    assert refund.refund_number.startswith("RF-") and len(refund.refund_number) == 9
    assert (refund.created_by, refund.customer_name) == ("me", "Zoë Ångström")
    assert (refund.customer_account_number, refund.source_document) == (
        who.account_number,
        dep.number,
    )
    assert [(x.description, x.amount) for x in repo.lines(refund.id)] == [
        (f"Refund of {dep.number}", 12500)
    ]
    assert remaining(db.conn, dep.id) == 50000 - 12500
    assert repo.by_number(refund.refund_number.lower()) == refund
    assert repo.by_number("RF-999999") is None
    [row] = repo.history(refund.id)
    assert row["action"] == "insert" and row["user"] == "me"
    assert row["changes"]["amount"] == [None, "125.00 USD"]
    assert row["changes"]["source_document"] == [None, dep.number]


def test_overpayment_refund_has_no_source(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id, payment_method="cheque", refund_account="main")
    assert refund.source_document_id is None
    assert refund.refund_account == "Main" and refund.payment_method is PaymentMethod.CHEQUE
    assert [x.description for x in repo.lines(refund.id)] == ["Overpayment refund"]


def test_numbers_skip_ones_already_used(db, repo: RefundRepository) -> None:
    who = customer(db)
    first = new_refund(repo, who.id)
    taken = int(first.refund_number[3:]) + 1
    db.conn.execute(
        "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency, status,"
        " payment_method, created_at, updated_at) VALUES (?, ?, '2024-01-01', 1, 'USD',"
        " 'Draft', 'ACH', 'x', 'x')",
        (f"RF-{taken:06d}", who.id),
    )
    assert new_refund(repo, who.id).refund_number == f"RF-{taken + 1:06d}"
    db.conn.execute(
        "INSERT OR REPLACE INTO sequences(name, next_value) VALUES (?, 700)", (REFUND_SEQUENCE,)
    )
    assert new_refund(repo, who.id).refund_number == "RF-000700"


def test_amount_beyond_the_source_is_refused(db, repo: RefundRepository) -> None:
    who = customer(db)
    dep = deposit(db, who.id, total=50000)
    first = new_refund(repo, who.id, source_document_id=dep.id, amount=37500)
    with pytest.raises(Invalid) as info:
        new_refund(repo, who.id, source_document_id=dep.id, amount=12501)
    assert info.value.field == "amount"
    assert info.value.reason == f"more than the 125.00 USD left on {dep.number}"
    new_refund(repo, who.id, source_document_id=dep.id, amount=12500)
    with pytest.raises(Invalid, match="nothing is left"):
        new_refund(repo, who.id, source_document_id=dep.id, amount=1)
    repo.void(first.id, first.version, "Wrong amount")
    assert remaining(db.conn, dep.id) == 37500


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"payment_method": "Barter"}, "payment_method"),
        ({"refund_account": "Nowhere"}, "refund_account"),
        ({"memo": "bad\x1bmemo"}, "memo"),
        ({"reference": "ref\x07bell"}, "reference"),
    ],
)
def test_create_refuses_bad_fields(db, repo: RefundRepository, kw: dict, field: str) -> None:
    with pytest.raises(Invalid) as info:
        new_refund(repo, customer(db).id, **kw)
    assert info.value.field == field


def test_source_must_be_this_customers_deposit_in_its_currency(db, repo: RefundRepository) -> None:
    mine, theirs = customer(db), customer(db)
    dep = deposit(db, theirs.id)
    with pytest.raises(Invalid, match="another customer") as info:
        new_refund(repo, mine.id, source_document_id=dep.id)
    assert info.value.field == "source_document"
    eur = deposit(db, mine.id, currency="EUR")
    with pytest.raises(Invalid, match="is in EUR") as info:
        new_refund(repo, mine.id, source_document_id=eur.id)
    assert info.value.field == "currency"
    invoice = DocumentRepository(db).create(
        DocumentIn(doc_type=DocumentType.INVOICE, customer_id=mine.id, doc_date=DAY, total=100)
    )
    with pytest.raises(Invalid) as info:
        new_refund(repo, mine.id, source_document_id=invoice.id)
    assert info.value.field == "source_document"
    with pytest.raises(NotFound):
        new_refund(repo, 999_999)


# --- the form's save -------------------------------------------------------------------


def test_amount_changes_while_draft_or_pending_only(db, repo: RefundRepository) -> None:
    who = customer(db)
    dep = deposit(db, who.id, total=50000)
    refund = new_refund(repo, who.id, source_document_id=dep.id, amount=40000)
    refund = repo.update(refund.id, refund.version, RefundUpdate(amount="500.00"))
    assert refund.amount == 50000 and repo.lines(refund.id)[0].amount == 50000
    with pytest.raises(Invalid) as info:
        repo.update(refund.id, refund.version, RefundUpdate(amount="500.01"))
    assert (info.value.field, info.value.reason) == (
        "amount",
        f"more than the 500.00 USD left on {dep.number}",
    )
    with pytest.raises(Invalid, match="more decimals"):
        repo.update(refund.id, refund.version, RefundUpdate(amount="1.234"))
    refund = move(repo, refund, S.PENDING_APPROVAL)
    refund = repo.update(refund.id, refund.version, RefundUpdate(amount="450"))
    refund = move(repo, refund, S.APPROVED)
    with pytest.raises(Refused) as refusal:
        repo.update(refund.id, refund.version, RefundUpdate(amount="400"))
    assert str(refusal.value) == (
        f"changing the amount of {refund.refund_number} is refused: it is locked once "
        "approved; Return to Pending Approval (with a reason) to change it"
    )
    same = repo.update(refund.id, refund.version, RefundUpdate(amount="450.00", memo=None))
    assert same.version == refund.version  # nothing changed, nothing saved


def test_approving_records_the_approver(db, repo: RefundRepository) -> None:
    refund = move(repo, new_refund(repo, customer(db).id), S.PENDING_APPROVAL, S.APPROVED)
    assert refund.approved_by == "me"


NEVER_TYPED = (
    "cheque numbers are never typed: printing takes the next one from the account's cheque register"
)


def test_cheque_numbers_are_never_typed(db, repo: RefundRepository) -> None:
    who = customer(db)
    a = new_refund(repo, who.id, payment_method="Cheque", refund_account="Main")
    a = move(repo, a, S.PENDING_APPROVAL, S.APPROVED)
    with pytest.raises(Invalid) as info:
        repo.update(a.id, a.version, RefundUpdate(cheque_number=1001))
    assert (info.value.field, info.value.reason) == ("cheque_number", NEVER_TYPED)
    printed, number, _ = repo.take_cheque_number(a.id, a.version)
    with pytest.raises(Refused, match="cheque number of .* locked once the cheque is printed"):
        repo.update(printed.id, printed.version, RefundUpdate(cheque_number=None))
    with pytest.raises(Refused, match="refund account of .* locked once the cheque is printed"):
        repo.update(printed.id, printed.version, RefundUpdate(refund_account="Payroll"))
    assert repo.get(a.id).cheque_number == number
    with pytest.raises(ValidationError):
        RefundUpdate(cheque_number=0)


def test_a_cheque_refund_needs_its_number_from_printed_on(db, repo: RefundRepository) -> None:
    who = customer(db)
    refund = new_refund(repo, who.id, payment_method="Cheque", refund_account="Main")
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    with pytest.raises(Invalid) as info:
        move(repo, refund, S.PRINTED)
    assert (info.value.field, info.value.reason) == (
        "cheque_number",
        "a cheque refund needs its cheque number from Printed on: print its cheque to take "
        "the next number from the account's cheque register",
    )
    refund, _, _ = repo.take_cheque_number(refund.id, refund.version)
    refund = move(repo, refund, S.ISSUED)
    assert (refund.status, refund.cheque_number) == (S.ISSUED, 1001)
    with pytest.raises(Refused, match="cheque number of .* it is issued, and only its memo"):
        repo.update(refund.id, refund.version, RefundUpdate(cheque_number=None))
    ach = move(repo, new_refund(repo, who.id), S.PENDING_APPROVAL, S.APPROVED, S.ISSUED)
    with pytest.raises(Refused, match="payment method .* only its memo changes"):
        repo.update(ach.id, ach.version, RefundUpdate(payment_method="Cheque"))


def test_a_missing_required_value_is_refused(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id)
    for field in ("refund_date", "payment_method", "status", "amount"):
        with pytest.raises(Invalid) as info:
            repo.update(refund.id, refund.version, RefundUpdate(**{field: ""}))
        assert (info.value.field, info.value.reason) == (field, "missing")
    with pytest.raises(ValidationError):
        RefundUpdate(amount=12.5)


def test_stale_save_is_refused_and_names_what_changed(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id, memo="Before")
    RefundRepository(db, user="bob").update(refund.id, refund.version, RefundUpdate(memo="Theirs"))
    with pytest.raises(StaleEdit) as info:
        repo.update(refund.id, refund.version, RefundUpdate(memo="Mine"))
    assert "changed by someone else" in str(info.value)
    assert any("bob: memo 'Before' → 'Theirs'" in line for line in info.value.changes)
    with pytest.raises(StaleEdit):
        repo.void(refund.id, refund.version, "late")
    with pytest.raises(StaleEdit):
        repo.take_cheque_number(refund.id, refund.version)
    assert repo.get(refund.id).memo == "Theirs"


def test_every_change_is_audited_old_to_new(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id)
    refund = repo.update(
        refund.id,
        refund.version,
        RefundUpdate(memo="New memo", refund_date="2024-06-02", refund_account="main"),
    )
    latest = repo.history(refund.id)[0]
    assert latest["action"] == "update" and latest["user"] == "me"
    assert latest["changes"] == {
        "refund_date": ["2024-05-01", "2024-06-02"],
        "refund_account": [None, "Main"],
        "memo": [None, "New memo"],
    }
    move(repo, refund, S.PENDING_APPROVAL)
    assert repo.history(refund.id)[0]["changes"]["status"] == ["Draft", "Pending Approval"]


# --- voiding ---------------------------------------------------------------------------


def test_void_keeps_the_row_with_its_reason(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id)
    with pytest.raises(Invalid) as info:
        repo.void(refund.id, refund.version, "  ")
    assert (info.value.field, info.value.reason) == ("void_reason", "missing")
    voided = repo.void(refund.id, refund.version, "Duplicate")
    assert (voided.status, voided.void_reason) == (S.VOIDED, "Duplicate")
    assert repo.history(refund.id)[0]["action"] == "void"
    with pytest.raises(Refused, match="already voided"):
        repo.void(voided.id, voided.version, "again")
    with pytest.raises(Refused, match="voided"):
        repo.update(voided.id, voided.version, RefundUpdate(amount="1"))
    with pytest.raises(Invalid) as info:
        move(repo, voided, S.DRAFT)
    assert info.value.field == "status"
    voided = repo.update(voided.id, voided.version, RefundUpdate(memo="kept for the record"))
    assert voided.memo == "kept for the record"
    other = new_refund(repo, customer(db).id)
    with pytest.raises(Invalid, match="only a voided refund"):
        repo.update(other.id, other.version, RefundUpdate(void_reason="why"))


def test_a_cleared_refund_cannot_be_voided(db, repo: RefundRepository) -> None:
    refund = new_refund(repo, customer(db).id)
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED, S.ISSUED, S.CLEARED)
    with pytest.raises(Invalid) as info:
        repo.void(refund.id, refund.version, "too late")
    assert info.value.field == "status"


# --- every move through the form ------------------------------------------------------


MOVES = [(a, b) for a in RefundStatus for b in RefundStatus if a is not b]


@pytest.mark.parametrize("method", [PaymentMethod.CHEQUE, PaymentMethod.ACH])
@pytest.mark.parametrize(("source", "target"), MOVES)
def test_every_move_through_the_form(
    db, repo: RefundRepository, method: PaymentMethod, source: RefundStatus, target: RefundStatus
) -> None:
    allowed = {
        S.DRAFT: {S.PENDING_APPROVAL, S.VOIDED},
        S.PENDING_APPROVAL: {S.APPROVED, S.DRAFT, S.VOIDED},
        S.APPROVED: {S.PRINTED if method is PaymentMethod.CHEQUE else S.ISSUED, S.VOIDED},
        S.PRINTED: {S.ISSUED, S.VOIDED},
        S.ISSUED: {S.CLEARED, S.VOIDED},
        S.CLEARED: set(),
        S.VOIDED: set(),
    }[source]
    refund = new_refund(repo, customer(db).id, payment_method=method, refund_account="Main")
    refund = force(
        db,
        refund,
        status=source.value,
        cheque_number=3000 + refund.id,
        void_reason="set-up" if source is S.VOIDED else None,
    )
    extra = {"void_reason": "why"} if target is S.VOIDED else {}
    change = RefundUpdate(status=target, **extra)
    if target in allowed:
        assert repo.update(refund.id, refund.version, change).status is target
    else:
        with pytest.raises(Invalid) as info:
            repo.update(refund.id, refund.version, change)
        assert info.value.field == "status" and "allowed:" in info.value.reason


# --- roles and four eyes ---------------------------------------------------------------


def test_four_eyes_and_roles_through_the_repository(db, repo: RefundRepository, roles) -> None:
    who = customer(db)
    alice, bob = RefundRepository(db, user="alice"), RefundRepository(db, user="bob")
    carl, ada = RefundRepository(db, user="carl"), RefundRepository(db, user="ada")
    refund = move(alice, new_refund(alice, who.id), S.PENDING_APPROVAL)
    with pytest.raises(Refused, match="four eyes"):
        move(alice, refund, S.APPROVED)
    with pytest.raises(Refused, match="approver role"):
        move(carl, refund, S.APPROVED)
    approved = move(bob, refund, S.APPROVED)
    assert approved.approved_by == "bob"
    with pytest.raises(Refused, match="voiding needs the approver role"):
        carl.void(approved.id, approved.version, "no")
    assert move(carl, approved, S.ISSUED).status is S.ISSUED
    own = move(ada, new_refund(ada, who.id), S.PENDING_APPROVAL)
    with pytest.raises(Refused, match="four eyes"):
        move(ada, own, S.APPROVED)
    assert ada.void(own.id, own.version, "admin may void").status is S.VOIDED


def test_printing_a_cheque_needs_an_approver(db, repo: RefundRepository, roles) -> None:
    alice, bob = RefundRepository(db, user="alice"), RefundRepository(db, user="bob")
    carl, ada = RefundRepository(db, user="carl"), RefundRepository(db, user="ada")
    refund = new_refund(carl, customer(db).id, payment_method="Cheque", refund_account="Main")
    refund = move(bob, move(carl, refund, S.PENDING_APPROVAL), S.APPROVED)
    with pytest.raises(Refused, match="printing a cheque needs the approver role"):
        carl.take_cheque_number(refund.id, refund.version)
    printed, number, reprint = ada.take_cheque_number(refund.id, refund.version)
    assert (printed.status, number, reprint) == (S.PRINTED, 1001, False)
    with pytest.raises(Refused):
        carl.take_cheque_number(printed.id, printed.version)
    printed, again, reprint = alice.take_cheque_number(printed.id, printed.version)
    assert (again, reprint) == (1001, True)


def test_single_user_mode_may_do_everything(db, repo: RefundRepository) -> None:
    assert UserRepository(db).single_user_mode()
    refund = new_refund(repo, customer(db).id, payment_method="Cheque", refund_account="Main")
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    assert refund.approved_by == refund.created_by == "me"
    refund, _, _ = repo.take_cheque_number(refund.id, refund.version)
    assert repo.void(refund.id, refund.version, "test").status is S.VOIDED


def test_the_user_defaults_to_the_os_user(db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock_module, "os_user", lambda: "osname")
    refund = new_refund(RefundRepository(db), customer(db).id)
    assert refund.created_by == "osname"


# --- printing --------------------------------------------------------------------------


def approved_cheque(db, repo: RefundRepository, account: str = "Main") -> Refund:
    refund = new_refund(repo, customer(db).id, payment_method="Cheque", refund_account=account)
    return move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)


def test_cheques_are_numbered_consecutively_and_reprints_marked(db, repo: RefundRepository) -> None:
    first, second = approved_cheque(db, repo), approved_cheque(db, repo)
    first, n1, r1 = repo.take_cheque_number(first.id, first.version)
    second, n2, r2 = repo.take_cheque_number(second.id, second.version)
    assert (n1, n2, r1, r2) == (1001, 1002, False, False)
    assert (first.status, first.cheque_number, first.print_count) == (S.PRINTED, 1001, 1)
    again, n3, r3 = repo.take_cheque_number(first.id, first.version)
    assert (n3, r3, again.print_count, again.status) == (1001, True, 2, S.PRINTED)
    accounts = {a[0]: a for a in repo.refund_accounts()}
    assert accounts["Main"] == ("Main", "First Bank", "123-456", 1003)
    assert accounts["Payroll"][3] == 1001
    log = db.conn.execute(
        "SELECT refund_id, cheque_number, reprint, user FROM print_log WHERE kind = 'cheque'"
        " ORDER BY id"
    ).fetchall()
    assert log == [(first.id, 1001, 0, "me"), (second.id, 1002, 0, "me"), (first.id, 1001, 1, "me")]
    assert repo.history(first.id)[0]["action"] == "reprint cheque"
    history = repo.history(first.id)
    assert [h["action"] for h in history[:3]] == [
        "reprint cheque", "confirm cheque", "print cheque"
    ]  # fmt: skip
    assert history[2]["changes"]["cheque_number"] == [None, 1001]
    assert history[1]["changes"]["status"] == ["Approved", "Printed"]


def test_each_account_numbers_its_own_cheques(db, repo: RefundRepository) -> None:
    other = approved_cheque(db, repo, account="Payroll")
    target = approved_cheque(db, repo)
    _, number, _ = repo.take_cheque_number(target.id, target.version)
    assert number == 1001
    _, number, _ = repo.take_cheque_number(other.id, other.version)
    assert number == 1001  # another account counts on its own


def test_only_approved_cheque_refunds_print(db, repo: RefundRepository) -> None:
    who = customer(db)
    draft = new_refund(repo, who.id, payment_method="Cheque", refund_account="Main")
    with pytest.raises(Refused, match="is Draft"):
        repo.take_cheque_number(draft.id, draft.version)
    ach = move(repo, new_refund(repo, who.id), S.PENDING_APPROVAL, S.APPROVED)
    with pytest.raises(Refused, match="not by cheque"):
        repo.take_cheque_number(ach.id, ach.version)
    bare = move(
        repo, new_refund(repo, who.id, payment_method="Cheque"), S.PENDING_APPROVAL, S.APPROVED
    )
    with pytest.raises(Invalid) as info:
        repo.take_cheque_number(bare.id, bare.version)
    assert (info.value.field, info.value.reason) == (
        "refund_account",
        "a cheque needs a refund account",
    )
    assert repo.get(bare.id).status is S.APPROVED
    voided = repo.void(draft.id, draft.version, "no")
    with pytest.raises(Refused):
        repo.take_cheque_number(voided.id, voided.version)


def test_deposit_receipt_prints_mark_reprints(db, repo: RefundRepository) -> None:
    who = customer(db)
    refund = new_refund(repo, who.id, source_document_id=deposit(db, who.id).id)
    assert repo.log_deposit_receipt_print(refund.id) is False
    assert repo.log_deposit_receipt_print(refund.id) is True
    assert repo.get(refund.id).version == refund.version  # an open form stays current
    with pytest.raises(NotFound):
        repo.log_deposit_receipt_print(999_999)


def test_concurrent_printers_get_unique_consecutive_numbers(
    db, db_path: Path, repo: RefundRepository
) -> None:
    refunds = [approved_cheque(db, repo) for _ in range(24)]
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def printer(index: int, mine: list[Refund]) -> None:
        own = open_database(db_path)
        try:
            printing = RefundRepository(own, user=f"printer{index}")
            barrier.wait()
            for refund in mine:
                _, number, _ = printing.take_cheque_number(refund.id, refund.version)
                numbers.append(number)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            own.conn.close()

    threads = [threading.Thread(target=printer, args=(i, refunds[i::8])) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1001, 1025))
    stored = sorted(repo.get(r.id).cheque_number for r in refunds)
    assert stored == list(range(1001, 1025))
    assert {a[0]: a[3] for a in repo.refund_accounts()}["Main"] == 1025


# --- refund accounts -------------------------------------------------------------------


def test_refund_accounts(db, repo: RefundRepository) -> None:
    with pytest.raises(Invalid) as info:
        repo.add_refund_account("MAIN")
    assert (info.value.field, info.value.reason) == ("name", "already used")
    with pytest.raises(Invalid) as info:
        repo.add_refund_account("  ")
    assert info.value.field == "name"
    with pytest.raises(Invalid) as info:
        repo.add_refund_account("Other", next_cheque_number=0)
    assert info.value.field == "next_cheque_number"
    repo.add_refund_account("Other", " ", None, 50)
    assert ("Other", None, None, 50) in repo.refund_accounts()
