"""The refund repository: new refunds, the pop-up form's save, voiding, cheque printing.

Every public method that writes is one ``BEGIN IMMEDIATE`` transaction with its audit
row. Status moves are checked by :mod:`xoro_tui.data.refunds.lifecycle`; a save against an old
version is refused with :class:`StaleEdit` naming what others changed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from xoro_tui.data.customers.sales_documents import remaining
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import OptionalChoice, Refund, errors_by_field
from xoro_tui.data.models.validators import (
    CARD_REASON,
    OptionalMemo,
    OptionalName,
    OptionalRefundDate,
    OptionalText,
    empty_to_none,
    looks_like_card_number,
)
from xoro_tui.data.refunds import cheque_register, policy
from xoro_tui.data.refunds.lifecycle import check_move
from xoro_tui.data.refunds.refund_rows import (
    _GET_SQL,
    TABLE,
    _load,
    _view,
    fresh,
    refund_accounts,
)
from xoro_tui.data.refunds.refund_writes import REFUND_SEQUENCE as IMPORT_SEQUENCE
from xoro_tui.data.store import audit, clock, sequences
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound, Refused
from xoro_tui.data.store.rows import inserted_id
from xoro_tui.data.store.users import UserRepository

SEQUENCE = "refund"
S = RefundStatus
#: from Printed on, a cheque refund must carry its cheque number
NEEDS_CHEQUE = (S.PRINTED, S.ISSUED, S.CLEARED)
NOT_NULL = frozenset({"refund_date", "payment_method", "status", "amount"})


class RefundUpdate(BaseModel):
    """The pop-up form's changes. Only fields given explicitly change (None clears one);
    ``amount`` is text, read in the refund's currency by :meth:`RefundRepository.update`."""

    model_config = ConfigDict(extra="forbid")

    refund_date: OptionalRefundDate = None
    refund_account: OptionalName = None
    payment_method: OptionalChoice[PaymentMethod] = None
    cheque_number: int | None = Field(default=None, ge=1, le=10**12)
    reference: OptionalText = None
    memo: OptionalMemo = None
    status: OptionalChoice[RefundStatus] = None
    amount: str | None = None
    void_reason: OptionalMemo = None

    @field_validator("cheque_number", "amount", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError("amounts are exact; give them as text")
        return empty_to_none(value)


class RefundLine(BaseModel):
    line_no: int
    description: str | None = None
    amount: int


def _validated(**fields: Any) -> RefundUpdate:
    """Field rules for :meth:`RefundRepository.create`, as :class:`Invalid` naming the field."""
    try:
        return RefundUpdate(**fields)
    except ValidationError as exc:
        field, reason = errors_by_field(exc)[0]
        raise Invalid(field, reason) from None


def _account(conn: sqlite3.Connection, name: str) -> str:
    """The stored spelling of a refund account (names match in any case)."""
    row = conn.execute("SELECT name FROM refund_accounts WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise Invalid("refund_account", f"no refund account named {name}")
    return str(row[0])


def cheque_used_by(
    conn: sqlite3.Connection, account: str, cheque: int, refund_id: int | None = None
) -> str | None:
    """The number of another refund that has ``cheque`` on ``account``, if any."""
    row = conn.execute(
        "SELECT refund_number FROM refunds WHERE refund_account = ? AND cheque_number = ?"
        " AND id IS NOT ?",
        (account, cheque, refund_id),
    ).fetchone()
    return str(row[0]) if row else None


def _too_much(left: int, currency: str, number: str | None) -> Invalid:
    return Invalid(
        "amount", f"more than the {money.display(left, currency)} {currency} left on {number}"
    )


def _next_number(conn: sqlite3.Connection) -> str:
    """``RF-nnnnnn`` from the refund sequence, past the import's numbers and any used one."""
    imported = conn.execute(
        "SELECT next_value FROM sequences WHERE name = ?", (IMPORT_SEQUENCE,)
    ).fetchone()
    if imported and IMPORT_SEQUENCE != SEQUENCE:
        sequences.move_past(conn, SEQUENCE, int(imported[0]) - 1)
    while True:
        number = f"RF-{sequences.take(conn, SEQUENCE):06d}"
        if not conn.execute("SELECT 1 FROM refunds WHERE refund_number = ?", (number,)).fetchone():
            return number


class RefundRepository:
    def __init__(self, db: sqlite_utils.Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or clock.os_user()

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.db)

    def get(self, refund_id: int) -> Refund:
        return _load(self.db.conn, refund_id)

    def by_number(self, refund_number: str) -> Refund | None:
        row = next(self.db.query(_GET_SQL.format(key="refund_number"), (refund_number,)), None)
        return Refund.model_validate(row) if row else None

    def create(
        self,
        customer_id: int,
        *,
        source_document_id: int | None = None,
        amount: int,
        currency: str,
        refund_date: dt.date | str,
        payment_method: PaymentMethod | str,
        refund_account: str | None = None,
        memo: str | None = None,
        reference: str | None = None,
    ) -> Refund:
        """A Draft refund of a deposit or credit memo's remaining balance, or an overpayment."""
        policy.check_create(self.user, self.users)
        fields = _validated(
            refund_date=refund_date,
            payment_method=payment_method,
            refund_account=refund_account,
            memo=memo,
            reference=reference,
        )
        if fields.refund_date is None:
            raise Invalid("refund_date", "missing")
        if fields.payment_method is None:
            raise Invalid("payment_method", "missing")
        try:
            currency = money.normalise_currency(currency or "")
        except ValueError as exc:
            raise Invalid("currency", str(exc)) from None
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise Invalid("amount", "a refund amount is more than zero")
        with write_tx(self.db) as conn:
            found = conn.execute(
                "SELECT state FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
            if found is None or found[0] != "active":
                raise NotFound("the customer no longer exists")
            description = "Overpayment refund"
            if source_document_id is not None:
                description = self._check_source(
                    conn, customer_id, source_document_id, amount, currency
                )
            account = _account(conn, fields.refund_account) if fields.refund_account else None
            number = _next_number(conn)
            stamp = clock.now_iso()
            cursor = conn.execute(
                "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency,"
                " status, refund_account, payment_method, source_document_id, memo, reference,"
                " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number, customer_id, fields.refund_date.isoformat(), amount, currency,
                    S.DRAFT.value, account, fields.payment_method.value, source_document_id,
                    fields.memo, fields.reference, self.user, stamp, stamp,
                ),
            )  # fmt: skip
            refund_id = inserted_id(cursor)
            conn.execute(
                "INSERT INTO refund_lines(refund_id, line_no, description, amount)"
                " VALUES (?, 1, ?, ?)",
                (refund_id, description, amount),
            )
            refund = _load(conn, refund_id)
            changes = audit.diff(
                {}, {**_view(refund), "print_count": None, "created_by": self.user}
            )
            audit.record(conn, TABLE, number, "insert", changes, user=self.user)
            return refund

    @staticmethod
    def _check_source(
        conn: sqlite3.Connection, customer_id: int, document_id: int, amount: int, currency: str
    ) -> str:
        """Refuse a source that is not this customer's deposit or credit memo with enough left."""
        doc = conn.execute(
            "SELECT number, customer_id, doc_type, currency FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if doc is None or doc[2] not in ("customer_deposit", "credit_memo"):
            raise Invalid("source_document", "not a customer deposit or credit memo")
        number, owner, _, doc_currency = doc
        if owner != customer_id:
            raise Invalid("source_document", f"{number} belongs to another customer")
        if doc_currency != currency:
            raise Invalid("currency", f"{number} is in {doc_currency}")
        left = remaining(conn, document_id)
        if left <= 0:
            raise Invalid("source_document", f"nothing is left to refund on {number}")
        if amount > left:
            raise _too_much(left, currency, number)
        return f"Refund of {number}"

    def update(self, refund_id: int, version: int, changes: RefundUpdate) -> Refund:
        """Save the pop-up form: only the fields in ``changes.model_fields_set`` change."""
        with write_tx(self.db) as conn:
            before = self._fresh(conn, refund_id, version)
            return self._write(conn, before, self._apply(conn, before, changes))

    def void(self, refund_id: int, version: int, reason: str) -> Refund:
        """Void a refund not yet Cleared; the row stays, with its reason, out of totals."""
        with write_tx(self.db) as conn:
            before = self._fresh(conn, refund_id, version)
            if before.status is S.VOIDED:
                raise Refused(f"{before.refund_number} is already voided")
            fields = _validated(status=S.VOIDED, void_reason=reason)
            return self._write(conn, before, self._apply(conn, before, fields))

    def return_to_pending(self, refund_id: int, version: int, reason: str) -> Refund:
        """Return to Pending Approval: the explicit way to change what approval locked.

        Clears the approval (``approved_by``); the reason goes into the audit row.
        """
        text = _validated(memo=reason).memo
        if not text:
            raise Invalid("reason", "missing: say why it goes back to Pending Approval")
        with write_tx(self.db) as conn:
            before = self._fresh(conn, refund_id, version)
            policy.check_return_to_pending(before, self.user, self.users)
            conn.execute(
                "UPDATE refunds SET status = ?, approved_by = NULL, updated_at = ?,"
                " version = version + 1 WHERE id = ?",
                (S.PENDING_APPROVAL.value, clock.now_iso(), refund_id),
            )
            after = _load(conn, refund_id)
            changes = {**audit.diff(_view(before), _view(after)), "reason": (None, text)}
            audit.record(
                conn, TABLE, before.refund_number, "return to pending approval", changes,
                user=self.user,
            )  # fmt: skip
            return after

    _fresh = staticmethod(fresh)

    def _apply(self, conn: sqlite3.Connection, before: Refund, changes: RefundUpdate) -> dict:
        """The columns that really change, after every rule; raises Invalid naming the field."""
        given = {name: getattr(changes, name) for name in changes.model_fields_set}
        for name in NOT_NULL & given.keys():
            if given[name] is None:
                raise Invalid(name, "missing")
        if given.get("amount") is not None:
            try:
                given["amount"] = money.to_minor(given["amount"], before.currency)
            except ValueError as exc:
                raise Invalid("amount", str(exc)) from None
            if given["amount"] <= 0:
                raise Invalid("amount", "a refund amount is more than zero")
        if given.get("refund_account") is not None:
            given["refund_account"] = _account(conn, given["refund_account"])
        new = {k: v for k, v in given.items() if v != getattr(before, k)}
        edited = set(new) - {"status"}
        if new.get("status") is S.VOIDED:
            edited.discard("void_reason")  # the reason goes with the void, checked there
        policy.check_edit(before, edited, self.user, self.users)
        final = before.model_copy(update=new)
        if "amount" in new and before.source_document_id is not None:
            left = remaining(conn, before.source_document_id) + before.amount
            if new["amount"] > left:
                raise _too_much(left, before.currency, before.source_document)
        if "status" in new:
            moving = before.model_copy(update={"payment_method": final.payment_method})
            check_move(moving, new["status"], self.user, self.users)
            if new["status"] is S.APPROVED:
                new["approved_by"] = self.user
        if final.status is S.VOIDED and not final.void_reason:
            raise Invalid("void_reason", "missing")
        if "void_reason" in new and final.status is not S.VOIDED:
            raise Invalid("void_reason", "only a voided refund has a void reason")
        cheque_register.check_update(conn, before, new)
        if (
            final.status in NEEDS_CHEQUE
            and final.payment_method is PaymentMethod.CHEQUE
            and final.cheque_number is None
        ):
            raise Invalid(
                "cheque_number",
                "a cheque refund needs its cheque number from Printed on: print its cheque "
                "to take the next number from the account's cheque register",
            )
        return new

    def _write(self, conn: sqlite3.Connection, before: Refund, new: dict[str, Any]) -> Refund:
        if not new:
            return before
        values = {
            k: v.isoformat() if isinstance(v, dt.date) else getattr(v, "value", v)
            for k, v in new.items()
        }
        sets = ", ".join(f"{column} = ?" for column in values)
        conn.execute(
            f"UPDATE refunds SET {sets}, updated_at = ?, version = version + 1 WHERE id = ?",
            (*values.values(), clock.now_iso(), before.id),
        )
        if "amount" in new:
            conn.execute(
                "UPDATE refund_lines SET amount = ? WHERE refund_id = ?"
                " AND (SELECT count(*) FROM refund_lines WHERE refund_id = ?) = 1",
                (new["amount"], before.id, before.id),
            )
        after = _load(conn, before.id)
        if new.get("status") is S.VOIDED:
            cheque_register.void_with_refund(conn, after, self.user)
        action = "void" if new.get("status") is S.VOIDED else "update"
        changes = audit.diff(_view(before), _view(after))
        audit.record(conn, TABLE, before.refund_number, action, changes, user=self.user)
        return after

    def take_cheque_number(self, refund_id: int, version: int) -> tuple[Refund, int, bool]:
        """Print a cheque and confirm at once that it came out right (for callers that know):
        see :class:`xoro_tui.data.refunds.cheque_desk.ChequeDesk` for the two steps."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk

        return ChequeDesk(self.db, self.user).print_cheque(refund_id, version, confirm=True)

    def log_deposit_receipt_print(self, refund_id: int) -> bool:
        """Log a Print Refund Customer Deposit; True when it is a reprint.

        It does not change the refund (no new version), so it is audited under
        ``print_log`` and an open form on the refund stays current.
        """
        with write_tx(self.db) as conn:
            refund = _load(conn, refund_id)
            reprint = (
                conn.execute(
                    "SELECT 1 FROM print_log WHERE refund_id = ? AND kind = 'deposit_receipt' LIMIT 1",
                    (refund_id,),
                ).fetchone()
                is not None
            )
            conn.execute(
                "INSERT INTO print_log(refund_id, kind, reprint, at, user)"
                " VALUES (?, 'deposit_receipt', ?, ?, ?)",
                (refund_id, int(reprint), clock.now_iso(), self.user),
            )
            action = "reprint deposit receipt" if reprint else "print deposit receipt"
            audit.record(conn, "print_log", refund.refund_number, action, user=self.user)
            return reprint

    def milestones(self, refund_id: int) -> list[tuple[str, str, str]]:
        """(event, when, login) of approval, every cheque print, issue, clearing and voiding,
        oldest first, from the refund's audit rows."""
        refund = _load(self.db.conn, refund_id)
        events: list[tuple[str, str, str]] = []
        names = {S.APPROVED: "Approved", S.ISSUED: "Issued", S.CLEARED: "Cleared",
                 S.VOIDED: "Voided"}  # fmt: skip
        prints = {"print cheque": "Cheque printed", "reprint cheque": "Cheque reprinted"}
        for entry in reversed(audit.history(self.db.conn, TABLE, refund.refund_number)):
            if entry["action"] in prints:
                events.append((prints[entry["action"]], entry["at"], entry["user"]))
                continue
            status = entry["changes"].get("status")
            if not status or not isinstance(status, list) or len(status) != 2:
                continue
            try:
                target = RefundStatus.parse(status[1])
            except ValueError:
                continue
            if target in names:
                how = " (imported)" if entry["action"].startswith("import") else ""
                events.append((f"{names[target]}{how}", entry["at"], entry["user"]))
        return events

    def history(self, refund_id: int) -> list[dict]:
        """The refund's audit rows, newest first."""
        return audit.history(self.db.conn, TABLE, _load(self.db.conn, refund_id).refund_number)

    def lines(self, refund_id: int) -> list[RefundLine]:
        rows = self.db.query(
            "SELECT line_no, description, amount FROM refund_lines WHERE refund_id = ?"
            " ORDER BY line_no",
            (refund_id,),
        )
        return [RefundLine.model_validate(r) for r in rows]

    def refund_accounts(self) -> list[tuple[str, str | None, str | None, int]]:
        """(name, bank_name, bank_account, next_cheque_number) of every refund account."""
        return refund_accounts(self.db.conn)

    def add_refund_account(
        self,
        name: str,
        bank_name: str | None = None,
        bank_account: str | None = None,
        next_cheque_number: int = 1001,
    ) -> None:
        name = (name or "").strip()
        if not name:
            raise Invalid("name", "missing")
        if len(name) > 255 or any(ch.isspace() and ch != " " for ch in name):
            raise Invalid("name", "one line of at most 255 characters")
        for field, text in (("name", name), ("bank_name", bank_name or "")):
            if looks_like_card_number(text):
                raise Invalid(field, CARD_REASON)
        if isinstance(next_cheque_number, bool) or not 1 <= next_cheque_number <= 10**12:
            raise Invalid("next_cheque_number", "a whole number from 1")
        bank_name = (bank_name or "").strip() or None
        bank_account = (bank_account or "").strip() or None
        with write_tx(self.db) as conn:
            if conn.execute("SELECT 1 FROM refund_accounts WHERE name = ?", (name,)).fetchone():
                raise Invalid("name", "already used")
            conn.execute(
                "INSERT INTO refund_accounts(name, bank_name, bank_account, next_cheque_number)"
                " VALUES (?, ?, ?, ?)",
                (name, bank_name, bank_account, next_cheque_number),
            )
            fields = {
                "bank_name": bank_name,
                "bank_account": bank_account,
                "next_cheque_number": next_cheque_number,
            }
            audit.record(
                conn, "refund_accounts", name, "insert", audit.diff({}, fields), user=self.user
            )
