"""The Customer Refund Centre driven by keys through Pilot: the table, its filters and totals,
New Refund, the row menu (receipt, pop-up form, void, customer info, printing), the
lifecycle with four eyes, and hostile names shown literally."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from textual.widgets import Static

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType, RefundStatus
from xoro_tui.data.models.entities import DocumentIn, Refund
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.screens.refunds.refund_centre import RefundCentre
from xoro_tui.widgets.virtual_table import VirtualTable

S = RefundStatus
DAY = dt.date(2024, 5, 1)
SIZE = (160, 50)


# --- set-up through the real repositories ------------------------------------------------


@pytest.fixture
def repo(db) -> RefundRepository:
    repo = RefundRepository(db, user="me")
    repo.add_refund_account("Main", "First Bank", "123-456", 1001)
    return repo


def deposit(db, customer_id: int, total: int = 50000, currency: str = "USD"):
    return DocumentRepository(db).create(
        DocumentIn(
            doc_type=DocumentType.CUSTOMER_DEPOSIT,
            customer_id=customer_id,
            doc_date=DAY,
            currency=currency,
            total=total,
        )
    )


def new_refund(repo: RefundRepository, customer_id: int, **kw) -> Refund:
    fields = {"amount": 10000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH"}
    return repo.create(customer_id, **{**fields, **kw})


def move(repo: RefundRepository, refund: Refund, *statuses: RefundStatus) -> Refund:
    for status in statuses:
        refund = repo.update(refund.id, refund.version, RefundUpdate(status=status))
    return refund


def printed_cheque(db, repo: RefundRepository, refund: Refund, book: int) -> Refund:
    """Approve ``refund`` and print its cheque, confirmed, as the first of a book at ``book``."""
    from xoro_tui.data.refunds.cheque_desk import ChequeDesk

    ChequeDesk(db, "me").start_book("Main", book)
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    return repo.take_cheque_number(refund.id, refund.version)[0]


# --- driving the app ---------------------------------------------------------------------


async def open_centre(app: XoroApp, pilot) -> RefundCentre:
    await pilot.press("R")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, RefundCentre)
    return screen


def table(screen: RefundCentre) -> VirtualTable:
    return screen.query_one(VirtualTable)


def rows(screen: RefundCentre) -> list[dict[str, str]]:
    source = table(screen).source
    keys = [c.key for c in source.visible_columns]
    return [dict(zip(keys, r.values, strict=True)) for r in source.window(0, 100)]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def screen_lines(widget) -> list[str]:
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_table_shows_every_refund_with_its_columns(db, db_path: Path, repo) -> None:
    alpha = customer(db, name="Alpha Ltd")
    beta = customer(db, name="Beta KK")
    dep = deposit(db, alpha.id)
    usd = new_refund(repo, alpha.id, source_document_id=dep.id, amount=123456 // 10,
                     payment_method="Cheque", refund_account="Main", reference="INV-77")  # fmt: skip
    jpy = new_refund(repo, beta.id, amount=250000, currency="JPY")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        got = {r["refund_number"]: r for r in rows(screen)}
        assert set(got) == {usd.refund_number, jpy.refund_number}
        assert got[usd.refund_number] == {
            "refund_number": usd.refund_number,
            "refund_date": "2024-05-01",
            "customer": "Alpha Ltd",
            "amount": "123.45",
            "currency": "USD",
            "status": "Draft",
            "payment_method": "Cheque",
            "cheque_number": "",
            "refund_account": "Main",
        }
        assert got[jpy.refund_number]["amount"] == "250,000"
        assert "Alpha Ltd" in "\n".join(screen_lines(table(screen)))


def options(select) -> list[str]:
    from textual.widgets import Select

    return [str(value) for _, value in select._options if value is not Select.NULL]


async def type_into(pilot, widget, text: str) -> None:
    """Focus an Input and put ``text`` in it (as typing would; key by key is slow)."""
    widget.focus()
    widget.value = text
    widget.cursor_position = len(text)
    await pilot.pause()


async def status_key(app: XoroApp, pilot, key: str) -> None:
    await pilot.press(key)
    await settle(app, pilot)


async def test_status_keys_filter_in_lifecycle_order_and_counts_show(db, db_path, repo) -> None:
    who = customer(db, name="Alpha Ltd")
    drafts = [new_refund(repo, who.id) for _ in range(2)]
    pending = move(repo, new_refund(repo, who.id), S.PENDING_APPROVAL)
    approved = move(repo, new_refund(repo, who.id), S.PENDING_APPROVAL, S.APPROVED)
    voided = repo.void(*(lambda r: (r.id, r.version))(new_refund(repo, who.id)), "Typo")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert text_of(screen, "#status-counts") == (
            "▸0 All 5  1 Draft 2  2 Pending Approval 1  3 Approved 1  4 Printed 0  "
            "5 Issued 0  6 Cleared 0  7 Voided 1"
        )
        expected = {
            "1": {r.refund_number for r in drafts},
            "2": {pending.refund_number},
            "3": {approved.refund_number},
            "4": set(),
            "7": {voided.refund_number},
        }
        for key, numbers in expected.items():
            await status_key(app, pilot, key)
            assert {r["refund_number"] for r in rows(screen)} == numbers, key
        counts = text_of(screen, "#status-counts")
        assert "▸7 Voided 1" in counts and "0 All 5" in counts and "▸0" not in counts
        assert "status is Voided" in text_of(screen, "#filter-line")
        await status_key(app, pilot, "0")
        assert len(rows(screen)) == 5
        assert text_of(screen, "#status").startswith("5 of 5 refunds")


async def test_quick_search_by_number_customer_cheque_and_reference(db, db_path, repo) -> None:
    alpha = customer(db, name="Alpha Ltd")
    zoe = customer(db, name="Zoë Ångström")
    by_number = new_refund(repo, alpha.id)
    by_customer = new_refund(repo, zoe.id)
    by_reference = new_refund(repo, alpha.id, reference="PO-ZX81")
    by_cheque = new_refund(repo, alpha.id, payment_method="Cheque", refund_account="Main")
    printed_cheque(db, repo, by_cheque, book=98765)  # numbers come only from the register
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        search = screen.query_one("#search-input")
        for term, wanted in (
            (by_number.refund_number.lower(), by_number),
            ("angstrom", by_customer),
            ("98765", by_cheque),
            ("zx81", by_reference),
        ):
            await type_into(pilot, search, term)
            await settle(app, pilot)
            assert [r["refund_number"] for r in rows(screen)] == [wanted.refund_number], term
            assert text_of(screen, "#status").startswith("1 of 4 refunds")
        await pilot.press("escape", "x")
        await settle(app, pilot)
        assert len(rows(screen)) == 4


async def test_date_range_and_payment_method_filters(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    from xoro_tui.screens.refunds.refund_dialogs import RefundFilterDialog

    who = customer(db)
    early = new_refund(repo, who.id, refund_date="2024-01-15", payment_method="Cheque")
    inside_cheque = new_refund(repo, who.id, refund_date="2024-03-10", payment_method="Cheque")
    inside_ach = new_refund(repo, who.id, refund_date="2024-03-20", payment_method="ACH")
    late = new_refund(repo, who.id, refund_date="2024-06-01", payment_method="Cheque")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RefundFilterDialog)
        await type_into(pilot, dialog.query_one("#date_from", Input), "2024-02-99")
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a date" in str(dialog.query_one("#error-date_from").render())
        assert app.screen is dialog
        await type_into(pilot, dialog.query_one("#date_from", Input), "2024-03-01")
        await type_into(pilot, dialog.query_one("#date_to", Input), "2024-03-31")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert {r["refund_number"] for r in rows(screen)} == {
            inside_cheque.refund_number,
            inside_ach.refund_number,
        }
        assert "date 2024-03-01 to 2024-03-31" in text_of(screen, "#filter-line")
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#date_from", Input).value == "2024-03-01"
        dialog.query_one("#payment_method", Select).value = "Cheque"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [r["refund_number"] for r in rows(screen)] == [inside_cheque.refund_number]
        assert "payment method is Cheque" in text_of(screen, "#filter-line")
        assert text_of(screen, "#totals") == "Totals (voided left out): USD 100.00 (1)"
        await pilot.press("x")
        await settle(app, pilot)
        numbers = {r["refund_number"] for r in rows(screen)}
        assert {early.refund_number, late.refund_number} <= numbers
        assert len(numbers) == 4


async def test_totals_per_currency_in_its_own_decimals_voided_left_out(db, db_path, repo) -> None:
    who = customer(db)
    new_refund(repo, who.id, amount=10000)
    new_refund(repo, who.id, amount=234567)
    gone = new_refund(repo, who.id, amount=99999)
    repo.void(gone.id, gone.version, "Duplicate")
    new_refund(repo, who.id, amount=1250000, currency="JPY")
    new_refund(repo, who.id, amount=1234, currency="KWD")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert text_of(screen, "#totals") == (
            "Totals (voided left out): JPY 1,250,000 (1)  KWD 1.234 (1)  USD 2,445.67 (2)"
        )
        await status_key(app, pilot, "7")
        assert text_of(screen, "#totals") == "Totals: none"
        await status_key(app, pilot, "0")
        await type_into(pilot, screen.query_one("#search-input"), "zzzz")
        await settle(app, pilot)
        assert text_of(screen, "#totals") == "Totals: none"


def notes(app: XoroApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def label_text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_new_refund(app: XoroApp, pilot, account_number: str):
    from textual.widgets import Input

    from xoro_tui.screens.refunds.new_refund import NewRefund

    await pilot.press("n")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, NewRefund)
    assert form.query_one("#customer", Input).has_focus
    await pilot.press(*account_number, "enter")
    await pilot.pause()
    return form


async def test_new_refund_from_a_deposit_no_more_than_what_remains(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    who = customer(db, name="Alpha Ltd")
    dep = deposit(db, who.id, total=50000)
    new_refund(repo, who.id, source_document_id=dep.id, amount=12500)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        form = await open_new_refund(app, pilot, who.account_number)
        assert label_text(form, "#customer-name") == "Alpha Ltd"
        source = form.query_one("#source_document", Select)
        assert options(source) == ["overpayment", str(dep.id)]
        prompts = [str(p) for p, _ in source._options]
        assert f"{dep.number} — 375.00 USD left" in prompts
        assert source.value == str(dep.id)
        assert form.query_one("#amount", Input).value == "375.00"
        assert form.query_one("#currency", Input).value == "USD"
        await type_into(pilot, form.query_one("#amount", Input), "375.01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert label_text(form, "#error-amount") == f"more than the 375.00 USD left on {dep.number}"
        assert form.query_one("#amount", Input).has_focus
        assert db.conn.execute("SELECT count(*) FROM refunds").fetchone()[0] == 1
        await type_into(pilot, form.query_one("#amount", Input), "300")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        made = RefundRepository(db).get(
            db.conn.execute("SELECT max(id) FROM refunds").fetchone()[0]
        )
        assert (made.status, made.amount, made.source_document_id) == (S.DRAFT, 30000, dep.id)
        assert made.refund_account is None
        assert table(screen).cursor_key == made.id
        row = table(screen).current_row()
        assert row is not None and row.values[0] == made.refund_number
        assert "Draft" in row.values and "300.00" in row.values
        assert "1 Draft 2" in text_of(screen, "#status-counts")


async def test_new_overpayment_refund_and_an_unknown_customer(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    who = customer(db, name="Beta KK")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        form = await open_new_refund(app, pilot, "NOPE-1")
        assert label_text(form, "#error-customer") == "no customer NOPE-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        await type_into(pilot, form.query_one("#customer", Input), who.account_number)
        await pilot.press("enter")
        await pilot.pause()
        assert label_text(form, "#error-customer") == ""
        assert options(form.query_one("#source_document", Select)) == ["overpayment"]
        await type_into(pilot, form.query_one("#currency", Input), "JPY")
        await type_into(pilot, form.query_one("#amount", Input), "12.5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "JPY" in label_text(form, "#error-amount")
        await type_into(pilot, form.query_one("#amount", Input), "5000")
        form.query_one("#payment_method", Select).value = "Cheque"
        form.query_one("#refund_account", Select).value = "Main"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        [row] = rows(screen)
        assert (row["customer"], row["amount"], row["currency"], row["status"]) == (
            "Beta KK", "5,000", "JPY", "Draft",
        )  # fmt: skip
        assert (row["payment_method"], row["refund_account"]) == ("Cheque", "Main")
        made = RefundRepository(db).by_number(row["refund_number"])
        assert made is not None and made.source_document_id is None
        assert [x.description for x in RefundRepository(db).lines(made.id)] == [
            "Overpayment refund"
        ]


async def menu_pick(app: XoroApp, pilot, hint: str, menu_key: str = "m") -> None:
    from xoro_tui.widgets.row_menu import RowMenu

    await pilot.press(menu_key)
    await pilot.pause()
    menu = app.screen.query_one(RowMenu)
    assert menu.is_open
    await pilot.press(hint)
    await pilot.pause()


@pytest.mark.parametrize("menu_key", ["m", "f16", "f20", "f22"])
async def test_row_menu_opens_with_every_menu_key(db, db_path, repo, menu_key: str) -> None:
    from xoro_tui.widgets.row_menu import RowMenu

    refund = new_refund(repo, customer(db).id)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press(menu_key)
        await pilot.pause()
        menu = screen.query_one(RowMenu)
        assert menu.is_open and menu.row_key == refund.id
        assert [e.label for e in menu.entries] == [
            "View Refund Receipt",
            "Update Refund",
            "Print Refund Customer Deposit",
            "Print Cheque",
            "Void Cheque",
            "Void",
            "Cheque Register",
            "Customer Info",
        ]
        assert refund.refund_number in screen_lines(menu)[0]
        await pilot.press("escape")
        await pilot.pause()
        assert not menu.is_open


async def test_view_refund_receipt(db, db_path, repo) -> None:
    from xoro_tui.screens.refunds.receipt_view import RefundReceipt
    from xoro_tui.screens.refunds.refund_form import RefundForm

    who = customer(db, name="Alpha Ltd")
    dep = deposit(db, who.id, total=50000)
    refund = new_refund(repo, who.id, source_document_id=dep.id, amount=12550,
                        payment_method="Cheque", refund_account="Main", memo="Back to you")  # fmt: skip
    refund = printed_cheque(db, repo, refund, book=4242)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await menu_pick(app, pilot, "v")
        receipt = app.screen
        assert isinstance(receipt, RefundReceipt)
        text = text_of(receipt, "#receipt")
        for expected in (
            f"Refund Receipt {refund.refund_number}",
            f"Customer         Alpha Ltd ({who.account_number})",
            "Date             2024-05-01",
            "Status           Printed",
            "Payment method   Cheque",
            "Refund account   Main",
            "Cheque number    4242",
            "Memo             Back to you",
            f"Refunds Customer Deposit {dep.number} of 2024-05-01",
            "Original total   500.00 USD",
            "Remaining        374.50 USD",
            f"1. Refund of {dep.number}",
            "125.50 USD",
            "Change history",
            "cheque_number: ∅ → 4242",
        ):
            assert expected in text, expected
        # created, sent for approval, approved, cheque printed, print confirmed
        assert text.count(f"refunds  {refund.refund_number}") == 5
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefundReceipt)
        await pilot.press("u")  # the receipt's own keys act on its refund
        await pilot.pause()
        assert isinstance(app.screen, RefundForm) and app.screen.refund_id == refund.id


async def open_form(app: XoroApp, pilot):
    from xoro_tui.screens.refunds.refund_form import RefundForm

    await menu_pick(app, pilot, "u")
    form = app.screen
    assert isinstance(form, RefundForm)
    return form


async def test_update_refund_in_the_pop_up_form(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    who = customer(db, name="Alpha Ltd")
    refund = new_refund(repo, who.id, amount=10000)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        form = await open_form(app, pilot)
        assert f"Update Refund {refund.refund_number} — Alpha Ltd" in str(
            form.query_one(Static).render()
        )
        status = form.query_one("#status", Select)
        assert options(status) == ["Draft", "Pending Approval", "Voided"]
        assert not form.query_one("#amount", Input).disabled
        await type_into(pilot, form.query_one("#amount", Input), "88.5")
        await type_into(pilot, form.query_one("#memo", Input), "Goodwill")
        await type_into(pilot, form.query_one("#refund_date", Input), "2024-05-02")
        status.value = "Pending Approval"
        form.query_one("#refund_account", Select).value = "Main"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        saved = RefundRepository(db).get(refund.id)
        assert (saved.amount, saved.memo, saved.status, saved.refund_account) == (
            8850, "Goodwill", S.PENDING_APPROVAL, "Main",
        )  # fmt: skip
        assert saved.refund_date == dt.date(2024, 5, 2)
        [row] = rows(screen)
        assert (row["amount"], row["status"], row["refund_account"]) == (
            "88.50", "Pending Approval", "Main",
        )  # fmt: skip
        assert "2 Pending Approval 1" in text_of(screen, "#status-counts")
        assert f"Saved {refund.refund_number}" in notes(app)


async def test_amount_is_fixed_once_approved(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    refund = move(repo, new_refund(repo, customer(db).id), S.PENDING_APPROVAL, S.APPROVED)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        assert form.query_one("#amount", Input).disabled
        assert "(fixed once approved)" in label_text(form, "#row-amount Label")
        assert options(form.query_one("#status", Select)) == ["Approved", "Issued", "Voided"]
        await pilot.press("escape")
        await pilot.pause()
        assert RefundRepository(db).get(refund.id).version == refund.version


async def test_a_cheque_number_is_never_typed_in_the_form(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    who = customer(db)
    refund = new_refund(repo, who.id, payment_method="Cheque", refund_account="Main")
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert table(screen).cursor_key == refund.id  # newest first
        form = await open_form(app, pilot)
        assert form.query_one("#cheque_number", Input).disabled
        status = form.query_one("#status", Select)
        assert options(status) == ["Approved", "Printed", "Voided"]
        status.value = "Printed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert label_text(form, "#error-cheque_number") == (
            "a cheque refund needs its cheque number from Printed on: print its cheque to take "
            "the next number from the account's cheque register"
        )
        await pilot.press("escape")  # the status was changed: Discard it
        await settle(app, pilot)
        assert form.unsaved_prompt.asks_unsaved
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is screen
        saved = RefundRepository(db).get(refund.id)
        assert (saved.status, saved.cheque_number) == (S.APPROVED, None)


async def test_a_stale_save_is_refused_with_what_changed_and_reloads(db, db_path, repo) -> None:
    from textual.widgets import Input, Select

    refund = new_refund(repo, customer(db).id, memo="Old memo")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        form = await open_form(app, pilot)
        RefundRepository(db, user="someone").update(
            refund.id, refund.version, RefundUpdate(memo="Their memo")
        )
        await type_into(pilot, form.query_one("#reference", Input), "MINE-1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        conflict = form.query_one("#conflict")
        assert conflict.display
        words = label_text(form, "#conflict")
        assert "changed by someone else" in words
        assert "someone" in words and "Old memo" in words and "Their memo" in words
        assert "ctrl+r reloads" in words
        assert RefundRepository(db).get(refund.id).reference is None
        await pilot.press("ctrl+r")
        await pilot.pause()
        fresh = app.screen
        assert fresh is not form
        assert fresh.query_one("#memo", Input).value == "Their memo"
        assert fresh.query_one("#reference", Input).value == ""
        await type_into(pilot, fresh.query_one("#reference", Input), "MINE-1")
        fresh.query_one("#status", Select).value = "Pending Approval"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RefundCentre)
        saved = RefundRepository(db).get(refund.id)
        assert (saved.memo, saved.reference, saved.status) == (
            "Their memo", "MINE-1", S.PENDING_APPROVAL,
        )  # fmt: skip
        assert rows(screen)[0]["status"] == "Pending Approval"
        assert f"Saved {refund.refund_number}" in notes(app)


async def test_void_asks_for_a_reason_and_keeps_the_refund_out_of_totals(db, db_path, repo) -> None:
    from textual.widgets import Input

    from xoro_tui.screens.refunds.refund_dialogs import AskText

    who = customer(db)
    dep = deposit(db, who.id, total=50000)
    new_refund(repo, who.id, amount=2000, refund_date="2024-01-01")
    refund = new_refund(repo, who.id, source_document_id=dep.id, amount=30000)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert text_of(screen, "#totals") == "Totals (voided left out): USD 320.00 (2)"
        assert table(screen).cursor_key == refund.id
        await menu_pick(app, pilot, "x")
        ask = app.screen
        assert isinstance(ask, AskText)
        assert f"Why void {refund.refund_number}?" in label_text(ask, "#row-void_reason Label")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is ask
        assert label_text(ask, "#error-void_reason") == "missing"
        await type_into(pilot, ask.query_one(Input), "Customer kept the goods")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        voided = RefundRepository(db).get(refund.id)
        assert (voided.status, voided.void_reason) == (S.VOIDED, "Customer kept the goods")
        assert len(rows(screen)) == 2
        assert table(screen).current_row().values[5] == "Voided"
        assert text_of(screen, "#totals") == "Totals (voided left out): USD 20.00 (1)"
        assert "7 Voided 1" in text_of(screen, "#status-counts")
        assert DocumentRepository(db).remaining(dep.id) == 50000
        await menu_pick(app, pilot, "x")  # a second void is refused before any question
        assert app.screen is screen
        assert f"{refund.refund_number} is already voided" in notes(app)


async def test_customer_info_of_the_refunds_customer(db, db_path, repo) -> None:
    from xoro_tui.screens.customers.customer_info import CustomerInfo

    new_refund(repo, customer(db, name="Someone Else").id, refund_date="2024-01-01")
    who = customer(db, name="Alpha Ltd")
    new_refund(repo, who.id)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await menu_pick(app, pilot, "i")
        await pilot.pause()
        info = app.screen
        assert isinstance(info, CustomerInfo)
        assert info.customer_id == who.id
        assert info.title == "Customer Info — Alpha Ltd"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


async def printed(app: XoroApp, pilot):
    from xoro_tui.screens.dialogs.print_dialog import PrintDialog

    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, PrintDialog), notes(app)
    assert dialog.path.is_file()
    return dialog


@pytest.fixture
def no_lpstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with neither lpstat nor lp on it."""
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    return bare


