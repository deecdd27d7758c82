"""Printing cheques in two steps, as in QuickBooks Desktop's print-checks flow.

1. :meth:`ChequeDesk.print_cheque` reserves the account's next register number for an
   Approved refund (the refund stays Approved, marked "awaiting confirmation"), or finds a
   printed refund's own number again for a reprint.
2. Once the PDF is written (or sent to ``lp``), the app asks which cheques came out right:
   :meth:`ChequeDesk.confirm` makes the refund Printed; :meth:`ChequeDesk.spoil` records the
   number as spoiled and leaves the refund Approved, to print again on the next number.

The login who printed, or any approver, answers. :meth:`ChequeDesk.void_cheque` takes a
Printed refund back to Approved with its cheque voided in the register, and
:meth:`ChequeDesk.start_book` (admin) starts a new book. Each is one write transaction with
its audit rows.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import Refund
from xoro_tui.data.refunds import cheque_register as register
from xoro_tui.data.refunds.lifecycle import check_move, why_not
from xoro_tui.data.refunds.refund_rows import PRINTABLE, TABLE, _load, _view, fresh, refund_accounts
from xoro_tui.data.store import audit, clock
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound, Refused
from xoro_tui.data.store.users import UserRepository

S = RefundStatus


class ChequeDesk:
    def __init__(self, db: sqlite_utils.Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or clock.os_user()

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.db)

    # -- reading
    def accounts(self) -> list[str]:
        return [name for name, *_ in refund_accounts(self.db.conn)]

    def entries(self, account: str) -> list[register.Entry]:
        return register.entries(self.db.conn, register.account_name(self.db.conn, account))

    def books(self, account: str) -> list[register.Book]:
        return register.books(self.db.conn, register.account_name(self.db.conn, account))

    def next_number(self, account: str) -> int | None:
        return register.next_number(self.db.conn, register.account_name(self.db.conn, account))

    def awaiting(self) -> list[dict[str, Any]]:
        """Every cheque that awaits confirmation, whoever printed it."""
        return register.awaiting(self.db.conn)

    def held_by(self, refund_id: int) -> int | None:
        return register.held_by(self.db.conn, refund_id)

    def preview(self, refund_ids: list[int]) -> list[tuple[str, str, str, str, str]]:
        """What printing these refunds, in this order, would do: (refund, payee, amount,
        account, what), where ``what`` gives the number a new cheque would likely take."""
        from xoro_tui.data.models import money

        conn = self.db.conn
        following: dict[str, int] = {}
        out = []
        for refund_id in refund_ids:
            try:
                refund = _load(conn, refund_id)
            except NotFound:
                continue
            account = refund.refund_account or ""
            held = register.held_by(conn, refund.id)
            if refund.payment_method is not PaymentMethod.CHEQUE:
                what = f"not printed: {refund.payment_method.value}"
            elif held is not None:
                what = f"not printed: {held} awaits confirmation"
            elif refund.status is S.APPROVED and account:
                key = account.casefold()
                if key not in following:
                    following[key] = _likely_next(conn, account)
                what = f"new cheque, next number {following[key]}"
                following[key] += 1
            elif refund.status in PRINTABLE and refund.cheque_number is not None:
                what = f"reprint of cheque {refund.cheque_number}"
            else:
                what = f"not printed: {refund.status.value}"
            amount = f"{money.display(refund.amount, refund.currency)} {refund.currency}"
            out.append((refund.refund_number, refund.customer_name, amount, account, what))
        return out

    # -- printing
    def print_cheque(
        self, refund_id: int, version: int, *, confirm: bool = False
    ) -> tuple[Refund, int, bool]:
        """Print Cheque: reserve the next number for an Approved refund, or a printed
        refund's own number for a reprint; returns (refund, number, is_reprint).

        ``confirm`` records at once that the cheque printed correctly (same transaction).
        """
        with write_tx(self.db) as conn:
            before = fresh(conn, refund_id, version)
            name = before.refund_number
            if before.payment_method is not PaymentMethod.CHEQUE:
                raise Refused(f"{name} is paid by {before.payment_method.value}, not by cheque")
            if before.status not in PRINTABLE:
                raise Refused(
                    f"a cheque is printed once the refund is approved; {name} is "
                    f"{before.status.value}"
                )
            held = register.held_by(conn, refund_id)
            if held is not None:
                raise Refused(
                    f"{name}: cheque {held} is {register.AWAITING}; say first whether it "
                    "printed correctly"
                )
            reprint = before.status is not S.APPROVED
            if reprint:
                reason = why_not(before, S.PRINTED, self.user, self.users)
                if reason:
                    raise Refused(reason)
                if before.cheque_number is None:
                    raise Refused(f"{name} is {before.status.value} but has no cheque number")
                cheque = before.cheque_number
            else:
                check_move(before, S.PRINTED, self.user, self.users)
                if not before.refund_account:
                    raise Invalid("refund_account", "a cheque needs a refund account")
                self._retire_unprinted(conn, before)
                cheque = register.reserve(
                    conn, before.refund_account, before.id, before.customer_name,
                    before.amount, before.currency, self.user,
                )  # fmt: skip
            stamp = clock.now_iso()
            conn.execute(
                "UPDATE refunds SET cheque_number = ?, print_count = print_count + 1,"
                " updated_at = ?, version = version + 1 WHERE id = ?",
                (cheque, stamp, refund_id),
            )
            conn.execute(
                "INSERT INTO print_log(refund_id, kind, cheque_number, reprint, at, user)"
                " VALUES (?, 'cheque', ?, ?, ?, ?)",
                (refund_id, cheque, int(reprint), stamp, self.user),
            )
            after = _load(conn, refund_id)
            action = "reprint cheque" if reprint else "print cheque"
            audit.record(
                conn, TABLE, name, action, audit.diff(_view(before), _view(after)), user=self.user
            )
            if confirm and not reprint:
                after = self._confirm_in(conn, after.refund_account or "", cheque)
            return after, cheque, reprint

    def _retire_unprinted(self, conn: sqlite3.Connection, refund: Refund) -> None:
        """An Approved refund still carrying a number from before the register (typed by
        hand, never printed) gives it up as voided when its cheque really prints."""
        if refund.cheque_number is None or not refund.refund_account:
            return
        row = register.entry_row(conn, refund.refund_account, refund.cheque_number)
        if row is not None and row["refund_id"] == refund.id and row["status"] == "imported":
            register.mark(
                conn, row["account"], refund.cheque_number, register.VOIDED, self.user,
                "never printed; the cheque printed on the register's next number",
            )  # fmt: skip

    # -- answering "did the cheques print correctly?"
    def _reserved(self, conn: sqlite3.Connection, account: str, number: int) -> dict[str, Any]:
        row = register.entry_row(conn, account, number)
        if row is None:
            raise NotFound(f"cheque {number} on {account} is not in the register")
        if row["status"] != register.RESERVED:
            raise Refused(
                f"cheque {number} on {account} is {row['status']}, not {register.AWAITING}"
            )
        if row["printed_by"] != self.user and not self.users.can(self.user, "approver"):
            raise Refused(
                f"cheque {number} was printed by {row['printed_by']}; they or an approver "
                "say whether it printed correctly"
            )
        return row

    def _confirm_in(self, conn: sqlite3.Connection, account: str, number: int) -> Refund:
        row = self._reserved(conn, account, number)
        before = _load(conn, row["refund_id"])
        register.mark(conn, row["account"], number, register.PRINTED, self.user)
        conn.execute(
            "UPDATE refunds SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?",
            (S.PRINTED.value, clock.now_iso(), before.id),
        )
        after = _load(conn, before.id)
        audit.record(conn, TABLE, before.refund_number, "confirm cheque",
                     audit.diff(_view(before), _view(after)), user=self.user)  # fmt: skip
        return after

    def confirm(self, account: str, number: int) -> Refund:
        """Cheque ``number`` printed correctly: its refund becomes Printed."""
        with write_tx(self.db) as conn:
            return self._confirm_in(conn, register.account_name(conn, account), number)

    def spoil(self, account: str, number: int, reason: str) -> Refund:
        """Cheque ``number`` did not print correctly: spoiled in the register, its refund
        Approved again with no cheque number, to print on the next number."""
        reason = _reason(reason)
        with write_tx(self.db) as conn:
            row = self._reserved(conn, register.account_name(conn, account), number)
            before = _load(conn, row["refund_id"])
            register.mark(conn, row["account"], number, register.SPOILED, self.user, reason)
            return self._clear_number(conn, before, "spoil cheque", S.APPROVED)

    def void_cheque(self, refund_id: int, version: int, reason: str) -> Refund:
        """Void cheque: a Printed refund's cheque is voided in the register and the refund
        goes back to Approved, keeping its refund number (approver, with a reason)."""
        reason = _reason(reason)
        with write_tx(self.db) as conn:
            before = fresh(conn, refund_id, version)
            if before.status is not S.PRINTED or before.cheque_number is None:
                raise Refused(
                    f"Void cheque is for a Printed cheque refund; {before.refund_number} is "
                    f"{before.status.value}"
                )
            if not self.users.can(self.user, "approver"):
                role = self.users.role_of(self.user) or "login with no role"
                raise Refused(f"voiding a cheque needs the approver role ({self.user} is a {role})")
            account = before.refund_account or ""
            row = register.entry_row(conn, account, before.cheque_number)
            if row is None or row["refund_id"] != before.id:
                raise Refused(
                    f"cheque {before.cheque_number} on {account} is not {before.refund_number}'s "
                    "in the register; run xoro-tui check"
                )
            register.mark(conn, row["account"], before.cheque_number, register.VOIDED,
                          self.user, reason)  # fmt: skip
            return self._clear_number(conn, before, "void cheque", S.APPROVED)

    def _clear_number(
        self, conn: sqlite3.Connection, before: Refund, action: str, status: RefundStatus
    ) -> Refund:
        conn.execute(
            "UPDATE refunds SET cheque_number = NULL, status = ?, updated_at = ?,"
            " version = version + 1 WHERE id = ?",
            (status.value, clock.now_iso(), before.id),
        )
        after = _load(conn, before.id)
        audit.record(conn, TABLE, before.refund_number, action,
                     audit.diff(_view(before), _view(after)), user=self.user)  # fmt: skip
        return after

    # -- books
    def start_book(self, account: str, start: int, reason: str | None = None) -> register.Book:
        """Start a new book at ``start`` (admin; anyone in single-user mode)."""
        if not self.users.can(self.user, "admin"):
            role = self.users.role_of(self.user)
            who = f"{self.user} is a {role}" if role else f"{self.user} has no role"
            raise Refused(f"starting a cheque book needs the admin role ({who})")
        with write_tx(self.db) as conn:
            return register.start_book(conn, account, start, self.user, reason)


def _likely_next(conn: sqlite3.Connection, account: str) -> int:
    """The number the account's next cheque takes if no one else prints first."""
    name = register.account_name(conn, account)
    following = register.next_number(conn, name)
    if following is not None:
        return following
    row = conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = ?", (name,)
    ).fetchone()
    return max(int(row[0]), (register.highest(conn, name) or 0) + 1)


def _reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise Invalid("reason", "missing")
    if len(text) > 500:
        raise Invalid("reason", "at most 500 characters")
    return text
