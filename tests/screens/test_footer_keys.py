"""Every footer shows only keys that act, at 80x24 too."""

from __future__ import annotations

from pathlib import Path

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import merge
from xoro_tui.screens.customers.card_report import CardReport
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.customers.deleted_customers import DeletedCustomers
from xoro_tui.widgets.key_bar import KeyBar


def footer(app: XoroApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_deleted_customers_show_restore_and_no_menu(db, db_path: Path) -> None:
    gone = customer(db, name="Gone Ltd")
    CustomerRepository(db).delete(gone.id, gone.version)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(DeletedCustomers())
        await pilot.pause()
        screen = app.screen
        line = footer(app)
        assert line.startswith(" R Restore ")
        assert "Menu" not in line and "Open" not in line
        await pilot.press("m", "enter")  # neither does anything here
        await pilot.pause()
        assert app.screen is screen and not screen.menu.is_open
        await pilot.press("R")
        await pilot.pause()
    assert CustomerRepository(db).get(gone.id).state == "active"


async def test_card_report_has_no_row_menu_key(db, db_path: Path) -> None:
    customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(CardReport(None))
        await pilot.pause()
        assert "Menu" not in footer(app)


async def test_keys_a_search_field_types_are_not_offered_while_typing(db, db_path: Path) -> None:
    customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        line = footer(app)
        assert "/ Search" not in line and "+ New" not in line
        await pilot.press("plus")  # typed into the search, not a new customer
        await pilot.pause()
        assert app.focused is not None and "+" in app.focused.value


async def test_undo_merge_is_offered_only_with_a_merge_to_undo(db, db_path: Path) -> None:
    p, a = customer(db, name="Primary"), customer(db, name="Other")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(CustomerInfo(p.id))
        await pilot.pause()
        assert "Undo merge" not in footer(app)
        app.pop_screen()
        merge(db, p.id, [a.id])
        app.push_screen(CustomerInfo(p.id))
        await pilot.pause()
        assert "U Undo merge" in footer(app)
