"""Undo merge from the primary's Customer Info: the moved rows and the secondaries come back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.merge import merge
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import DocumentIn
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.lists.results_screen import ResultsScreen


async def test_undo_merge_from_customer_info(db, db_path: Path) -> None:
    primary = customer(db, name="Acme Trading Ltd")
    secondary = customer(db, name="ACME Trading Limited")
    invoice = DocumentRepository(db).create(
        DocumentIn(
            doc_type=DocumentType.INVOICE,
            customer_id=secondary.id,
            doc_date=dt.date(2026, 1, 5),
            total=12_500,
        )
    )
    merge(db, primary.id, [secondary.id])
    assert DocumentRepository(db).get(invoice.id).customer_id == primary.id

    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CustomerInfo(primary.id))
        await pilot.pause()
        labels = [c.title for c in app.get_system_commands(app.screen)]
        assert "Undo merge" in labels
        await pilot.press("U")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert DocumentRepository(db).get(invoice.id).customer_id == secondary.id
    state = db.conn.execute("SELECT state FROM customers WHERE id = ?", (secondary.id,))
    assert state.fetchone()[0] == "active"


async def test_customer_info_shows_the_change_history(db, db_path: Path) -> None:
    from textual.widgets import Static

    from xoro_tui.data.customers.customer_repo import CustomerRepository
    from xoro_tui.data.models.entities import CustomerIn

    saved = customer(db, name="Old Name [/]")
    fields = saved.model_dump(include=set(CustomerIn.model_fields))
    CustomerRepository(db).update(saved.id, saved.version, CustomerIn(**{**fields, "name": "New"}))
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CustomerInfo(saved.id))
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        text = str(app.screen.query_one("#results", Static).render())
        assert "name: Old Name [/] → New" in text
        assert "insert" in text
