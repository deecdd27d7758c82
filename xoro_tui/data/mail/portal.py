"""Validate Portal Emails, Portal Invitations and Direct Debit requests for checked customers."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlite_utils
from email_validator import EmailNotValidError, validate_email

from xoro_tui.data.customers.batch import collect_ids
from xoro_tui.data.customers.customer_repo import changes_since
from xoro_tui.data.mail import outbox
from xoro_tui.data.models.choices import MandateStatus
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound, Refused, StaleEdit
from xoro_tui.data.store.rows import fetch_all

_COLUMNS = "id, account_number, name, email, portal_email, portal_status, mandate_status"


@dataclass(frozen=True)
class PortalCustomer:
    id: int
    account_number: str
    name: str
    email: str | None
    portal_email: str | None
    portal_status: str | None
    mandate_status: str | None


@dataclass
class PortalEmailResult:
    customer_id: int
    account_number: str
    name: str
    portal_email: str | None
    status: str  # Valid, Invalid, Missing, Duplicate
    reason: str | None
    normalized: str | None = None


@dataclass
class Skipped:
    customer_id: int
    account_number: str
    name: str
    reason: str


@dataclass
class InviteResult:
    #: id, account, to of the invitations put in the outbox (queued: not yet delivered)
    sent: list[tuple[int, str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    outbox_ids: dict[int, int] = field(default_factory=dict)  # customer id → outbox id


@dataclass
class DirectDebitResult:
    requested: list[tuple[int, str, str]] = field(default_factory=list)  # id, account, to
    skipped: list[Skipped] = field(default_factory=list)
    outbox_ids: dict[int, int] = field(default_factory=dict)  # customer id → outbox id


def _customers(conn: sqlite3.Connection, ids: Iterable) -> list[PortalCustomer]:
    """The checked customers still in the Centre, in account-number order."""
    rows = fetch_all(
        conn,
        f"SELECT {_COLUMNS} FROM customers WHERE state = 'active' AND id IN "
        "(SELECT value FROM json_each(?)) ORDER BY account_number COLLATE NOCASE",
        (json.dumps(collect_ids(ids)),),
    )
    if not rows:
        raise Refused("check at least one customer in the Customer Centre first")
    return [PortalCustomer(**r) for r in rows]


def _others_by_email(conn: sqlite3.Connection) -> dict[str, list[tuple[int, str]]]:
    """Every active customer's portal email (case-folded) → [(id, account number)]."""
    out: dict[str, list[tuple[int, str]]] = {}
    for cid, account, email in conn.execute(
        "SELECT id, account_number, portal_email FROM customers "
        "WHERE state = 'active' AND portal_email IS NOT NULL AND portal_email != ''"
    ):
        out.setdefault(email.strip().casefold(), []).append((cid, account))
    return out


def _check_one(c: PortalCustomer, others: dict[str, list[tuple[int, str]]]) -> PortalEmailResult:
    email = (c.portal_email or "").strip()
    result = PortalEmailResult(c.id, c.account_number, c.name, c.portal_email, "Valid", None)
    if not email:
        result.status, result.reason = "Missing", "no portal email"
        return result
    try:
        normal = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        result.status, result.reason = "Invalid", str(exc)
        return result
    result.normalized = normal
    shared = sorted(
        {acct for key in {email.casefold(), normal.casefold()} for cid, acct in others.get(key, [])
         if cid != c.id}, key=str.casefold,
    )  # fmt: skip
    if shared:
        result.status = "Duplicate"
        result.reason = f"also the portal email of {', '.join(shared)}"
    elif normal != email:
        result.reason = f"normal form is {normal}"
    return result


