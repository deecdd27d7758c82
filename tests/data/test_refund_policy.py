"""The refund policy on every route, run as each role: the repository (the forms' data
layer), the import and the command line refuse the same things with the same line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xoro_tui.data.store.users as users_module
from tests.factories import customer
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.models.entities import REFUND_REQUIRED_HEADERS, Refund
from xoro_tui.data.refunds import policy
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store import clock
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.users import UserRepository
from xoro_tui.data.transfer.importer import import_refunds

S = RefundStatus
DAY = dt.date(2024, 5, 1)
HEADERS = [*REFUND_REQUIRED_HEADERS, "created_by", "approved_by", "void_reason"]


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """root and ada are admins, alice and bob approvers, carl and cleo clerks."""
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("ada", "admin"), ("alice", "approver"), ("bob", "approver")):
        users.add(name, role)
    users.add("carl", "clerk")
    users.add("cleo", "clerk")


@pytest.fixture
def who(db):
    RefundRepository(db, user="root").add_refund_account("Main", "First Bank", "1", 1029)
    return customer(db, account_number="C-1")


def as_(db, user: str) -> RefundRepository:
    return RefundRepository(db, user=user)


def new(db, user: str, customer_id: int, **kw) -> Refund:
    fields = {"amount": 10000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH"}
    return as_(db, user).create(customer_id, **{**fields, **kw})


def move(db, user: str, refund: Refund, *statuses: RefundStatus, **kw) -> Refund:
    for status in statuses:
        refund = as_(db, user).update(refund.id, refund.version, RefundUpdate(status=status, **kw))
    return refund


def approved(db, customer_id: int, **kw) -> Refund:
    refund = move(db, "carl", new(db, "carl", customer_id, **kw), S.PENDING_APPROVAL)
    return move(db, "alice", refund, S.APPROVED)


def refusal(call) -> str:
    with pytest.raises(Refused) as info:
        call()
    return str(info.value)


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([row.get(h, "") for h in HEADERS])
    return path


def row(number: str, **fields: str) -> dict[str, str]:
    base = {
        "refund_number": number,
        "customer_account_number": "C-1",
        "refund_date": "2024-05-01",
        "amount": "12.50",
        "currency": "USD",
        "status": "Draft",
        "payment_method": "Cheque",
        "refund_account": "Main",
    }
    return {**base, **fields}


# --- locks: what changes when --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("amount", "999.99", "amount"),
        ("payment_method", "Cash", "payment method"),
        ("refund_account", "Main", "refund account"),
    ],
)
def test_from_approved_customer_amount_method_and_account_are_locked(
    db, roles, who, field, value, words
) -> None:
    refund = approved(db, who.id, payment_method="Cheque")
    if field == "refund_account":
        value = "Main" if refund.refund_account != "Main" else None
    for user in ("carl", "alice", "root"):
        message = refusal(
            lambda u=user: as_(db, u).update(
                refund.id, refund.version, RefundUpdate(**{field: value})
            )
        )
        assert message == (
            f"changing the {words} of {refund.refund_number} is refused: it is locked once "
            "approved; Return to Pending Approval (with a reason) to change it"
        )
    assert as_(db, "root").get(refund.id).version == refund.version


def test_an_approved_refunds_date_reference_and_memo_still_change(db, roles, who) -> None:
    refund = approved(db, who.id)
    saved = as_(db, "carl").update(
        refund.id, refund.version, RefundUpdate(memo="Posted", reference="R-2")
    )
    assert (saved.status, saved.memo, saved.approved_by) == (S.APPROVED, "Posted", "alice")


def test_a_printed_cheque_keeps_its_number_and_its_method(db, roles, who) -> None:
    refund = approved(db, who.id, payment_method="Cheque", refund_account="Main")
    printed, number, _ = as_(db, "alice").take_cheque_number(refund.id, refund.version)
    message = refusal(
        lambda: as_(db, "carl").update(
            printed.id, printed.version, RefundUpdate(cheque_number=9999)
        )
    )
    assert message == (
        f"changing the cheque number of {printed.refund_number} is refused: it is locked once "
        "the cheque is printed"
    )
    message = refusal(
        lambda: as_(db, "carl").update(
            printed.id, printed.version, RefundUpdate(payment_method="Cash")
        )
    )
    assert "payment method" in message and "locked once the cheque is printed" in message
    assert as_(db, "carl").get(printed.id).cheque_number == number


@pytest.mark.parametrize("final", [S.ISSUED, S.CLEARED, S.VOIDED])
def test_issued_cleared_and_voided_change_only_the_memo(db, roles, who, final) -> None:
    refund = approved(db, who.id)
    if final is S.VOIDED:
        refund = as_(db, "alice").void(refund.id, refund.version, "Duplicate")
    else:
        refund = move(db, "carl", refund, S.ISSUED)
        if final is S.CLEARED:
            refund = move(db, "carl", refund, S.CLEARED)
    for changes in (
        {"cheque_number": 9999},
        {"refund_date": "2024-06-01"},
        {"reference": "X"},
        {"payment_method": "Cash"},
    ):
        message = refusal(
            lambda c=changes: as_(db, "root").update(refund.id, refund.version, RefundUpdate(**c))
        )
        assert f"it is {final.value.lower()}, and only its memo changes" in message
    saved = as_(db, "carl").update(refund.id, refund.version, RefundUpdate(memo="Note"))
    assert saved.memo == "Note"
    assert as_(db, "carl").history(refund.id)[0]["changes"] == {"memo": [None, "Note"]}


def test_a_draft_is_edited_by_its_creator_or_an_approver(db, roles, who) -> None:
    refund = new(db, "carl", who.id)
    message = refusal(
        lambda: as_(db, "cleo").update(refund.id, refund.version, RefundUpdate(amount="5"))
    )
    assert message == (
        f"editing {refund.refund_number} is refused: only its creator (carl) or an approver "
        "edits it (cleo is a clerk)"
    )
    refund = as_(db, "carl").update(refund.id, refund.version, RefundUpdate(amount="5"))
    refund = as_(db, "bob").update(refund.id, refund.version, RefundUpdate(amount="6"))
    assert refund.amount == 600


def test_a_login_without_a_role_creates_nothing(db, roles, who) -> None:
    assert refusal(lambda: new(db, "stranger", who.id)) == (
        "creating a refund is refused: stranger has no role; ask an admin to add one"
    )


def test_single_user_mode_allows_every_action_but_keeps_the_locks(db, who) -> None:
    refund = new(db, "me", who.id)
    refund = move(db, "me", refund, S.PENDING_APPROVAL, S.APPROVED)  # own approval: allowed
    assert refund.approved_by == "me"
    assert "locked once approved" in refusal(
        lambda: as_(db, "me").update(refund.id, refund.version, RefundUpdate(amount="1"))
    )


# --- Return to Pending Approval ------------------------------------------------------------


def test_return_to_pending_approval_clears_the_approval_and_unlocks(db, roles, who) -> None:
    refund = approved(db, who.id)
    with pytest.raises(Invalid) as info:
        as_(db, "carl").return_to_pending(refund.id, refund.version, "  ")
    assert info.value.field == "reason"
    back = as_(db, "carl").return_to_pending(refund.id, refund.version, "Wrong amount")
    assert (back.status, back.approved_by) == (S.PENDING_APPROVAL, None)
    entry = as_(db, "carl").history(refund.id)[0]
    assert (entry["action"], entry["user"]) == ("return to pending approval", "carl")
    assert entry["changes"]["reason"] == [None, "Wrong amount"]
    assert entry["changes"]["status"] == ["Approved", "Pending Approval"]
    assert entry["changes"]["approved_by"] == ["alice", None]
    fixed = as_(db, "carl").update(back.id, back.version, RefundUpdate(amount="75.00"))
    assert fixed.amount == 7500
    assert as_(db, "carl").history(refund.id)[0]["changes"]["amount"] == [
        "100.00 USD",
        "75.00 USD",
    ]


def test_return_to_pending_needs_an_approved_refund_and_the_right_login(db, roles, who) -> None:
    refund = approved(db, who.id, payment_method="Cheque", refund_account="Main")
    assert refusal(lambda: as_(db, "cleo").return_to_pending(refund.id, refund.version, "why")) == (
        f"returning {refund.refund_number} to Pending Approval is refused: only its creator "
        "(carl) or an approver edits it (cleo is a clerk)"
    )
    printed, _, _ = as_(db, "alice").take_cheque_number(refund.id, refund.version)
    assert refusal(
        lambda: as_(db, "carl").return_to_pending(printed.id, printed.version, "why")
    ) == (
        f"returning {refund.refund_number} to Pending Approval is refused: only an Approved "
        "refund goes back, and it is Printed; void the cheque first"
    )


def test_why_approved_is_not_offered(db, roles, who) -> None:
    refund = move(db, "alice", new(db, "alice", who.id), S.PENDING_APPROVAL)
    users = UserRepository(db)
    assert policy.why_not_approve(refund, "alice", users) == (
        "you created this refund: another approver approves it"
    )
    assert policy.why_not_approve(refund, "carl", users) == (
        "approving needs the approver role (you are a clerk)"
    )
    assert policy.why_not_approve(refund, "bob", users) is None


# --- import under roles --------------------------------------------------------------------


def test_a_clerks_import_cannot_approve_or_issue(db, roles, who, tmp_path: Path) -> None:
    pending = move(db, "carl", new(db, "carl", who.id, payment_method="Cheque",
                                   refund_account="Main"), S.PENDING_APPROVAL)  # fmt: skip
    path = write_rows(
        tmp_path / "r.csv",
        [
            row(pending.refund_number, status="Approved", amount="99999.00",
                approved_by="alice"),
            row("RF-900001", status="Issued", cheque_number="777777"),
        ],
    )  # fmt: skip
    report = import_refunds(db, path, user="carl")
    assert report.format_errors() == [
        f"row 1: importing {pending.refund_number} as Approved is refused: only Draft and "
        "Pending Approval refunds import, unless an admin imports with --historical (carl is "
        "a clerk)",
        "row 2: importing RF-900001 as Issued is refused: only Draft and Pending Approval "
        "refunds import, unless an admin imports with --historical (carl is a clerk)",
    ]
    stored = as_(db, "carl").get(pending.id)
    assert (stored.status, stored.amount, stored.version) == (
        S.PENDING_APPROVAL,
        10000,
        pending.version,
    )
    assert db.conn.execute("SELECT next_cheque_number FROM refund_accounts").fetchone()[0] == 1029
    assert refusal(lambda: import_refunds(db, path, user="carl", historical=True)) == (
        "importing refunds with --historical is refused: it needs an admin (carl is a clerk)"
    )
    assert refusal(lambda: import_refunds(db, path, user="stranger")) == (
        "importing refunds is refused: stranger has no role; ask an admin to add one"
    )
    admin = import_refunds(db, path, user="root")
    assert (
        "a refund past Pending Approval imports only with --historical"
        in (admin.format_errors()[0])
    )


def test_an_admins_historical_import_is_recorded_and_keeps_the_book(
    db, roles, who, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "r.csv",
        [
            row("RF-900001", status="Issued", cheque_number="1001", created_by="carl",
                approved_by="alice"),
            row("RF-900002", status="Voided", void_reason="Lost", payment_method="ACH"),
        ],
    )  # fmt: skip
    report = import_refunds(db, path, user="root", historical=True)
    assert (report.errors, report.inserted) == ([], 2)
    audit = db.conn.execute(
        "SELECT user, action, record_key, at FROM audit_log WHERE table_name = 'refunds'"
        " ORDER BY id"
    ).fetchall()
    assert [(u, a, k) for u, a, k, _ in audit] == [
        ("root", "import", "RF-900001"),
        ("root", "import", "RF-900002"),
    ]
    assert db.conn.execute("SELECT next_cheque_number FROM refund_accounts").fetchone()[0] == 1029
    from xoro_tui.data.refunds import cheque_register

    with db.conn:
        cheque_register.start_book(db.conn, "Main", 1029, "root")
    for cheque in ("1029", "777777"):
        again = write_rows(tmp_path / "r2.csv", [row("RF-900003", status="Issued",
                                                     cheque_number=cheque)])  # fmt: skip
        assert import_refunds(db, again, user="root", historical=True).format_errors() == [
            f"row 1, column cheque_number: cheque {cheque} on Main is not below the current "
            "book's start (1029) and unused; to use higher numbers an admin starts a new book "
            "with: xoro-tui cheques --account Main --start N"
        ]
    used = write_rows(tmp_path / "r3.csv", [row("RF-900004", status="Cleared",
                                                cheque_number="1001")])  # fmt: skip
    assert import_refunds(db, used, user="root", historical=True).format_errors() == [
        "row 1, column cheque_number: already used by RF-900001"
    ]


def test_import_creator_defaults_to_the_importing_login(db, roles, who, tmp_path) -> None:
    path = write_rows(tmp_path / "r.csv", [row("RF-900001", status="Pending Approval")])
    assert import_refunds(db, path, user="alice").inserted == 1
    refund = as_(db, "alice").by_number("RF-900001")
    assert refund is not None and refund.created_by == "alice"
    assert "four eyes" in refusal(lambda: move(db, "alice", refund, S.APPROVED))
    assert move(db, "bob", refund, S.APPROVED).approved_by == "bob"


def test_a_clerks_import_names_no_other_creator_and_no_approver(db, roles, who, tmp_path) -> None:
    path = write_rows(
        tmp_path / "r.csv",
        [
            row("RF-900001", status="Pending Approval", created_by="bob"),
            row("RF-900002", approved_by="alice"),
            row("RF-900003", cheque_number="5"),
        ],
    )
    assert import_refunds(db, path, user="carl").format_errors() == [
        "row 1, column created_by: must be carl: only an admin's --historical import names "
        "another creator",
        "row 2, column approved_by: a Draft refund has no approver yet",
        "row 3, column cheque_number: a Draft refund has no cheque number yet: printing takes "
        "it from the account's cheques",
    ]


def test_a_clerk_imports_over_only_their_own_open_refunds(db, roles, who, tmp_path) -> None:
    mine = new(db, "carl", who.id)
    path = write_rows(tmp_path / "r.csv", [row(mine.refund_number, amount="20.00")])
    assert import_refunds(db, path, user="cleo").format_errors() == [
        f"row 1: importing over {mine.refund_number} is refused: only its creator (carl) or "
        "an approver edits it (cleo is a clerk)"
    ]
    assert import_refunds(db, path, user="carl").updated == 1
    [entry] = [
        json.loads(c)
        for (c,) in db.conn.execute(
            "SELECT changes FROM audit_log WHERE table_name = 'refunds' AND action = 'update'"
        )
    ]
    assert entry["amount"] == ["100.00 USD", "20.00 USD"]


def test_single_user_import_takes_later_statuses_without_the_flag(db, who, tmp_path) -> None:
    path = write_rows(
        tmp_path / "r.csv",
        [row("RF-900001", status="Cleared", cheque_number="900"),
         row("RF-900002", status="Voided")],
    )  # fmt: skip
    assert import_refunds(db, path, user="me").format_errors() == [
        "row 2, column void_reason: missing: a Voided refund needs its void reason"
    ]
    report = import_refunds(db, path, user="me", skip_invalid=True)
    assert report.inserted == 1
    refund = as_(db, "me").by_number("RF-900001")
    assert refund is not None and refund.created_by == "me"
    [(action, user)] = db.conn.execute(
        "SELECT action, user FROM audit_log WHERE table_name = 'refunds'"
    ).fetchall()
    assert (action, user) == ("import", "me")


# --- the command line ----------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xoro_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )


def test_the_command_line_import_refuses_the_same_way(
    db, db_path: Path, who, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = clock.os_user()
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    UserRepository(db).add("root", "admin")
    UserRepository(db).add(me, "clerk")
    path = write_rows(tmp_path / "r.csv", [row("RF-900001", status="Issued", cheque_number="5")])
    expected = import_refunds(db, path).format_errors()
    assert expected[0].startswith("row 1: importing RF-900001 as Issued is refused")
    result = cli("import", "refunds", str(path), "--db", str(db_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == expected[0]
    result = cli("import", "refunds", str(path), "--db", str(db_path), "--historical")
    assert result.returncode == 1 and result.stderr == (
        f"xoro-tui: importing refunds with --historical is refused: it needs an admin ({me} is "
        "a clerk)\n"
    )
    assert db.conn.execute("SELECT count(*) FROM refunds").fetchone()[0] == 0


def test_the_locks_hold_on_the_import_too(db, who, tmp_path: Path) -> None:
    """Single-user mode allows every action, but an imported update of an Approved refund
    changes none of what approval locked."""
    refund = move(db, "me", new(db, "me", who.id), S.PENDING_APPROVAL, S.APPROVED)
    path = write_rows(
        tmp_path / "r.csv",
        [row(refund.refund_number, status="Approved", amount="99999.00", payment_method="ACH",
             refund_account="", created_by="me", approved_by="me")],
    )  # fmt: skip
    assert import_refunds(db, path, user="me").format_errors() == [
        f"row 1: changing the amount of {refund.refund_number} is refused: it is locked once "
        "approved; Return to Pending Approval (with a reason) to change it"
    ]
    ok = write_rows(
        tmp_path / "r.csv",
        [row(refund.refund_number, status="Issued", amount="100.00", payment_method="ACH",
             refund_account="", created_by="me", approved_by="me", memo="paid")],
    )  # fmt: skip
    assert import_refunds(db, ok, user="me").updated == 1
    assert as_(db, "me").get(refund.id).status is S.ISSUED


# --- the invariant, on any path ------------------------------------------------------------

_PATHS = {
    S.DRAFT: (),
    S.PENDING_APPROVAL: (S.PENDING_APPROVAL,),
    S.APPROVED: (S.PENDING_APPROVAL, S.APPROVED),
    S.ISSUED: (S.PENDING_APPROVAL, S.APPROVED, S.ISSUED),
    S.CLEARED: (S.PENDING_APPROVAL, S.APPROVED, S.ISSUED, S.CLEARED),
}
_CHANGES = {
    "amount": "12.34",
    "payment_method": "Cash",
    "refund_account": "Main",
    "cheque_number": 4321,
    "refund_date": "2024-06-01",
    "reference": "R-9",
    "memo": "changed",
}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    status=st.sampled_from(list(_PATHS)),
    user=st.sampled_from(["root", "alice", "carl", "cleo", "stranger"]),
    fields=st.sets(st.sampled_from(list(_CHANGES)), min_size=1, max_size=3),
)
def test_no_user_changes_a_locked_field_or_anothers_refund(db, roles, who, status, user, fields):
    refund = new(db, "carl", who.id)
    for step in _PATHS[status]:
        refund = move(db, "alice" if step is S.APPROVED else "carl", refund, step)
    before = as_(db, "root").get(refund.id)
    try:
        after = as_(db, user).update(
            refund.id, refund.version, RefundUpdate(**{f: _CHANGES[f] for f in fields})
        )
    except (Refused, Invalid):
        assert as_(db, "root").get(refund.id) == before  # a refusal changes nothing
        return
    assert user in ("carl", "root", "alice")  # the creator or an approver
    frozen = policy.locked(status) & set(fields)
    assert not frozen, frozen
    if status in policy.READ_ONLY:
        assert fields == {"memo"}
    assert after.status is before.status
