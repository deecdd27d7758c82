"""Validate Portal Emails, Portal Invitations and Direct Debit requests and mandate moves."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.mail.portal import (
    OutboundMessage,
    PortalCustomer,
    move_mandate,
    request_direct_debit,
    send_portal_invitations,
    validate_portal_emails,
)
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, Refused, StaleEdit


def outbox_rows(db) -> list[tuple]:
    return db.conn.execute("SELECT to_address, subject, kind FROM outbox ORDER BY id").fetchall()


def comms(db, customer_id: int) -> list[tuple]:
    return db.conn.execute(
        "SELECT kind, outbox_id IS NOT NULL FROM communications WHERE customer_id = ?",
        (customer_id,),
    ).fetchall()


def test_validate_portal_emails(db) -> None:
    ok = customer(db, portal_email="ann@example.com")
    missing = customer(db)
    dup = customer(db, portal_email="shared@example.com")
    other = customer(db, portal_email="SHARED@example.com")
    bad = customer(db)
    odd = customer(db)
    with write_tx(db) as conn:  # stored by an old import, never through the form
        conn.execute("UPDATE customers SET portal_email = 'not an email' WHERE id = ?", (bad.id,))
        conn.execute("UPDATE customers SET portal_email = 'Bo@EXAMPLE.com' WHERE id = ?", (odd.id,))
    results = {
        r.customer_id: r
        for r in validate_portal_emails(db, [ok.id, missing.id, dup.id, bad.id, odd.id])
    }
    assert (results[ok.id].status, results[ok.id].reason) == ("Valid", None)
    assert results[missing.id].status == "Missing"
    assert results[dup.id].status == "Duplicate"
    assert other.account_number in (results[dup.id].reason or "")
    assert results[bad.id].status == "Invalid" and results[bad.id].reason
    assert results[odd.id].status == "Valid"
    assert results[odd.id].reason == "normal form is Bo@example.com"
    row = db.conn.execute(
        "SELECT portal_email_status, portal_email_reason, portal_email_checked_at, version "
        "FROM customers WHERE id = ?",
        (dup.id,),
    ).fetchone()
    assert row[0] == "Duplicate" and other.account_number in row[1] and row[2]
    assert row[3] == dup.version  # an open form is not made stale by a check
    n = db.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'validate_portal_email'"
    ).fetchone()[0]
    assert n == 5
    with pytest.raises(Refused):
        validate_portal_emails(db, [])


def test_portal_invitations_only_for_active_portals(db) -> None:
    active = customer(
        db, portal_status="Active", portal_email="p@example.com", email="e@example.com"
    )
    fallback = customer(db, portal_status="Active", email="e2@example.com")
    inactive = customer(db, portal_status="Inactive", email="x@example.com")
    no_email = customer(db, portal_status="Active")
    result = send_portal_invitations(db, [active.id, fallback.id, inactive.id, no_email.id])
    assert [(i, to) for i, _, to in result.sent] == [
        (active.id, "p@example.com"),
        (fallback.id, "e2@example.com"),
    ]
    assert {s.customer_id: s.reason for s in result.skipped} == {
        inactive.id: "portal not active",
        no_email.id: "no email",
    }
    assert [r[0] for r in outbox_rows(db)] == ["p@example.com", "e2@example.com"]
    assert {r[2] for r in outbox_rows(db)} == {"portal_invitation"}
    assert comms(db, active.id) == [("portal_invitation", 1)]
    assert comms(db, inactive.id) == []


class FakeProvider:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def request_mandate(self, customer: PortalCustomer) -> OutboundMessage:
        self.asked.append(customer.account_number)
        return OutboundMessage("Mandate", f"Sign here, {customer.name}")


def test_direct_debit_requests(db) -> None:
    a = customer(db, email="a@example.com")
    b = customer(db)
    c = customer(db, email="c@example.com", mandate_status="Active", mandate_reference="MD1",
                 mandate_date="2024-01-01")  # fmt: skip
    result = request_direct_debit(db, [a.id, b.id, c.id])
    assert [i for i, _, _ in result.requested] == [a.id]
    assert {s.customer_id: s.reason for s in result.skipped} == {
        b.id: "no email",
        c.id: "direct debit mandate already active",
    }
    assert CustomerRepository(db).get(a.id).mandate_status == "Requested"
    assert outbox_rows(db) == [
        ("a@example.com", "Set up your Direct Debit", "direct_debit_request")
    ]
    assert comms(db, a.id) == [("direct_debit_request", 1)]
    provider = FakeProvider()
    request_direct_debit(db, [a.id], provider=provider)
    assert provider.asked == [a.account_number]


def test_mandate_moves(db) -> None:
    a = customer(db, email="a@example.com")
    request_direct_debit(db, [a.id])
    version = CustomerRepository(db).get(a.id).version
    with pytest.raises(Invalid, match="reference"):
        move_mandate(db, a.id, version, "Active", date=dt.date(2024, 5, 1))
    with pytest.raises(Invalid, match="date"):
        move_mandate(db, a.id, version, "Active", reference="MD-9")
    with pytest.raises(Refused, match="from Requested to Cancelled"):
        move_mandate(db, a.id, version, "Cancelled")
    with pytest.raises(StaleEdit):
        move_mandate(db, a.id, version - 1, "Active", "MD-9", "2024-05-01")
    version = move_mandate(db, a.id, version, "active", "MD-9", "2024-05-01")
    saved = CustomerRepository(db).get(a.id)
    assert (saved.mandate_status, saved.mandate_reference, saved.mandate_date) == (
        "Active",
        "MD-9",
        dt.date(2024, 5, 1),
    )
    assert saved.version == version
    version = move_mandate(db, a.id, version, "Cancelled")
    with pytest.raises(Refused):
        move_mandate(db, a.id, version, "Active", "MD-10", "2024-06-01")
    actions = db.conn.execute(
        "SELECT changes FROM audit_log WHERE action = 'mandate' ORDER BY id"
    ).fetchall()
    assert len(actions) == 2 and '"Active", "Cancelled"' in actions[1][0]
    b = customer(db, email="b@example.com")
    request_direct_debit(db, [b.id])
    move_mandate(db, b.id, CustomerRepository(db).get(b.id).version, "Failed")
    assert CustomerRepository(db).get(b.id).mandate_status == "Failed"