def validate_portal_emails(db: sqlite_utils.Database, ids: Iterable) -> list[PortalEmailResult]:
    """Check syntax and normal form (offline), and duplicates shared with another customer.

    The outcome is recorded without bumping the customer's version: it is not a field of
    the customer form, so a form open meanwhile is still saved without a conflict.
    """
    conn = db.conn  # email-validator is slow: check before taking the write lock
    others = _others_by_email(conn)
    checked = [_check_one(c, others) for c in _customers(conn, ids)]
    with write_tx(db) as conn:
        stamp, user = now_iso(), os_user()
        before = {
            cid: (email, status, reason)
            for cid, email, status, reason in conn.execute(
                "SELECT id, portal_email, portal_email_status, portal_email_reason FROM customers "
                "WHERE state = 'active' AND id IN (SELECT value FROM json_each(?))",
                (json.dumps([r.customer_id for r in checked]),),
            )
        }
        # a customer whose portal email changed meanwhile is left for the next check
        results = [r for r in checked if r.customer_id in before
                   and before[r.customer_id][0] == r.portal_email]  # fmt: skip
        conn.executemany(
            "UPDATE customers SET portal_email_status = ?, portal_email_reason = ?,"
            " portal_email_checked_at = ? WHERE id = ?",
            [(r.status, r.reason, stamp, r.customer_id) for r in results],
        )
        entries = []
        for r in results:
            _, old_status, old_reason = before[r.customer_id]
            changes: dict[str, list[Any]] = {"portal_email_status": [old_status, r.status]}
            if old_reason != r.reason:
                changes["portal_email_reason"] = [old_reason, r.reason]
            entries.append((stamp, user, r.account_number, json.dumps(changes, ensure_ascii=False)))
        conn.executemany(  # one audit row per checked customer, written in one statement
            "INSERT INTO audit_log(at, user, table_name, record_key, action, changes)"
            " VALUES (?, ?, 'customers', ?, 'validate_portal_email', ?)",
            entries,
        )
    return results


def _communicate(
    conn: sqlite3.Connection, c: PortalCustomer, to: str, subject: str, body: str, kind: str
) -> int:
    outbox_id = outbox.queue(conn, to, subject, body, kind=kind)
    conn.execute(
        "INSERT INTO communications(customer_id, kind, subject, body, outbox_id, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (c.id, kind, subject, body, outbox_id, os_user(), now_iso()),
    )
    audit.record(conn, "communications", c.account_number, kind, {"to": (None, to)})
    return outbox_id


def send_portal_invitations(db: sqlite_utils.Database, ids: Iterable) -> InviteResult:
    """Queue a portal invitation for each checked customer whose portal is Active."""
    result = InviteResult()
    with write_tx(db) as conn:
        for c in _customers(conn, ids):
            to = c.portal_email or c.email
            if c.portal_status != "Active":
                result.skipped.append(Skipped(c.id, c.account_number, c.name, "portal not active"))
            elif not to:
                result.skipped.append(Skipped(c.id, c.account_number, c.name, "no email"))
            else:
                body = (
                    f"Dear {c.name},\n\nYou are invited to our customer portal, where you can see "
                    f"your invoices, credits and deposits.\nSign in with {to} (account "
                    f"{c.account_number}) and choose a password.\n"
                )
                result.outbox_ids[c.id] = _communicate(
                    conn, c, to, "Your customer portal invitation", body, "portal_invitation"
                )
                result.sent.append((c.id, c.account_number, to))
    return result


@dataclass(frozen=True)
class OutboundMessage:
    subject: str
    body: str


class DirectDebitProvider(Protocol):
    """Whoever sets up mandates (GoCardless, or plain emailed instructions)."""

    def request_mandate(self, customer: PortalCustomer) -> OutboundMessage: ...


class EmailInstructionsProvider:
    """No payment provider: the customer is emailed how to set up the direct debit."""

    def __init__(self, setup_url: str | None = None) -> None:
        self.setup_url = setup_url

    def request_mandate(self, customer: PortalCustomer) -> OutboundMessage:
        where = f"at {self.setup_url} " if self.setup_url else "with the form we will send you "
        return OutboundMessage(
            "Set up your Direct Debit",
            f"Dear {customer.name},\n\nPlease authorise payments by Direct Debit {where}"
            f"quoting your account number {customer.account_number}. Once the mandate is in "
            "place we collect what is due on its due date; you need do nothing more.\n",
        )


def already_requested(db: sqlite_utils.Database, ids: Iterable) -> list[PortalCustomer]:
    """The checked customers whose mandate is already Requested or Active (the Direct Debit
    action asks before sending them the request again)."""
    return [
        c
        for c in _customers(db.conn, ids)
        if c.mandate_status in (MandateStatus.REQUESTED.value, MandateStatus.ACTIVE.value)
    ]


