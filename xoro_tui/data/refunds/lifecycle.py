"""The refund lifecycle, in one place: which status moves exist and who may make them.

Draft → Pending Approval → Approved → Issued → Cleared. A cheque refund passes Printed
between Approved and Issued (it may not skip it). A pending refund can be sent back to
Draft. Any refund not yet Cleared can be Voided.

Approving, printing a cheque and voiding need the approver role (an admin holds every
role), and nobody approves a refund they created (four eyes), not even an admin. With no
users configured (single-user mode) everyone may do everything. When users are
configured, a login with no role may not move a refund at all.

These are the status-move rules of the refund policy (:mod:`xoro_tui.data.refunds.policy`),
which adds who may edit what when; every route asks the policy.
"""

from __future__ import annotations

from typing import Protocol

from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.store.errors import Invalid, Refused

S = RefundStatus

#: the moves of a non-cheque refund; a cheque refund goes Approved → Printed instead
_NEXT: dict[RefundStatus, tuple[RefundStatus, ...]] = {
    S.DRAFT: (S.PENDING_APPROVAL, S.VOIDED),
    S.PENDING_APPROVAL: (S.APPROVED, S.DRAFT, S.VOIDED),
    S.APPROVED: (S.ISSUED, S.VOIDED),
    S.PRINTED: (S.ISSUED, S.VOIDED),
    S.ISSUED: (S.CLEARED, S.VOIDED),
    S.CLEARED: (),
    S.VOIDED: (),
}

#: the moves that need the approver role, and what the refusal calls them
APPROVER_MOVES: dict[RefundStatus, str] = {
    S.APPROVED: "approving",
    S.PRINTED: "printing a cheque",
    S.VOIDED: "voiding",
}


class _Refund(Protocol):
    status: RefundStatus
    payment_method: PaymentMethod
    created_by: str | None
    refund_number: str


class _Users(Protocol):
    def single_user_mode(self) -> bool: ...
    def role_of(self, name: str) -> str | None: ...
    def can(self, user: str, role: str) -> bool: ...


def allowed_moves(status: RefundStatus | str, payment_method: PaymentMethod | str) -> list[S]:
    """The statuses a refund in ``status`` may move to, whoever asks."""
    status = RefundStatus.parse(status)
    cheque = PaymentMethod.parse(payment_method) is PaymentMethod.CHEQUE
    moves = list(_NEXT[status])
    if status is S.APPROVED and cheque:
        moves = [S.PRINTED if move is S.ISSUED else move for move in moves]
    return moves


def why_not(refund: _Refund, target: RefundStatus, user: str, users: _Users) -> str | None:
    """Why ``user`` may not make a move the lifecycle allows (roles, four eyes), or None."""
    if users.single_user_mode():
        return None
    role = users.role_of(user)
    if role is None:
        return f"{user} has no role; ask an admin to add one"
    action = APPROVER_MOVES.get(target)
    if action and not users.can(user, "approver"):
        return f"{action} needs the approver role ({user} is a {role})"
    if target is S.APPROVED and refund.created_by == user:
        return f"{user} created {refund.refund_number}; someone else approves it (four eyes)"
    return None


def moves_for_user(refund: _Refund, user: str, users_repo: _Users) -> list[RefundStatus]:
    """The moves ``user`` may make on ``refund`` now: the lifecycle's, less what roles forbid."""
    return [
        move
        for move in allowed_moves(refund.status, refund.payment_method)
        if why_not(refund, move, user, users_repo) is None
    ]


def _names(moves: list[RefundStatus]) -> str:
    return ", ".join(m.value for m in moves) or "none"


def check_move(refund: _Refund, target: RefundStatus, user: str, users_repo: _Users) -> None:
    """Raise unless ``user`` may move ``refund`` to ``target``.

    :class:`Invalid` (field ``status``) when the lifecycle has no such move,
    :class:`Refused` when a role or four eyes forbids it; both name the moves allowed.
    """
    moves = allowed_moves(refund.status, refund.payment_method)
    if target not in moves:
        kind = "a cheque refund" if refund.payment_method is PaymentMethod.CHEQUE else "a refund"
        raise Invalid(
            "status",
            f"{kind} cannot go from {refund.status.value} to {target.value}; "
            f"allowed: {_names(moves_for_user(refund, user, users_repo))}",
        )
    reason = why_not(refund, target, user, users_repo)
    if reason:
        allowed = _names(moves_for_user(refund, user, users_repo))
        raise Refused(f"{reason}; you may move it to: {allowed}")
