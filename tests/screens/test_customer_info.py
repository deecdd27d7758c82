"""Customer Info: the summary, the four tabs, and documents created from it by key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Input, Static, TabbedContent
from textual.widgets._header import HeaderTitle

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import DocumentIn, LineIn, RefundIn
from xoro_tui.data.refunds.refund_writes import upsert_refund
from xoro_tui.data.store.connection import write_tx
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.customers.document_form import DepositForm, DocumentForm

TODAY = dt.date(2024, 5, 31)


def document(db, customer_id: int, doc_type: DocumentType, **fields) -> object:
    data = {"doc_type": doc_type, "customer_id": customer_id, "doc_date": TODAY, **fields}
    return DocumentRepository(db).create(DocumentIn(**data))


def summary_text(screen: CustomerInfo) -> str:
    return str(screen.query_one("#summary", Static).render())


def rows(screen: CustomerInfo, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", DataTable)
    out = []
    for index in range(table.row_count):
        cells = table.get_row_at(index)
        assert all(isinstance(c, Text) for c in cells), "cells must be Text, never markup str"
        out.append([c.plain for c in cells])
    return out


async def open_info(app: XoroApp, pilot, customer_id: int) -> CustomerInfo:
    await pilot.pause()
    screen = CustomerInfo(customer_id)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def fill(pilot, form, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        form.query_one(f"#{field_id}", Input).value = value
    await pilot.pause()


async def test_shows_the_tabs_and_the_summary_per_currency(db, db_path: Path) -> None:
    c = customer(db, name="Alpha Ltd")
    line = LineIn(item="Widget", quantity="2", rate=61725)
    document(db, c.id, DocumentType.INVOICE, lines=[line])
    document(db, c.id, DocumentType.ESTIMATE, lines=[line])
    document(db, c.id, DocumentType.CUSTOMER_DEPOSIT, total=5000)
    document(db, c.id, DocumentType.CUSTOMER_DEPOSIT, currency="JPY", total=250000)
    document(db, c.id, DocumentType.CREDIT_MEMO, currency="KWD", total=1500)
    with write_tx(db) as conn:
        refund = RefundIn(
            refund_number="RF-000001",
            customer_account_number=c.account_number,
            refund_date="2024-06-01",
            amount="20.00",
            currency="USD",
            status="Issued",
            payment_method="Cheque",
            source_document="DEP-000001",
        )
        upsert_refund(conn, refund)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, c.id)
        assert screen.title == "Customer Info — Alpha Ltd"
        palette = [cmd.title for cmd in app.get_system_commands(screen)]
        assert {"Create Invoice", "Record Deposit", "Record Credit Memo"} <= set(palette)
        tabs = screen.query_one(TabbedContent)
        labels = [str(tabs.get_tab(p.id).label) for p in tabs.query("TabPane")]
        assert labels == ["Transactions", "Order History", "Invoices", "Communications"]
        text = summary_text(screen)
        assert "Open balance: 1,234.50 USD" in text
        assert "Deposits: 250,000 JPY, 30.00 USD" in text
        assert "Credits: 1.500 KWD" in text
        assert "Refunds: 20.00 USD" in text
        numbers = [r[2] for r in rows(screen, "transactions")]
        # newest first; on one day by number
        assert numbers == [
            "RF-000001", "INV-000001", "EST-000001", "DEP-000002", "DEP-000001", "CM-000001"
        ]  # fmt: skip
        assert [r[2] for r in rows(screen, "orders")] == ["EST-000001"]
        assert rows(screen, "invoices")[0][:5] == [
            "2024-05-31",
            "INV-000001",
            "USD",
            "1,234.50",
            "1,234.50",
        ]


async def test_an_invoice_made_with_the_form_shows_at_once(db, db_path: Path) -> None:
    c = customer(db, name="Beta GmbH", payment_terms="Net 30")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, c.id)
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm)
        await pilot.press(*"Widget", "tab", *"Blue", "tab", "3", "tab", *"99.99")
        await pilot.pause()
        assert str(form.query_one("#total", Static).render()) == "Total: 299.97 USD"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        invoice = rows(screen, "invoices")[0]
        assert invoice[1] == "INV-000001"
        assert invoice[3:7] == ["299.97", "299.97", "Open", "Net 30"]
        tx = rows(screen, "transactions")[0]
        assert tx[1:6] == ["Invoice", "INV-000001", "USD", "299.97", "299.97"]
        assert "Open balance: 299.97 USD" in summary_text(screen)


async def test_each_type_is_numbered_from_its_own_sequence(db, db_path: Path) -> None:
    c = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, c.id)
        for key in ("e", "i", "o", "s", "i"):
            await pilot.press(key)
            await pilot.pause()
            await fill(pilot, app.screen, {"line-1-item": "Thing", "line-1-rate": "10"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is screen
        assert {r[2] for r in rows(screen, "orders")} == {"EST-000001", "SO-000001"}
    repo = DocumentRepository(db)
    for number in ("EST-000001", "INV-000001", "INV-000002", "SO-000001", "SR-000001"):
        assert repo.by_number(number) is not None, number
    assert repo.by_number("EST-000002") is None


async def test_a_recorded_deposit_shows_in_the_summary(db, db_path: Path) -> None:
    c = customer(db, default_payment_method="ACH")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, c.id)
        assert "Deposits: 0" in summary_text(screen)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DepositForm)
        await pilot.press(*"250.00")
        await fill(pilot, form, {"reference": "BACS 991"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Deposits: 250.00 USD" in summary_text(screen)
        assert rows(screen, "transactions")[0][1:4] == ["Customer Deposit", "DEP-000001", "USD"]
    deposit = DocumentRepository(db).by_number("DEP-000001")
    assert deposit is not None
    assert (deposit.total, deposit.method, deposit.reference) == (25000, "ACH", "BACS 991")
    assert DocumentRepository(db).refundable(c.id)[0][1] == 25000


async def test_a_credit_memo_shows_in_the_summary(db, db_path: Path) -> None:
    c = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_info(app, pilot, c.id)
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, app.screen, {"currency": "jpy", "amount": "5000"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Credits: 5,000 JPY" in summary_text(screen)


async def test_markup_and_escapes_in_data_display_literally(db, db_path: Path) -> None:
    c = customer(db, name="Smith [/] Ltd")
    doc = document(db, c.id, DocumentType.INVOICE, lines=[LineIn(item="[bold]x", rate=100)])
    # Older data (an import from before validation) can hold what the forms now refuse.
    db.conn.execute("UPDATE documents SET memo = ? WHERE id = ?", ("red \x1b[31m [/b]", doc.id))
    db.conn.execute(
        "INSERT INTO communications(customer_id, kind, subject, created_by, created_at)"
        " VALUES (?, 'note', ?, ?, '2024-05-31T10:00:00')",
        (c.id, "[link=http://x]y[/link] \x1b[2J", "[i]clerk"),
    )
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_info(app, pilot, c.id)
        assert screen.title == "Customer Info — Smith [/] Ltd"
        assert rows(screen, "transactions")[0][-1] == "red ␛[31m [/b]"
        assert rows(screen, "invoices")[0][-1] == "red ␛[31m [/b]"
        await pilot.press("4")
        await pilot.pause()
        note = rows(screen, "communications")[0]
        assert note == ["2024-05-31 10:00", "Note", "[link=http://x]y[/link] ␛[2J", "[i]clerk", ""]
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm)
        assert "Customer: Smith [/] Ltd" in str(form.query_one("#customer", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        header = str(screen.query_one(HeaderTitle).render())
        assert header.startswith("Customer Info — Smith [/] Ltd")


async def test_escape_and_q_go_back(db, db_path: Path) -> None:
    c = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("escape", "q"):
            await open_info(app, pilot, c.id)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CustomerCentre)
