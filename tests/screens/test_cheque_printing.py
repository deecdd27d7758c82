"""Printing cheques in the Refund Centre through Pilot: the batch listed first, "did the
cheques print correctly?", a spoiled cheque printed again on the next number, the awaiting
mark everyone sees after a restart, and the account's cheque register."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from tests.factories import customer
from tests.screens.test_refund_centre import (
    SIZE,
    notes,
    open_centre,
    pdf_text,
    print_listed,
    printed,
    settle,
    text_of,
    type_into,
)
from xoro_tui.app import XoroApp
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.refunds import cheque_register as register
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.maintenance import integrity_check
from xoro_tui.data.store.users import UserRepository
from xoro_tui.screens.refunds.cheque_dialogs import ChequeRegisterScreen, ConfirmChequesDialog

S = RefundStatus


def act_as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setattr(clock_module, "os_user", lambda: user)
    monkeypatch.setattr(users_module, "os_user", lambda: user)


@pytest.fixture
def two_approved(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Roles (root admin, alice and bob approvers, carl a clerk), no printer on PATH, and
    two cheque refunds carl created and alice approved."""
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    act_as(monkeypatch, "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("alice", "approver"), ("bob", "approver"), ("carl", "clerk")):
        users.add(name, role)
    RefundRepository(db, user="root").add_refund_account("Main", "First Bank", "123-456", 1001)
    ids = []
    for name in ("Alpha Ltd", "Beta KK"):
        carl = RefundRepository(db, user="carl")
        refund = carl.create(customer(db, name=name).id, amount=10000, currency="USD",
                             refund_date="2024-05-01", payment_method="Cheque",
                             refund_account="Main")  # fmt: skip
        refund = carl.update(refund.id, refund.version, RefundUpdate(status=S.PENDING_APPROVAL))
        alice = RefundRepository(db, user="alice")
        ids.append(alice.update(refund.id, refund.version, RefundUpdate(status=S.APPROVED)).id)
    return ids


async def test_a_spoiled_cheque_prints_again_on_the_next_number(
    db, db_path, two_approved, monkeypatch
) -> None:
    alpha, beta = two_approved
    repo = RefundRepository(db)
    act_as(monkeypatch, "alice")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("asterisk", "P")
        lines = await print_listed(app, pilot)
        assert ["Beta KK" in lines[0], "Alpha Ltd" in lines[1]] == [True, True]  # newest first
        dialog = await printed(app, pilot)
        pages = pdf_text(dialog.path)
        assert "Beta KK" in pages[0] and "1001" in pages[0] and "1002" in pages[1]
        today = clock_module.today().isoformat()  # the cheque is dated the day it prints
        assert today in pages[0] and "2024-05-01" not in pages[0]
        assert any("say which cheques printed correctly" in n for n in dialog.notes)
        assert (repo.get(beta).status, repo.get(beta).cheque_number) == (S.APPROVED, 1001)
        await pilot.press("escape")
        await settle(app, pilot)
        ask = app.screen
        assert isinstance(ask, ConfirmChequesDialog)
        assert [item["number"] for item in ask.items] == [1001, 1002]
        ask.query_one("#ok-1", Checkbox).value = False  # Alpha's cheque 1002 jammed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is ask  # a spoiled cheque needs a reason
        assert "say why" in str(ask.query_one("#error-reason").render())
        await type_into(pilot, ask.query_one("#reason", Input), "paper jam")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert any("spoiled: 1002" in n for n in notes(app)), notes(app)
        assert (repo.get(beta).status, repo.get(beta).cheque_number) == (S.PRINTED, 1001)
        back = repo.get(alpha)
        assert (back.status, back.cheque_number) == (S.APPROVED, None)

        # Alpha again: the next number, no REPRINT; this time nobody answers yet
        await pilot.press("u")  # uncheck all
        screen.table.move_cursor(screen.source.position_of(alpha))
        await pilot.press("P")
        [line] = await print_listed(app, pilot)
        assert "new cheque, next number 1003" in line
        dialog = await printed(app, pilot)
        [page] = pdf_text(dialog.path)
        assert "1003" in page and "REPRINT" not in page
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")  # Later
        await settle(app, pilot)
        assert "Cheques awaiting confirmation (K to answer): 1003" in text_of(screen, "#awaiting")

    act_as(monkeypatch, "carl")  # another login, after a restart: the mark is still there
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert "1003" in text_of(screen, "#awaiting") and "(alice)" in text_of(screen, "#awaiting")
        row = {r.key: r.values for r in screen.table.source.window(0, 10)}[alpha]
        assert row[5] == "Approved (awaiting)"
        await pilot.press("K")
        await settle(app, pilot)
        assert app.screen is screen  # a clerk answers only for their own prints
        assert "No cheques of yours await confirmation" in notes(app)
    act_as(monkeypatch, "bob")  # any approver answers
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("K")
        await settle(app, pilot)
        assert [i["number"] for i in app.screen.items] == [1003]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert repo.get(alpha).status is S.PRINTED
        assert not screen.query_one("#awaiting").display
        screen.table.move_cursor(screen.source.position_of(alpha))
        await pilot.press("G")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, ChequeRegisterScreen)
        grid = view.query_one(DataTable)
        shown = [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]
        assert [(r[0], r[2], r[4], r[6], r[7]) for r in shown] == [
            ("1001", "Beta KK", "printed", "alice", ""),
            ("1002", "Alpha Ltd", "spoiled", "alice", "paper jam"),
            ("1003", "Alpha Ltd", "printed", "bob", ""),
        ]
    assert [e.status for e in register.entries(db.conn, "Main")] == [
        "printed", "spoiled", "printed"
    ]  # fmt: skip
    assert integrity_check(db) == []