async def print_listed(app: XoroApp, pilot) -> list[str]:
    """The batch listed before printing: its lines, then Print (ctrl+s)."""
    from xoro_tui.screens.refunds.cheque_dialogs import ChequeBatchDialog

    await settle(app, pilot)
    batch = app.screen
    assert isinstance(batch, ChequeBatchDialog), notes(app)
    lines = [str(w.render()) for w in batch.query(".batch-row")]
    await pilot.press("ctrl+s")
    return lines


async def test_print_cheque_takes_the_next_number_and_a_second_print_is_a_reprint(
    db, db_path, repo, no_lpstat
) -> None:
    from xoro_tui.screens.refunds.cheque_dialogs import ConfirmChequesDialog

    who = customer(db, name="Alpha Ltd")
    refund = new_refund(repo, who.id, amount=12345, payment_method="Cheque", refund_account="Main")
    refund = move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await menu_pick(app, pilot, "c")
        [line] = await print_listed(app, pilot)
        assert refund.refund_number in line and "new cheque, next number 1001" in line
        dialog = await printed(app, pilot)
        assert dialog.path.parent == Path(os.environ["XORO_TUI_EXPORTS"])
        [page] = pdf_text(dialog.path)
        assert "Alpha Ltd" in page and "1001" in page and "123.45" in page
        assert "REPRINT" not in page
        assert str(dialog.path) in str(dialog.query_one(Static).render())
        saved = RefundRepository(db).get(refund.id)  # awaiting confirmation: still Approved
        assert (saved.status, saved.cheque_number, saved.print_count) == (S.APPROVED, 1001, 1)
        assert RefundRepository(db).refund_accounts()[0][3] == 1002
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmChequesDialog)
        await pilot.press("ctrl+s")  # every cheque printed correctly
        await settle(app, pilot)
        assert app.screen is screen
        assert RefundRepository(db).get(refund.id).status is S.PRINTED
        assert table(screen).current_row().values[5:8] == ("Printed", "Cheque", "1001")
        await menu_pick(app, pilot, "c")
        [line] = await print_listed(app, pilot)
        assert "reprint of cheque 1001" in line
        first_path = dialog.path
        dialog = await printed(app, pilot)
        assert dialog.path != first_path and first_path.is_file()
        [page] = pdf_text(dialog.path)
        assert "REPRINT" in page and "1001" in page
        assert RefundRepository(db).get(refund.id).print_count == 2
        assert RefundRepository(db).refund_accounts()[0][3] == 1002
        log = db.conn.execute("SELECT cheque_number, reprint FROM print_log ORDER BY id")
        assert log.fetchall() == [(1001, 0), (1001, 1)]