def request_direct_debit(
    db: sqlite_utils.Database,
    ids: Iterable,
    provider: DirectDebitProvider | None = None,
    *,
    resend: bool = True,
) -> DirectDebitResult:
    """Ask each checked customer with an email for a mandate; mandate status → Requested.

    A customer whose mandate is Active is always skipped; one already Requested is sent
    the request again only with ``resend``."""
    provider = provider or EmailInstructionsProvider()
    result = DirectDebitResult()
    with write_tx(db) as conn:
        for c in _customers(conn, ids):
            to = c.email or c.portal_email
            if not to:
                result.skipped.append(Skipped(c.id, c.account_number, c.name, "no email"))
                continue
            if c.mandate_status == MandateStatus.ACTIVE.value:
                reason = "direct debit mandate already active"
                result.skipped.append(Skipped(c.id, c.account_number, c.name, reason))
                continue
            if c.mandate_status == MandateStatus.REQUESTED.value and not resend:
                reason = "direct debit already requested"
                result.skipped.append(Skipped(c.id, c.account_number, c.name, reason))
                continue
            message = provider.request_mandate(c)
            result.outbox_ids[c.id] = _communicate(
                conn, c, to, message.subject, message.body, "direct_debit_request"
            )
            conn.execute(
                "UPDATE customers SET mandate_status = 'Requested', mandate_reference = NULL,"
                " mandate_date = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
                (now_iso(), c.id),
            )
            audit.record(conn, "customers", c.account_number, "direct_debit_request",
                         {"mandate_status": (c.mandate_status, "Requested")})  # fmt: skip
            result.requested.append((c.id, c.account_number, to))
    return result


#: the moves a mandate may make
MANDATE_MOVES: dict[str | None, set[str]] = {
    "Requested": {"Active", "Failed"},
    "Active": {"Cancelled"},
}


def move_mandate(
    db: sqlite_utils.Database,
    customer_id: int,
    version: int,
    new_status: str | MandateStatus,
    reference: str | None = None,
    date: dt.date | str | None = None,
) -> int:
    """Requested → Active (with the mandate reference and date) → Cancelled, or Requested →
    Failed; returns the customer's new version."""
    target = MandateStatus.parse(new_status).value
    with write_tx(db) as conn:
        row = conn.execute(
            "SELECT account_number, state, version, mandate_status, mandate_reference,"
            " mandate_date FROM customers WHERE id = ?",
            (customer_id,),
        ).fetchone()
        if row is None or row[1] != "active":
            raise NotFound("this customer was deleted or merged by someone else")
        account, _, stored, current, old_ref, old_date = row
        if stored != version:
            raise StaleEdit(
                "changed by someone else since you opened it; reload to see their changes",
                changes_since(conn, "customers", account, stored - version),
            )
        if target not in MANDATE_MOVES.get(current, set()):
            raise Refused(f"a mandate cannot go from {current or 'none'} to {target}")
        ref, day = old_ref, old_date
        if target == "Active":
            ref = (reference or "").strip()
            if not ref:
                raise Invalid("mandate_reference", "the provider's mandate reference is needed")
            if date is None or (isinstance(date, str) and not date.strip()):
                raise Invalid("mandate_date", "the date the mandate became active is needed")
            try:
                day = date.isoformat() if isinstance(date, dt.date) else dt.date.fromisoformat(
                    date.strip()).isoformat()  # fmt: skip
            except ValueError:
                raise Invalid("mandate_date", "not a date: write a date like 2026-11-23") from None
        conn.execute(
            "UPDATE customers SET mandate_status = ?, mandate_reference = ?, mandate_date = ?,"
            " updated_at = ?, version = version + 1 WHERE id = ?",
            (target, ref, day, now_iso(), customer_id),
        )
        changes = audit.diff(
            {"mandate_status": current, "mandate_reference": old_ref, "mandate_date": old_date},
            {"mandate_status": target, "mandate_reference": ref, "mandate_date": day},
        )
        audit.record(conn, "customers", account, "mandate", changes)
    return version + 1
