"""The app shell: opens on the Customer Centre, moves between the Centres, shows help."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.dialogs.help_screen import HelpScreen
from xoro_tui.screens.refunds.refund_centre import RefundCentre
from xoro_tui.widgets.virtual_table import VirtualTable


def make_app(db, db_path: Path) -> XoroApp:
    return XoroApp(db, db_path)


async def test_opens_on_the_customer_centre_with_rows_from_sqlite(db, db_path: Path) -> None:
    for name in ("Alpha Ltd", "Beta GmbH", "Smith [/] Ltd"):
        customer(db, name=name)
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerCentre)
        assert screen.title == "Customer Centre"
        assert str(db_path) in app.sub_title
        table = screen.query_one(VirtualTable)
        assert table.has_focus
        assert table.row_count == 3
        names = {row.values[1] for row in table.source.window(0, 10)}
        assert names == {"Alpha Ltd", "Beta GmbH", "Smith [/] Ltd"}
        status = screen.query_one("#status", Static)
        assert str(status.render()) == "3 of 3 customers"


async def test_keys_move_between_the_centres(db, db_path: Path) -> None:
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, RefundCentre)
        assert app.screen.title == "Customer Refund Centre"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RefundCentre)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)


async def test_help_lists_the_keys(db, db_path: Path) -> None:
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for expected in ("Search", "Refresh", "Customers", "Refunds", "Check all", "Sort"):
            assert expected in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)


async def test_command_palette_offers_both_centres(db, db_path: Path) -> None:
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Customer Centre" in titles
        assert "Customer Refund Centre" in titles


async def test_quick_search_narrows_the_table(db, db_path: Path) -> None:
    for name in ("Zoë Ångström", "Alpha Ltd", "Beta GmbH"):
        customer(db, name=name)
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "a", "n", "g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert table.row_count == 1
        assert table.current_row().values[1] == "Zoë Ångström"
        assert str(app.screen.query_one("#status", Static).render()) == "1 of 3 customers"
        await pilot.press("escape")
        assert table.has_focus
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3


async def test_the_app_merges_search_segments_in_the_background_and_stops_on_quit(
    db, db_path: Path, monkeypatch
) -> None:
    """Twenty saves leave twenty small search segments; an open app merges them in short
    steps of its own (no save does), and quitting stops that."""
    import time

    import xoro_tui.app as app_module

    monkeypatch.setattr(app_module, "INDEX_UPKEEP_AFTER", 0.05)
    for number in range(20):
        customer(db, name=f"Segment {number} Ltd")
    app = make_app(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            upkeep = app._index_upkeep
            if upkeep is not None and upkeep.held:
                break
            await pilot.pause(0.05)
        assert upkeep is not None and upkeep.held, "no merge step ran"
        assert max(upkeep.held) < 0.25
    assert upkeep._stopping.is_set()