async def test_print_refund_customer_deposit(db, db_path, repo, no_lpstat) -> None:
    who = customer(db, name="Alpha Ltd")
    dep = deposit(db, who.id, total=50000)
    refund = new_refund(repo, who.id, source_document_id=dep.id, amount=20000)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(app, pilot)
        await menu_pick(app, pilot, "p")
        dialog = await printed(app, pilot)
        text = "\n".join(pdf_text(dialog.path))
        for expected in (refund.refund_number, dep.number, "Alpha Ltd", "200.00", "300.00"):
            assert expected in text, expected
        assert RefundRepository(db).get(refund.id).version == refund.version


async def test_checked_refunds_print_their_cheques_into_one_pdf(
    db, db_path, repo, no_lpstat
) -> None:
    first, second, skipped = (customer(db, name=n) for n in ("Alpha Ltd", "Beta KK", "Gamma"))
    for who in (first, second):
        refund = new_refund(repo, who.id, payment_method="Cheque", refund_account="Main")
        move(repo, refund, S.PENDING_APPROVAL, S.APPROVED)
    draft = new_refund(repo, skipped.id, payment_method="Cheque", refund_account="Main")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        assert "3 checked" in text_of(screen, "#status")
        await pilot.press("P")
        lines = await print_listed(app, pilot)
        # the list's sort order (newest first), the Draft listed as not printing
        assert len(lines) == 3 and "not printed: Draft" in lines[0]
        assert "Beta KK" in lines[1] and "new cheque, next number 1001" in lines[1]
        assert "Alpha Ltd" in lines[2] and "new cheque, next number 1002" in lines[2]
        dialog = await printed(app, pilot)
        pages = pdf_text(dialog.path)
        assert len(pages) == 2
        assert {("Alpha Ltd" in p, "Beta KK" in p) for p in pages} == {(True, False), (False, True)}
        assert {"1001", "1002"} == {n for n in ("1001", "1002") for p in pages if n in p}
        assert any(draft.refund_number in n and "Draft" in n for n in dialog.notes)
        assert RefundRepository(db).refund_accounts()[0][3] == 1003


