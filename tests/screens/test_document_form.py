"""The document and deposit forms: defaults, live totals, errors on the field, save, cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Label, Select, Static

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import Document, DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.customers.document_form import MIN_LINES, DepositForm, DocumentForm


def count_documents(db) -> int:
    return db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]


async def open_form(app: XoroApp, pilot, form, results: list) -> None:
    await pilot.pause()
    await app.push_screen(form, results.append)
    await pilot.pause()


async def fill(pilot, form, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        form.query_one(f"#{field_id}", Input).value = value
    await pilot.pause()


def error(form, key: str) -> str | None:
    """The text of a shown error label, None when it is hidden."""
    label = form.query_one(f"#error-{key}", Label)
    assert "error" in label.classes
    return str(label.render()) if label.display else None


def amount(form, n: int) -> str:
    return str(form.query_one(f"#line-{n}-amount", Static).render())


def total(form) -> str:
    return str(form.query_one("#total", Static).render())


async def test_defaults_come_from_the_customer(db, db_path: Path) -> None:
    c = customer(db, name="Gamma [b]Co", payment_terms="Net 30", ship_to_line1="1 High St")
    site = CustomerRepository(db).sites(c.id)[0]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DocumentForm(c.id, DocumentType.SALES_ORDER)
        await open_form(app, pilot, form, [])
        assert "Customer: Gamma [b]Co" in str(form.query_one("#customer", Static).render())
        assert form.query_one("#date", Input).value == dt.date.today().isoformat()
        assert form.query_one("#currency", Input).value == "USD"
        assert form.query_one("#terms", Input).value == "Net 30"
        assert form.query_one("#site", Select).value == site.id
        assert form.query("#line-5-item") and not form.query("#line-6-item")
        assert all(not i.cursor_blink for i in form.query(Input))
        assert form.query_one("#line-1-item", Input).has_focus
        assert total(form) == "Total: 0.00 USD"


async def test_the_form_stylesheet_resolves() -> None:
    for screen in (CustomerInfo(1), DocumentForm(1, DocumentType.INVOICE), DepositForm(1)):
        assert screen.css_path and all(Path(p).is_file() for p in screen.css_path)


async def test_amounts_and_total_follow_the_currency_live(db, db_path: Path) -> None:
    c = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DocumentForm(c.id, DocumentType.ESTIMATE)
        await open_form(app, pilot, form, [])
        await pilot.press(*"Bolt", "tab", "tab", *"3", "tab", *"1234.5")
        await pilot.pause()
        assert amount(form, 1) == "3,703.50"
        await fill(pilot, form, {"line-2-rate": "0.333", "line-2-quantity": "1"})
        assert amount(form, 2) == "?"
        assert total(form) == "Total: 3,703.50 USD"
        await fill(pilot, form, {"currency": "jpy", "line-1-rate": "1000", "line-2-rate": "7"})
        assert (amount(form, 1), amount(form, 2)) == ("3,000", "7")
        assert total(form) == "Total: 3,007 JPY"
        await fill(pilot, form, {"currency": "KWD", "line-2-rate": "0.333"})
        assert total(form) == "Total: 3,000.333 KWD"


async def test_an_invalid_quantity_or_rate_shows_on_the_line_and_saves_nothing(
    db, db_path: Path
) -> None:
    c = customer(db)
    results: list[Document | None] = []
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DocumentForm(c.id, DocumentType.INVOICE)
        await open_form(app, pilot, form, results)
        await fill(
            pilot,
            form,
            {
                "line-1-item": "A",
                "line-1-quantity": "two",
                "line-1-rate": "5",
                "line-3-item": "B",
                "line-3-rate": "1.234",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and results == []
        assert error(form, "line-1-quantity") == "Qty: 'two' is not a number"
        assert error(form, "line-3-rate") == "Rate: 1.234 has more decimals than USD allows (2)"
        assert error(form, "line-1-rate") is None and error(form, "line-2-quantity") is None
        assert count_documents(db) == 0

        await fill(pilot, form, {"line-1-quantity": "-1", "line-3-rate": "1.23"})
        # a shown error follows the edit at once: the new reason, or gone when valid
        assert "from 0 to" in (error(form, "line-1-quantity") or "")
        assert error(form, "line-3-rate") is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "from 0 to" in (error(form, "line-1-quantity") or "")
        assert error(form, "line-3-rate") is None
        assert count_documents(db) == 0

        await fill(pilot, form, {"line-1-quantity": "1.5"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(results) == 1 and results[0] is not None
    saved = results[0]
    assert (saved.number, saved.total, saved.balance) == ("INV-000001", 873, 873)
    lines = DocumentRepository(db).lines(saved.id)
    assert [(ln.item, ln.quantity, ln.rate, ln.amount) for ln in lines] == [
        ("A", "1.5", 500, 750),
        ("B", "1", 123, 123),
    ]


async def test_header_errors_and_an_empty_form(db, db_path: Path) -> None:
    c = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DocumentForm(c.id, DocumentType.INVOICE)
        await open_form(app, pilot, form, [])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "lines") == "fill in at least one line"
        await fill(pilot, form, {"date": "31/05/2024", "currency": "XYZ", "line-1-rate": "1"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "lines") is None
        assert error(form, "date") == "not a date: write a date like 2026-11-23"
        assert "ISO 4217" in (error(form, "currency") or "")
        card = "4111 1111 1111 1111"
        await fill(
            pilot, form, {"date": "2024-05-31", "currency": "EUR", "line-1-description": card}
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "card number" in (error(form, "line-1-description") or "")
        assert app.screen is form and count_documents(db) == 0


async def test_add_line_and_save_with_terms_and_site(db, db_path: Path) -> None:
    c = customer(db, payment_terms="Net 30", ship_to_city="Leeds")
    site = CustomerRepository(db).sites(c.id)[0]
    results: list[Document | None] = []
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DocumentForm(c.id, DocumentType.SALES_RECEIPT)
        await open_form(app, pilot, form, results)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert form.query_one(f"#line-{MIN_LINES + 1}-item", Input).has_focus
        assert not form.query_one(f"#line-{MIN_LINES + 1}-rate", Input).cursor_blink
        await pilot.press(*"Extra", "tab", "tab", "tab", *"2.00")
        await fill(pilot, form, {"memo": "thanks [/]", "terms": "Due on receipt"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = results[0]
    assert saved is not None
    assert (saved.number, saved.total, saved.balance, saved.status) == (
        "SR-000001",
        200,
        0,
        "Paid",
    )
    assert (saved.terms, saved.memo) == ("Due on receipt", "thanks [/]")
    row = db.conn.execute("SELECT site_id FROM documents WHERE id = ?", (saved.id,)).fetchone()
    assert row[0] == site.id


async def test_escape_and_ctrl_g_cancel(db, db_path: Path) -> None:
    c = customer(db)
    results: list[Document | None] = []
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("escape", "ctrl+g"):
            form = DocumentForm(c.id, DocumentType.INVOICE)
            await open_form(app, pilot, form, results)
            await fill(pilot, form, {"line-1-rate": "5"})
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is form and form.unsaved_prompt.asks_unsaved
            await pilot.press("d")
            await pilot.pause()
            assert app.screen is not form
    assert results == [None, None]
    assert count_documents(db) == 0


async def test_deposit_form_checks_the_amount(db, db_path: Path) -> None:
    c = customer(db)
    results: list[Document | None] = []
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DepositForm(c.id)
        await open_form(app, pilot, form, results)
        assert form.query_one("#amount", Input).has_focus
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "amount") == "an amount is required"
        await fill(pilot, form, {"amount": "0"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "amount") == "an amount above zero"
        await fill(pilot, form, {"amount": "12.345"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "more decimals" in (error(form, "amount") or "")
        assert count_documents(db) == 0
        form.query_one("#method", Select).value = "Bank Transfer"
        await fill(pilot, form, {"amount": "12.34", "currency": "gbp"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = results[0]
    assert saved is not None
    assert (saved.number, saved.doc_type, saved.total, saved.currency, saved.method) == (
        "DEP-000001",
        DocumentType.CUSTOMER_DEPOSIT,
        1234,
        "GBP",
        "Bank Transfer",
    )


async def test_credit_memo_has_no_method(db, db_path: Path) -> None:
    c = customer(db)
    results: list[Document | None] = []
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = DepositForm(c.id, DocumentType.CREDIT_MEMO)
        await open_form(app, pilot, form, results)
        assert not form.query("#method")
        await fill(pilot, form, {"amount": "7"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = results[0]
    assert saved is not None
    assert (saved.number, saved.total, saved.method) == ("CM-000001", 700, None)
