"""The refund policy in the Refund Centre (Pilot): the login and role on the status line,
locked fields, why Approved is not offered, Return to Pending Approval, and the same
refusal line the data layer gives."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from tests.factories import customer
from tests.screens.test_refund_centre import (
    SIZE,
    label_text,
    open_centre,
    open_form,
    options,
    text_of,
)
from xoro_tui.app import XoroApp
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.users import UserRepository
from xoro_tui.screens.refunds.refund_dialogs import AskText
from xoro_tui.screens.refunds.refund_form import RefundForm

S = RefundStatus


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("alice", "approver"), ("carl", "clerk"), ("cleo", "clerk")):
        users.add(name, role)


def act_as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setattr(clock_module, "os_user", lambda: user)
    monkeypatch.setattr(users_module, "os_user", lambda: user)


def make(db, user: str, *statuses: RefundStatus, by: str = "alice"):
    RefundRepository(db, user="root").add_refund_account("Main", None, None, 1001)
    repo = RefundRepository(db, user=user)
    refund = repo.create(
        customer(db).id, amount=3750, currency="USD", refund_date=dt.date(2024, 5, 1),
        payment_method="Cheque", refund_account="Main",
    )  # fmt: skip
    for status in statuses:
        mover = RefundRepository(db, user=by if status is S.APPROVED else user)
        refund = mover.update(refund.id, refund.version, RefundUpdate(status=status))
    return refund


async def test_status_line_shows_the_login_and_role(db, db_path, roles, monkeypatch) -> None:
    act_as(monkeypatch, "carl")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert "carl (clerk)" in text_of(screen, "#status")


async def test_the_creator_is_told_why_approved_is_not_offered(
    db, db_path, roles, monkeypatch
) -> None:
    make(db, "alice", S.PENDING_APPROVAL)
    act_as(monkeypatch, "alice")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        assert "Approved" not in options(form.query_one("#status", Select))
        assert "Approved is not offered: you created this refund: another approver approves it" in (
            label_text(form, "#policy-note")
        )


async def test_approved_locks_fields_and_return_to_pending_unlocks_them(
    db, db_path, roles, monkeypatch
) -> None:
    refund = make(db, "carl", S.PENDING_APPROVAL, S.APPROVED)
    act_as(monkeypatch, "carl")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        for field in ("amount", "payment_method", "refund_account"):
            assert form.query_one(f"#{field}").disabled, field
        for field in ("refund_date", "reference", "memo"):
            assert not form.query_one(f"#{field}").disabled, field
        note = label_text(form, "#policy-note")
        assert (
            "Locked once approved: customer, amount, currency, source, payment method, refund"
            " account (ctrl+b Return to Pending Approval to change them)"
        ) in note
        await pilot.press("ctrl+b")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskText)
        ask.query_one(Input).value = "Wrong amount"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RefundForm)
        assert not form.query_one("#amount", Input).disabled
        stored = RefundRepository(db).get(refund.id)
        assert (stored.status, stored.approved_by) == (S.PENDING_APPROVAL, None)
        form.query_one("#amount", Input).value = "75.00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert RefundRepository(db).get(refund.id).amount == 7500


async def test_the_form_and_the_data_layer_give_the_same_refusal(
    db, db_path, roles, monkeypatch
) -> None:
    refund = make(db, "carl")
    with pytest.raises(Refused) as info:
        RefundRepository(db, user="cleo").update(
            refund.id, refund.version, RefundUpdate(memo="mine now")
        )
    reason = str(info.value).split("is refused: ", 1)[1]
    act_as(monkeypatch, "cleo")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        assert f"Read-only for you: {reason}" in label_text(form, "#policy-note")
        for field in ("refund_date", "amount", "memo", "reference", "payment_method"):
            assert form.query_one(f"#{field}").disabled, field


async def test_the_receipt_shows_contact_details_and_who_did_what_when(
    db, db_path, roles, monkeypatch
) -> None:
    from tests.screens.test_refund_centre import menu_pick
    from xoro_tui.screens.refunds.receipt_view import RefundReceipt

    refund = make(db, "carl", S.PENDING_APPROVAL, S.APPROVED)
    db.conn.execute(
        "UPDATE customers SET phone = '+44 20 5555 0106', email = 'ann@example.com',"
        " bill_to_line1 = '1 High St', bill_to_city = 'Leeds', bill_to_postal_code = 'LS1 4AP'"
        " WHERE id = ?",
        (refund.customer_id,),
    )
    printed, _, _ = RefundRepository(db, user="alice").take_cheque_number(refund.id, refund.version)
    issued = RefundRepository(db, user="carl").update(
        printed.id, printed.version, RefundUpdate(status=S.ISSUED)
    )
    RefundRepository(db, user="alice").void(issued.id, issued.version, "Lost in the post")
    act_as(monkeypatch, "carl")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        await menu_pick(app, pilot, "v")
        receipt = app.screen
        assert isinstance(receipt, RefundReceipt)
        text = text_of(receipt, "#receipt")
        for expected in (
            "Phone            +44 20 5555 0106",
            "Email            ann@example.com",
            "Billing address  1 High St, Leeds, LS1 4AP",
            "Approval, printing, issue, clearing, voiding",
        ):
            assert expected in text, expected
        events = [
            line.split()[0:2] + [line.split()[-1]]
            for line in text.split("Approval, printing, issue, clearing, voiding\n")[1]
            .split("\n\n")[0]
            .splitlines()
        ]
        assert [(e[0], e[-1]) for e in events] == [
            ("Approved", "alice"),
            ("Cheque", "alice"),
            ("Issued", "carl"),
            ("Voided", "alice"),
        ]


@pytest.mark.parametrize("field", ["memo", "reference"])
async def test_the_refund_form_refuses_a_card_number_saying_why(db, db_path, field) -> None:
    from xoro_tui.data.models.validators import CARD_REASON

    refund = make(db, "me")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        form.query_one(f"#{field}", Input).value = "4111.1111.1111.1111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert CARD_REASON in label_text(form, f"#error-{field}")
    assert getattr(RefundRepository(db).get(refund.id), field) is None