def fake_command(folder: Path, name: str, output: str, status: int = 0) -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' '{output}'\nexit {status}\n")
    script.chmod(0o755)


async def open_print_dialog(app: XoroApp, pilot, tmp_path: Path):
    from xoro_tui.screens.dialogs.print_dialog import PrintDialog

    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    dialog = PrintDialog(pdf, "Cheques", ["not printed: RF-000009: Draft"])
    await app.push_screen(dialog)
    await settle(app, pilot)
    assert app.screen is dialog
    return dialog


@pytest.mark.parametrize("lpstat", ["missing", "failing"])
async def test_print_dialog_without_a_working_lpstat(db, db_path, tmp_path, no_lpstat, lpstat):
    from textual.widgets import Button, Select

    if lpstat == "failing":
        fake_command(no_lpstat, "lpstat", "lpstat: Bad file descriptor", status=1)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_print_dialog(app, pilot, tmp_path)
        select = dialog.query_one("#printer", Select)
        assert options(select) == []
        assert "no printers known to the server" in str(select.prompt)
        assert dialog.query_one("#print", Button).disabled
        assert "scp " in text_of(dialog, "#scp") and "x.pdf" in text_of(dialog, "#scp")
        assert any("RF-000009" in str(s.render()) for s in dialog.query(".note"))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, type(dialog))


