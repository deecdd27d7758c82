"""The refund policy: the one place that decides what a login may do to a refund.

Every route asks it: the New Refund and Update Refund forms (through the repository),
voiding, printing (through :mod:`lifecycle`'s move rules, which are part of this policy),
the import and the command line. A refusal is a :class:`Refused` of one line saying what
was refused and why, so it reads the same on every route.

The rules:

* **Roles.** With no users configured (single-user mode) every action is allowed,
  approving one's own refund included; the locks below still hold. With users, a login
  with no role may do nothing; approving, printing and voiding need the approver role (an
  admin holds every role) and nobody approves a refund they created (four eyes).
* **Who edits.** A Draft or Pending Approval refund is edited by its creator or an
  approver; so are the fields still open later on.
* **Locks.** From Approved on, customer, amount, currency, source, payment method and
  refund account are locked: changing one needs "Return to Pending Approval" (with a
  reason), which clears the approval. From Printed on the cheque number is locked too.
  Issued, Cleared and Voided refunds are read-only except the memo.
* **Import.** With roles, a clerk's (or approver's) import only creates or updates Draft
  and Pending Approval refunds; a row in a later status, or over a refund in one, needs an
  admin and ``--historical``. Without roles later statuses import without the flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.refunds.lifecycle import check_move, moves_for_user, why_not
from xoro_tui.data.store.errors import Refused

S = RefundStatus
#: statuses in which a refund is still being prepared: everything may change
OPEN = (S.DRAFT, S.PENDING_APPROVAL)
#: statuses whose refunds are read-only except the memo
READ_ONLY = (S.ISSUED, S.CLEARED, S.VOIDED)
#: every field the policy knows, in the forms' order
FIELDS: tuple[str, ...] = (
    "customer", "refund_date", "amount", "currency", "source_document", "payment_method",
    "refund_account", "cheque_number", "reference", "memo", "void_reason",
)  # fmt: skip
#: locked from Approved on: changing one is "Return to Pending Approval"
LOCKED_FROM_APPROVED: frozenset[str] = frozenset(
    {"customer", "amount", "currency", "source_document", "payment_method", "refund_account"}
)
#: locked from Printed on: the cheque that was printed carries this number
LOCKED_FROM_PRINTED: frozenset[str] = LOCKED_FROM_APPROVED | {"cheque_number"}
WORDS: dict[str, str] = {
    "customer": "customer",
    "refund_date": "refund date",
    "amount": "amount",
    "currency": "currency",
    "source_document": "source",
    "payment_method": "payment method",
    "refund_account": "refund account",
    "cheque_number": "cheque number",
    "reference": "reference",
    "memo": "memo",
    "void_reason": "void reason",
}
HISTORICAL_FLAG = "--historical"


class Users(Protocol):
    def single_user_mode(self) -> bool: ...
    def role_of(self, name: str) -> str | None: ...
    def can(self, user: str, role: str) -> bool: ...


class _Refund(Protocol):
    @property
    def status(self) -> RefundStatus: ...
    @property
    def refund_number(self) -> str: ...
    @property
    def created_by(self) -> str | None: ...


def _words(fields: Iterable[str]) -> str:
    names = [WORDS.get(f, f.replace("_", " ")) for f in FIELDS if f in set(fields)]
    names += sorted(WORDS.get(f, f) for f in set(fields) if f not in FIELDS)
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0] if names else "nothing"


def no_role(user: str, users: Users) -> str | None:
    """Why ``user`` may do nothing at all (roles configured, but none for them), or None."""
    if users.single_user_mode() or users.role_of(user) is not None:
        return None
    return f"{user} has no role; ask an admin to add one"


def locked(status: RefundStatus) -> frozenset[str]:
    """The fields no edit may change in ``status`` (whoever asks)."""
    if status in READ_ONLY:
        return frozenset(FIELDS) - {"memo"}
    if status is S.PRINTED:
        return LOCKED_FROM_PRINTED
    if status is S.APPROVED:
        return LOCKED_FROM_APPROVED
    return frozenset()


def why_not_edit(refund: _Refund, user: str, users: Users) -> str | None:
    """Why ``user`` may not edit ``refund`` at all (role, not its creator), or None."""
    if users.single_user_mode():
        return None
    reason = no_role(user, users)
    if reason:
        return reason
    if refund.created_by == user or users.can(user, "approver"):
        return None
    return (
        f"only its creator ({refund.created_by or 'unknown'}) or an approver edits it "
        f"({user} is a {users.role_of(user)})"
    )


def editable(refund: _Refund, user: str, users: Users) -> frozenset[str]:
    """The fields ``user`` may change on ``refund`` now (the form enables only these)."""
    if why_not_edit(refund, user, users):
        return frozenset()
    return frozenset(FIELDS) - locked(refund.status)


def check_create(user: str, users: Users) -> None:
    """Raise unless ``user`` may create a refund (any role, or single-user mode)."""
    reason = no_role(user, users)
    if reason:
        raise Refused(f"creating a refund is refused: {reason}")


def check_edit(refund: _Refund, fields: Iterable[str], user: str, users: Users) -> None:
    """Raise unless ``user`` may change ``fields`` of ``refund`` as it is now."""
    fields = set(fields)
    if not fields:
        return
    number, status = refund.refund_number, refund.status
    frozen = fields & locked(status)
    if frozen:
        if status in READ_ONLY:
            why = f"it is {status.value.lower()}, and only its memo changes"
        elif status is S.APPROVED:
            why = (
                f"{'it is' if len(frozen) == 1 else 'they are'} locked once approved; "
                "Return to Pending Approval (with a reason) to change "
                f"{'it' if len(frozen) == 1 else 'them'}"
            )
        else:
            why = f"{'it is' if len(frozen) == 1 else 'they are'} locked once the cheque is printed"
        raise Refused(f"changing the {_words(frozen)} of {number} is refused: {why}")
    reason = why_not_edit(refund, user, users)
    if reason:
        raise Refused(f"editing {number} is refused: {reason}")


def check_return_to_pending(refund: _Refund, user: str, users: Users) -> None:
    """Raise unless ``user`` may send an Approved ``refund`` back to Pending Approval."""
    number = refund.refund_number
    if refund.status is not S.APPROVED:
        why = f"only an Approved refund goes back, and it is {refund.status.value}"
        if refund.status is S.PRINTED:
            why += "; void the cheque first"
        raise Refused(f"returning {number} to Pending Approval is refused: {why}")
    reason = why_not_edit(refund, user, users)
    if reason:
        raise Refused(f"returning {number} to Pending Approval is refused: {reason}")


def why_not_approve(refund: _Refund, user: str, users: Users) -> str | None:
    """Why Approved is not offered to ``user`` for a Pending Approval refund, in words a
    form can show ("you created this refund: another approver approves it"), or None."""
    if refund.status is not S.PENDING_APPROVAL:
        return None
    if users.single_user_mode():
        return None
    if no_role(user, users):
        return f"you ({user}) have no role: an admin adds one"
    if refund.created_by == user:
        return "you created this refund: another approver approves it"
    if not users.can(user, "approver"):
        return f"approving needs the approver role (you are a {users.role_of(user)})"
    return None


#: the import's column names for the fields the policy names
IMPORT_FIELDS: dict[str, str] = {"customer_account_number": "customer"}


def check_import_run(user: str, users: Users, *, historical: bool) -> None:
    """Raise before reading a refund file when ``user`` may import nothing of it this way."""
    if users.single_user_mode():
        return
    reason = no_role(user, users)
    if reason:
        raise Refused(f"importing refunds is refused: {reason}")
    if historical and users.role_of(user) != "admin":
        raise Refused(
            f"importing refunds with {HISTORICAL_FLAG} is refused: it needs an admin "
            f"({user} is a {users.role_of(user)})"
        )


def check_import_changes(stored: _Refund, row_status: RefundStatus, changed: Iterable[str]) -> None:
    """The locks hold on the import too, whoever imports and with or without roles: an
    update of a refund past Pending Approval changes none of its locked fields."""
    if stored.status in OPEN:
        return
    fields = {IMPORT_FIELDS.get(name, name) for name in changed}
    fields &= set(FIELDS)
    if row_status is S.VOIDED:
        fields.discard("void_reason")
    frozen = fields & locked(stored.status)
    if frozen:
        check_edit(stored, frozen, "", _Everyone())


class _Everyone:
    """Single-user mode: only the locks speak."""

    def single_user_mode(self) -> bool:
        return True

    def role_of(self, name: str) -> str | None:
        return "admin"

    def can(self, user: str, role: str) -> bool:
        return True


def check_import(
    refund_number: str,
    status: RefundStatus,
    stored: _Refund | None,
    user: str,
    users: Users,
    *,
    historical: bool,
) -> bool:
    """Raise unless ``user``'s import may write this row; True when the row is historical
    (it or the stored refund is past Pending Approval), so the writer records it as such.
    """
    later = status not in OPEN or (stored is not None and stored.status not in OPEN)
    if users.single_user_mode():
        return later
    reason = no_role(user, users)
    if reason:
        raise Refused(f"importing {refund_number} is refused: {reason}")
    if later:
        if stored is not None and stored.status not in OPEN:
            what = f"importing over {refund_number}, which is {stored.status.value},"
        else:
            what = f"importing {refund_number} as {status.value}"
        if users.role_of(user) != "admin":
            raise Refused(
                f"{what} is refused: only Draft and Pending Approval refunds import, unless an "
                f"admin imports with {HISTORICAL_FLAG} ({user} is a {users.role_of(user)})"
            )
        if not historical:
            raise Refused(
                f"{what} is refused: a refund past Pending Approval imports only with "
                f"{HISTORICAL_FLAG}"
            )
        return True
    if stored is not None:
        reason = why_not_edit(stored, user, users)
        if reason:
            raise Refused(f"importing over {refund_number} is refused: {reason}")
        if status is not stored.status:
            check_move(stored, status, user, users)  # type: ignore[arg-type]
    return False


__all__ = [
    "FIELDS",
    "LOCKED_FROM_APPROVED",
    "LOCKED_FROM_PRINTED",
    "check_create",
    "check_edit",
    "check_import",
    "check_import_changes",
    "check_import_run",
    "check_move",
    "check_return_to_pending",
    "editable",
    "locked",
    "moves_for_user",
    "no_role",
    "why_not",
    "why_not_approve",
    "why_not_edit",
]