async def test_void_cheque_in_the_row_menu_needs_an_approver_and_a_reason(
    db, db_path, two_approved, monkeypatch
) -> None:
    from xoro_tui.data.refunds.cheque_desk import ChequeDesk
    from xoro_tui.screens.refunds.refund_dialogs import AskText
    from xoro_tui.widgets.row_menu import RowMenu

    alpha, _ = two_approved
    refund = RefundRepository(db).get(alpha)
    ChequeDesk(db, "alice").print_cheque(refund.id, refund.version, confirm=True)
    act_as(monkeypatch, "carl")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        screen.table.move_cursor(screen.source.position_of(alpha))
        await pilot.press("m")
        await pilot.pause()
        assert screen.query_one(RowMenu).is_open
        await pilot.press("k")
        await settle(app, pilot)
        assert app.screen is screen
        assert any("voiding a cheque needs the approver role (carl)" in n for n in notes(app))
    act_as(monkeypatch, "bob")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        screen.table.move_cursor(screen.source.position_of(alpha))
        await pilot.press("m", "k")
        await settle(app, pilot)
        ask = app.screen
        assert isinstance(ask, AskText) and "Why void cheque 1001 of" in ask.question
        await type_into(pilot, ask.query_one(Input), "torn in the post")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        back = RefundRepository(db).get(alpha)
        assert (back.status, back.cheque_number, back.refund_number) == (
            S.APPROVED, None, refund.refund_number
        )  # fmt: skip
    [entry] = register.entries(db.conn, "Main")
    assert (entry.number, entry.status, entry.reason, entry.who) == (
        1001, "voided", "torn in the post", "bob"
    )  # fmt: skip
    assert integrity_check(db) == []


async def test_a_pdf_that_cannot_be_written_spoils_its_numbers(
    db, db_path, two_approved, monkeypatch
) -> None:
    import xoro_tui.documents.refund_printing as refund_printing

    def no_room(*_: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(refund_printing, "write_job", no_room)
    alpha, beta = two_approved
    act_as(monkeypatch, "alice")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("asterisk", "P")
        await print_listed(app, pilot)
        await settle(app, pilot)
        assert app.screen is screen
        assert any("No space left on device" in n for n in notes(app))
    spoiled = register.entries(db.conn, "Main")
    assert [(e.number, e.status) for e in spoiled] == [(1001, "spoiled"), (1002, "spoiled")]
    assert "the PDF could not be written" in (spoiled[0].reason or "")
    repo = RefundRepository(db)
    assert [(repo.get(i).status, repo.get(i).cheque_number) for i in (alpha, beta)] == [
        (S.APPROVED, None), (S.APPROVED, None)
    ]  # fmt: skip
    assert integrity_check(db) == []


async def test_layout_dialog_and_test_page_before_printing(
    db, db_path, two_approved, monkeypatch
) -> None:
    """An admin sets the account's stock and moves the payee from the actions menu; the
    batch dialog prints an alignment page on that layout and takes no cheque number; a
    clerk may print the test page but not save a layout."""
    from xoro_tui.data.refunds import cheque_layouts
    from xoro_tui.screens.dialogs.print_dialog import PrintDialog
    from xoro_tui.screens.refunds.cheque_dialogs import ChequeBatchDialog
    from xoro_tui.screens.refunds.cheque_layout_dialog import ChequeLayoutDialog

    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("l")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChequeLayoutDialog)
        dialog.query_one("#stock").value = "bottom"
        await type_into(pilot, dialog.query_one("#off-payee", Input), "2.5,-1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Saved: Voucher, cheque at the bottom" in text_of(dialog, "#message")
        saved = cheque_layouts.get(db.conn, "Main")
        assert (saved.stock, saved.offset("payee")) == ("bottom", (2.5, -1.0))
        await pilot.press("escape")
        await settle(app, pilot)

        act_as(monkeypatch, "carl")
        await pilot.press("asterisk", "P")
        await settle(app, pilot)
        assert isinstance(app.screen, ChequeBatchDialog)
        await pilot.press("ctrl+t")
        page = await printed(app, pilot)
        assert isinstance(page, PrintDialog) and "alignment" in page.path.name
        text = pdf_text(page.path)[0]
        assert "ALIGNMENT TEST" in text and "SAMPLE PAYEE NAME" in text
        assert "cheque at the bottom" in text and "payee +2.5,-1 mm" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ChequeBatchDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert register.entries(db.conn, "Main") == []  # no number taken by the test page

        await pilot.press("a")
        await pilot.pause()
        await pilot.press("l")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChequeLayoutDialog)
        dialog.query_one("#stock").value = "wallet"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs the admin role (carl is a clerk)" in text_of(dialog, "#message")
        assert cheque_layouts.get(db.conn, "Main").stock == "bottom"