async def test_print_dialog_sends_the_pdf_to_a_printer_lpstat_lists(
    db, db_path, tmp_path, no_lpstat
) -> None:
    from textual.widgets import Button, Select

    fake_command(no_lpstat, "lpstat", "Office accepting requests since Mon 01 Jan 2024")
    fake_command(no_lpstat, "lp", "request id is Office-7 (1 file(s))")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_print_dialog(app, pilot, tmp_path)
        select = dialog.query_one("#printer", Select)
        assert options(select) == ["Office"]
        assert not dialog.query_one("#print", Button).disabled
        select.value = "Office"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert label_text(dialog, "#result") == (
            "sent x.pdf to Office (request id is Office-7 (1 file(s)))"
        )


@pytest.fixture
def roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """root is an admin, alice and bob approvers, carl a clerk."""
    from xoro_tui.data.store.users import UserRepository

    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    users = UserRepository(db)
    users.add("root", "admin")
    for name, role in (("alice", "approver"), ("bob", "approver"), ("carl", "clerk")):
        users.add(name, role)


def act_as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setattr(clock_module, "os_user", lambda: user)
    monkeypatch.setattr(users_module, "os_user", lambda: user)


async def test_four_eyes_the_creator_cannot_approve_an_approver_can(
    db, db_path, repo, roles, monkeypatch
) -> None:
    from textual.widgets import Select

    mine = RefundRepository(db, user="alice")
    refund = move(mine, new_refund(mine, customer(db).id), S.PENDING_APPROVAL)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        act_as(monkeypatch, "alice")
        screen = await open_centre(app, pilot)
        assert "single-user mode" not in text_of(screen, "#status")
        form = await open_form(app, pilot)
        assert options(form.query_one("#status", Select)) == [
            "Pending Approval", "Draft", "Voided",
        ]  # fmt: skip
        await pilot.press("escape")
        await pilot.pause()
        act_as(monkeypatch, "carl")  # a clerk: no approving and no voiding
        form = await open_form(app, pilot)
        assert options(form.query_one("#status", Select)) == ["Pending Approval", "Draft"]
        await pilot.press("escape")
        await pilot.pause()
        await menu_pick(app, pilot, "x")
        assert app.screen is screen
        assert any("voiding needs the approver role (carl is a clerk)" in n for n in notes(app))
        act_as(monkeypatch, "bob")
        form = await open_form(app, pilot)
        status = form.query_one("#status", Select)
        assert options(status) == ["Pending Approval", "Approved", "Draft", "Voided"]
        status.value = "Approved"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        saved = RefundRepository(db).get(refund.id)
        assert (saved.status, saved.approved_by, saved.created_by) == (S.APPROVED, "bob", "alice")
        assert rows(screen)[0]["status"] == "Approved"


