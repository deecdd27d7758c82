"""Every footer shows only keys that act, at 80x24 too."""

from __future__ import annotations

import datetime as dt
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


def offered(app: XoroApp) -> set[str]:
    """What every key the key bar offers does, however many fit on the line."""
    bar = app.screen.query_one(KeyBar)
    pairs = bar.keys()
    return {description for _key, description in pairs}


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


async def _centre(app: XoroApp, pilot):
    from tests.conftest import settle

    await settle(app, pilot)
    return app.screen


async def test_uncheck_all_only_while_something_is_checked(db, db_path: Path) -> None:
    from tests.conftest import settle

    for name in ("Alpha", "Beta", "Gamma"):
        customer(db, name=name)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _centre(app, pilot)
        assert "Uncheck all" not in footer(app) and "* Check all" in footer(app)
        await pilot.press("u")  # does nothing, and is not offered
        await pilot.press("space")
        await pilot.pause()
        assert "u Uncheck all" in footer(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Uncheck all" not in footer(app)
        await pilot.press("asterisk")  # every row: Check all has nothing left to do
        await pilot.pause()
        assert "u Uncheck all" in footer(app) and "Check all" not in footer(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Uncheck all" not in footer(app) and "* Check all" in footer(app)
        await pilot.press("space")
        await pilot.pause()
        screen.table.selection.clear()  # as a finished action does: the footer follows
        await settle(app, pilot)
        assert "Uncheck all" not in footer(app)


async def test_clear_filter_and_view_row_only_when_they_act(db, db_path: Path) -> None:
    from tests.conftest import settle

    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _centre(app, pilot)
        line = footer(app)
        assert "Clear filter" not in line and "View row" not in line  # no filter, no row
        customer(db, name="Alpha")
        await pilot.press("r")
        await settle(app, pilot)
        assert "v View row" in footer(app) and "Clear filter" not in footer(app)
        await pilot.press("slash", "a", "l", "p", "enter")
        await settle(app, pilot)
        assert "x Clear filter" in footer(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert "Clear filter" not in footer(app)


async def test_a_new_customer_form_offers_no_keys_that_need_a_saved_customer(
    db, db_path: Path
) -> None:
    from xoro_tui.screens.customers.customer_form import CustomerForm

    saved = customer(db, name="Alpha")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for customer_id, shown in ((None, False), (saved.id, True)):
            app.push_screen(CustomerForm(customer_id))
            await pilot.pause()
            words = offered(app)
            assert "Save" in words
            for word in ("Reload", "Duplicate", "Estimate", "Invoice", "Direct debit"):
                assert (word in words) is shown, (customer_id, word)
            await pilot.press("escape")
            await pilot.pause()


async def test_return_to_pending_only_for_an_approved_or_printed_refund(db, db_path: Path) -> None:
    from xoro_tui.data.models.choices import RefundStatus
    from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
    from xoro_tui.screens.refunds.refund_form import RefundForm

    who = customer(db, name="Alpha")
    repo = RefundRepository(db, user="me")
    repo.add_refund_account("Main", "First Bank", "123-456", 1001)
    fields = {"currency": "USD", "payment_method": "ACH", "refund_date": dt.date(2024, 5, 1)}
    draft = repo.create(who.id, amount=1000, **fields)
    approved = repo.create(who.id, amount=2000, **fields)
    for status in (RefundStatus.PENDING_APPROVAL, RefundStatus.APPROVED):
        approved = repo.update(approved.id, approved.version, RefundUpdate(status=status))
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for refund, shown in ((draft, False), (approved, True)):
            app.push_screen(RefundForm(refund.id))
            await pilot.pause()
            words = offered(app)
            assert "Save" in words
            assert ("Return to Pending Approval" in words) is shown, refund.status
            await pilot.press("escape")
            await pilot.pause()


async def test_advanced_search_offers_remove_last_only_with_two_conditions(
    db, db_path: Path
) -> None:
    from xoro_tui.screens.lists.advanced_search import AdvancedSearch

    customer(db, name="Alpha")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _centre(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdvancedSearch)
        assert "Remove last" not in footer(app) and "Add condition" in footer(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "^d Remove last" in footer(app) and len(dialog.rows()) == 2
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert "Remove last" not in footer(app) and len(dialog.rows()) == 1


async def test_views_dialog_offers_no_view_keys_while_it_asks(db, db_path: Path) -> None:
    from xoro_tui.data.models.views import View
    from xoro_tui.data.store.ui_settings import SettingsRepository
    from xoro_tui.screens.lists.views_dialog import ChooseView

    customer(db, name="Alpha")
    SettingsRepository(db).save_view("customers", "Mine", View(columns=["name"]))
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _centre(app, pilot)
        await pilot.press("V")
        await pilot.pause()
        assert isinstance(app.screen, ChooseView)
        assert "r Rename" in footer(app) and "d Delete" in footer(app)
        await pilot.press("down")  # Default: it opens first already, and keeps its name
        await pilot.pause()
        assert offered(app) == {"Cancel"}
        await pilot.press("up", "o")
        await pilot.pause()
        assert "Opens first" not in offered(app) and "r Rename" in footer(app)
        await pilot.press("down")
        await pilot.pause()
        assert "o Opens first" in footer(app)
        await pilot.press("up")
        await pilot.press("r")  # typing a new name: only Escape acts
        await pilot.pause()
        assert offered(app) == {"Cancel"}
        await pilot.press("escape")
        await pilot.pause()
        assert "d Delete" in footer(app)
        await pilot.press("d")  # "Delete the view 'Mine'?" waits for y or n
        await pilot.pause()
        assert "Rename" not in offered(app) and "Delete" not in offered(app)
        await pilot.press("n")
        await pilot.pause()
        assert "d Delete" in footer(app)
    assert SettingsRepository(db).views("customers") == ["Mine"]
