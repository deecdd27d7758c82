"""The refund lifecycle: every status move for cheque and non-cheque refunds, and roles."""

from __future__ import annotations

import datetime as dt

import pytest

import xoro_tui.data.store.users as users_module
from tests.factories import customer
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import Refund
from xoro_tui.data.refunds.lifecycle import allowed_moves, check_move, moves_for_user
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.users import UserRepository

S = RefundStatus
ALL = list(RefundStatus)

#: written out by hand from the rules, independently of lifecycle.py
EXPECTED: dict[PaymentMethod, dict[RefundStatus, set[RefundStatus]]] = {
    PaymentMethod.CHEQUE: {
        S.DRAFT: {S.PENDING_APPROVAL, S.VOIDED},
        S.PENDING_APPROVAL: {S.APPROVED, S.DRAFT, S.VOIDED},
        S.APPROVED: {S.PRINTED, S.VOIDED},
        S.PRINTED: {S.ISSUED, S.VOIDED},
        S.ISSUED: {S.CLEARED, S.VOIDED},
        S.CLEARED: set(),
        S.VOIDED: set(),
    },
    PaymentMethod.ACH: {
        S.DRAFT: {S.PENDING_APPROVAL, S.VOIDED},
        S.PENDING_APPROVAL: {S.APPROVED, S.DRAFT, S.VOIDED},
        S.APPROVED: {S.ISSUED, S.VOIDED},
        S.PRINTED: {S.ISSUED, S.VOIDED},
        S.ISSUED: {S.CLEARED, S.VOIDED},
        S.CLEARED: set(),
        S.VOIDED: set(),
    },
}


@pytest.mark.parametrize("method", list(EXPECTED))
@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_status_matrix(method: PaymentMethod, source: RefundStatus, target: RefundStatus) -> None:
    assert (target in allowed_moves(source, method)) == (target in EXPECTED[method][source])


def test_moves_accept_text_in_any_case() -> None:
    assert allowed_moves("approved", "cheque") == [S.PRINTED, S.VOIDED]
    assert allowed_moves("Approved", "Bank Transfer") == [S.ISSUED, S.VOIDED]


@pytest.mark.parametrize("source", [s for s in ALL if s not in (S.CLEARED, S.VOIDED)])
def test_void_is_reachable_from_every_state_before_cleared(source: RefundStatus) -> None:
    for method in PaymentMethod:
        assert S.VOIDED in allowed_moves(source, method)


def _refund(status: RefundStatus, created_by: str | None = "alice") -> Refund:
    return Refund(
        id=1,
        refund_number="RF-000001",
        customer_id=1,
        customer_account_number="T-1",
        customer_name="T",
        refund_date=dt.date(2024, 5, 1),
        amount=100,
        currency="USD",
        status=status,
        payment_method=PaymentMethod.CHEQUE,
        created_by=created_by,
        version=1,
    )


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> UserRepository:
    """root and ada are admins, alice and bob approvers, carl a clerk."""
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    repo = UserRepository(db)
    repo.add("root", "admin")
    for name, role in (("ada", "admin"), ("alice", "approver"), ("bob", "approver")):
        repo.add(name, role)
    repo.add("carl", "clerk")
    return repo


def test_single_user_mode_may_do_everything_even_approve_own(db) -> None:
    users = UserRepository(db)
    assert users.single_user_mode()
    pending = _refund(S.PENDING_APPROVAL, created_by="me")
    assert moves_for_user(pending, "me", users) == [S.APPROVED, S.DRAFT, S.VOIDED]
    assert moves_for_user(_refund(S.APPROVED), "me", users) == [S.PRINTED, S.VOIDED]


def test_creator_cannot_approve_but_another_approver_can(roles: UserRepository) -> None:
    pending = _refund(S.PENDING_APPROVAL, created_by="alice")
    assert moves_for_user(pending, "alice", roles) == [S.DRAFT, S.VOIDED]
    assert moves_for_user(pending, "bob", roles) == [S.APPROVED, S.DRAFT, S.VOIDED]
    with pytest.raises(Refused, match="four eyes"):
        check_move(pending, S.APPROVED, "alice", roles)
    check_move(pending, S.APPROVED, "bob", roles)


def test_admin_has_every_right_except_approving_own(roles: UserRepository) -> None:
    own = _refund(S.PENDING_APPROVAL, created_by="ada")
    assert moves_for_user(own, "ada", roles) == [S.DRAFT, S.VOIDED]
    other = _refund(S.PENDING_APPROVAL, created_by="carl")
    assert moves_for_user(other, "ada", roles) == [S.APPROVED, S.DRAFT, S.VOIDED]
    assert moves_for_user(_refund(S.APPROVED), "ada", roles) == [S.PRINTED, S.VOIDED]


def test_clerk_cannot_approve_print_or_void(roles: UserRepository) -> None:
    pending = _refund(S.PENDING_APPROVAL, created_by="alice")
    assert moves_for_user(pending, "carl", roles) == [S.DRAFT]
    assert moves_for_user(_refund(S.APPROVED), "carl", roles) == []
    assert moves_for_user(_refund(S.PRINTED), "carl", roles) == [S.ISSUED]
    assert moves_for_user(_refund(S.DRAFT), "carl", roles) == [S.PENDING_APPROVAL]
    for target, status in ((S.APPROVED, pending.status), (S.PRINTED, S.APPROVED)):
        with pytest.raises(Refused, match="approver role"):
            check_move(_refund(status), target, "carl", roles)
    with pytest.raises(Refused, match="voiding needs the approver role"):
        check_move(_refund(S.ISSUED), S.VOIDED, "carl", roles)


def test_a_login_without_a_role_moves_nothing(roles: UserRepository) -> None:
    assert moves_for_user(_refund(S.DRAFT), "stranger", roles) == []
    with pytest.raises(Refused, match="no role"):
        check_move(_refund(S.DRAFT), S.PENDING_APPROVAL, "stranger", roles)


def test_a_move_the_lifecycle_lacks_is_invalid_and_names_the_allowed(
    roles: UserRepository,
) -> None:
    with pytest.raises(Invalid) as info:
        check_move(_refund(S.APPROVED), S.ISSUED, "bob", roles)
    assert info.value.field == "status"
    assert "allowed: Printed, Voided" in info.value.reason


def test_moves_for_a_stored_refund(db, roles: UserRepository) -> None:
    who = customer(db)
    refund = RefundRepository(db, user="alice").create(
        who.id,
        amount=1000,
        currency="USD",
        refund_date=dt.date(2024, 5, 1),
        payment_method="ACH",
    )
    assert moves_for_user(refund, "carl", roles) == [S.PENDING_APPROVAL]
    assert moves_for_user(refund, "bob", roles) == [S.PENDING_APPROVAL, S.VOIDED]