async def test_single_user_mode_is_named_on_the_status_line(db, db_path, repo, monkeypatch) -> None:
    from textual.widgets import Select

    refund = move(repo, new_refund(repo, customer(db).id), S.PENDING_APPROVAL)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        act_as(monkeypatch, "me")
        screen = await open_centre(app, pilot)
        assert text_of(screen, "#status") == (
            "1 of 1 refunds · single-user mode: no roles configured, everyone may do everything"
        )
        form = await open_form(app, pilot)  # the creator may approve: there are no roles
        assert "Approved" in options(form.query_one("#status", Select))
        assert RefundRepository(db).get(refund.id).created_by == "me"


HOSTILE = "[red]Evil[/] $x"


async def test_hostile_customer_names_are_shown_literally(db, db_path, repo) -> None:
    from xoro_tui.screens.customers.customer_info import CustomerInfo

    who = customer(db, name=HOSTILE)
    refund = new_refund(repo, who.id, memo="[b]memo[/b]", reference="[@click=app.quit]r[/]",
                        payment_method="Cheque", refund_account="Main")  # fmt: skip
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        assert any(HOSTILE in line for line in screen_lines(table(screen)))
        await type_into(pilot, screen.query_one("#search-input"), "evil")
        await settle(app, pilot)
        assert [r["customer"] for r in rows(screen)] == [HOSTILE]
        await pilot.press("escape")
        await menu_pick(app, pilot, "v")
        receipt = text_of(app.screen, "#receipt")
        for literal in (HOSTILE, "[b]memo[/b]", "[@click=app.quit]r[/]"):
            assert literal in receipt
        await pilot.press("escape")
        await pilot.pause()
        form = await open_form(app, pilot)
        assert f"Update Refund {refund.refund_number} — {HOSTILE}" in str(
            form.query_one(Static).render()
        )
        await pilot.press("escape")
        await pilot.pause()
        await menu_pick(app, pilot, "i")
        assert isinstance(app.screen, CustomerInfo)
        assert app.screen.title == f"Customer Info — {HOSTILE}"
        await pilot.press("escape")
        await pilot.pause()
        form = await open_new_refund(app, pilot, who.account_number)
        assert label_text(form, "#customer-name") == HOSTILE
        assert app.is_running


