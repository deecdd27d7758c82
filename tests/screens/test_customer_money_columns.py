"""The Customer Centre's money: Open Balance, Unapplied Credits and Last Activity in the
column picker, sorted by currency then amount, filtered by Advanced Search, and the totals
line of the filter per currency, whole at 80x24. Driven by keys through Pilot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Select, Static
from textual.widgets._select import SelectCurrent

from tests.factories import customer
from tests.screens.test_customer_centre import (
    advanced,
    centre_of,
    column_titles,
    filter_line,
    line,
    names,
    set_condition,
    settle,
    table_of,
)
from tests.screens.test_whole_messages import shown_in
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_money import totals
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import DocumentIn
from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.seed.demo import create_demo
from xoro_tui.data.store.opening import open_database
from xoro_tui.widgets.column_picker import ColumnPicker

SIZE = (120, 40)


def invoice(db, customer_id: int, currency: str, total: int, doc_type=DocumentType.INVOICE):
    return DocumentRepository(db).create(
        DocumentIn(customer_id=customer_id, doc_type=doc_type, doc_date="2024-05-06",
                   currency=currency, total=total)
    )  # fmt: skip


@pytest.fixture
def owing(db):
    """Ann owes 1,500.00 USD, Bob 900.00 EUR, Cat 2,000 JPY, Dan 999.99 USD and has a
    deposit of 50.00 USD; Eve has nothing."""
    made = {}
    for name, cur, total in (("Ann", "USD", 150_000), ("Bob", "EUR", 90_000),
                             ("Cat", "JPY", 2_000), ("Dan", "USD", 99_999), ("Eve", None, 0)):  # fmt: skip
        made[name] = customer(db, name=name).id
        if cur:
            invoice(db, made[name], cur, total)
    invoice(db, made["Dan"], "USD", 5_000, DocumentType.CUSTOMER_DEPOSIT)
    return made


async def show_columns(pilot, screen, *titles: str) -> None:
    """Tick columns in the column picker by keys (down to each one's line, space): a
    column ticked moves up among the shown ones, and the cursor goes with it."""
    await pilot.press("c")
    await pilot.pause()
    picker = screen.query_one(ColumnPicker)
    keys = {c.title: c.key for c in screen.source.all_columns}
    for title in titles:
        await pilot.press("home", *["down"] * picker.order.index(keys[title]), "space")
        await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()


async def test_the_money_columns_are_offered_and_show_the_currency(
    db, db_path: Path, owing
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        offered = screen.query_one(ColumnPicker).render().plain
        for title in ("Open Balance", "Unapplied Credits", "Last Activity"):
            assert title in offered
        await pilot.press("escape")
        await pilot.pause()
        await show_columns(pilot, screen, "Open Balance", "Unapplied Credits", "Last Activity")
        titles = column_titles(table_of(screen))
        assert titles[-3:] == ["Open Balance", "Unapplied Credits", "Last Activity"]
        rows = {r.values[1]: r.values[-3:] for r in table_of(screen).source.window(0, 10)}
        assert rows["Ann"] == ("1,500.00 USD", "0.00 USD", "2024-05-06")
        assert rows["Cat"] == ("2,000 JPY", "0 JPY", "2024-05-06")
        assert rows["Dan"] == ("999.99 USD", "50.00 USD", "2024-05-06")
        assert rows["Eve"] == ("", "", "")
        await pilot.press(*["right"] * (len(titles) - 1))  # the table scrolls to them
        await pilot.pause()
        shown = "\n".join(line(table_of(screen), y) for y in range(7))
        assert "1,500.00 USD" in shown and "900.00 EUR" in shown


async def test_s_sorts_open_balance_by_currency_then_amount(db, db_path: Path, owing) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await show_columns(pilot, screen, "Open Balance")
        table = table_of(screen)
        await pilot.press(*["right"] * (len(column_titles(table)) - 1), "s")
        await settle(app, pilot)
        assert table.source.sort == ("open_balance", False)
        # no currency first, then EUR, JPY, USD; within USD 999.99 before 1,500.00
        assert names(screen) == ["Eve", "Bob", "Cat", "Dan", "Ann"]
        assert "Open Balance ▲" in line(table, 0)
        await pilot.press("s")
        await settle(app, pilot)
        assert names(screen) == ["Ann", "Dan", "Cat", "Bob", "Eve"]


async def test_advanced_search_open_balance_above_1000(db, db_path: Path, owing) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        dialog.query_one("#column-0", Select).value = "open_balance"
        await pilot.pause()
        operator = dialog.query_one("#operator-0", Select)
        offered = [str(p) for p, _ in operator._options]
        assert offered[:7] == ["=", "<>", ">", ">=", "<", "<=", "between"]
        assert operator.query_one(SelectCurrent).label == "="  # not "equals"
        await set_condition(pilot, dialog, 0, "open_balance", "gt", "1000")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        # 1,500.00 USD and 2,000 JPY; not 900.00 EUR, 999.99 USD or nothing
        assert sorted(names(screen)) == ["Ann", "Cat"]
        assert filter_line(screen) == "Filter: Open Balance > 1000  (x clears)"
        assert str(screen.query_one("#status", Static).render()).startswith("2 of 5")


async def test_dates_offer_before_after_and_on(db, db_path: Path, owing) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        dialog.query_one("#column-0", Select).value = "last_activity"
        await pilot.pause()
        offered = [str(p) for p, _ in dialog.query_one("#operator-0", Select)._options]
        assert {"on", "before", "after", "between"} <= set(offered)
        await set_condition(pilot, dialog, 0, "last_activity", "eq", "2024-05-06")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert sorted(names(screen)) == ["Ann", "Bob", "Cat", "Dan"]
        assert filter_line(screen) == "Filter: Last Activity on 2024-05-06  (x clears)"


async def test_totals_follow_the_filter_and_a_new_document(db, db_path: Path, owing) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await settle(app, pilot)
        assert totals_text(screen) == (
            "Open balance: EUR 900.00  JPY 2,000  USD 2,499.99\nUnapplied credits: USD 50.00"
        )
        dialog = await advanced(app, pilot)
        await set_condition(pilot, dialog, 0, "open_balance", "gt", "1000")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert totals_text(screen) == (
            "Open balance: JPY 2,000  USD 1,500.00\nUnapplied credits: none"
        )


def totals_text(screen) -> str:
    return "\n".join(str(screen.query_one(f"#{i}", Static).render()) for i in ("totals", "credits"))


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("money") / "demo.sqlite"
    create_demo(path)
    return path


async def test_the_totals_line_is_whole_at_80x24(demo_source: Path, tmp_path: Path) -> None:
    path = tmp_path / "xoro.sqlite"
    shutil.copy(demo_source, path)
    db = open_database(path)
    try:
        expected = totals(db.conn, Filter())
        assert len(expected) >= 4
        app = XoroApp(db, path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            lines = [app.screen.query_one(f"#{i}") for i in ("totals", "credits")]
            assert lines[1].region.bottom <= 24 - 1  # above the key bar
            shown = " ".join(shown_in(app, widget) for widget in lines)
            for currency, open_balance, unapplied in expected:
                for amount in (open_balance, unapplied):
                    if amount:
                        assert f"{currency} {money.display(amount, currency)}" in shown, shown
            assert shown.startswith("Open balance: ")
            assert "Unapplied credits: " in shown
    finally:
        db.conn.close()