async def test_voiding_in_the_form_needs_a_reason_and_keeps_the_other_edits(
    db, db_path, repo
) -> None:
    from textual.widgets import Input, Select

    refund = new_refund(repo, customer(db).id)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_centre(app, pilot)
        form = await open_form(app, pilot)
        form.query_one("#status", Select).value = "Voided"
        await type_into(pilot, form.query_one("#memo", Input), "Sent twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert label_text(form, "#error-void_reason") == "missing"
        await type_into(pilot, form.query_one("#void_reason", Input), "Duplicate")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        saved = RefundRepository(db).get(refund.id)
        assert (saved.status, saved.void_reason, saved.memo) == (
            S.VOIDED,
            "Duplicate",
            "Sent twice",
        )
        assert text_of(screen, "#totals") == "Totals: none"


async def test_a_slow_lpstat_does_not_hold_up_the_print_dialog(
    db, db_path, tmp_path, no_lpstat
) -> None:
    from textual.widgets import Select

    from xoro_tui.screens.dialogs.print_dialog import PrintDialog

    script = no_lpstat / "lpstat"
    answer = tmp_path / "answer"  # lpstat answers once this exists, however loaded the machine
    script.write_text(
        f"#!/bin/sh\nwhile [ ! -e '{answer}' ]; do /bin/sleep 0.05; done\n"
        "echo 'Slow accepting requests'\n"
    )
    script.chmod(0o755)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    app = XoroApp(db, db_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            dialog = PrintDialog(pdf, "Cheques")
            await app.push_screen(dialog)
            await pilot.pause()
            assert app.screen is dialog
            assert "looking for printers" in str(dialog.query_one("#printer", Select).prompt)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, PrintDialog)
    finally:
        answer.touch()
