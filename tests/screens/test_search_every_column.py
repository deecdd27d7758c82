"""Pilot: the quick search finds a customer by any text column, through Any Field and the
chooser; phone numbers however typed; Advanced Search refuses an empty value and Tab
reaches every box."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, RadioSet, Select, Static

from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.search.list_query import Condition
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.lists.advanced_search import AdvancedSearch
from xoro_tui.widgets.search_bar import SearchBar
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)
#: (chooser field, its title, typed, the values only one customer has)
ONLY_WAY = [
    ("sales_rep", "Sales Rep", "greta holm", {"sales_rep": "Greta Holm"}),
    ("ship_to_city", "Ship To City", "malmo", {"ship_to_city": "Malmö"}),
    ("tags", "Tags", "quokka", {"tags": ["Quokka Club"]}),
    ("brands", "Brands", "zebrawood", {"brands": ["Zebrawood"]}),
    ("references", "References", "po-778899", {"references": ["PO-778899"]}),
    ("phone", "Phone", "2079460011", {"phone": "+44 20 7946 0011"}),
]


def names(screen: CustomerCentre) -> list[str]:
    table = screen.query_one(VirtualTable)
    index = table.source.visible_keys.index("name")
    return [row.values[index] for row in table.source.window(0, 100)]


def status(screen: CustomerCentre) -> str:
    return str(screen.query_one("#status", Static).render())


@pytest.fixture
def only_ways(db):
    customer(db, name="Plain Ltd", phone="555 0100", sales_rep="Ann Other")
    for field, _title, _typed, values in ONLY_WAY:
        customer(db, name=f"Only {field}", **values)


async def test_each_value_found_through_any_field_and_the_chooser(
    db, db_path: Path, only_ways
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerCentre)
        bar = screen.query_one(SearchBar)
        offered = [str(p) for p, _ in screen.query_one("#search-field", Select)._options]
        for field, title, typed, _values in ONLY_WAY:
            assert title in offered
            await pilot.press("x")
            await settle(app, pilot)
            await pilot.press("slash", *typed, "enter")
            await settle(app, pilot)
            assert names(screen) == [f"Only {field}"], typed
            assert status(screen) == f"1 of {len(ONLY_WAY) + 1} customers"
            bar.field = field
            await settle(app, pilot)
            assert names(screen) == [f"Only {field}"], (field, typed)
            assert title in str(screen.query_one("#filter-line", Static).render())
            bar.field = "name"
            await settle(app, pilot)
            assert names(screen) == []
            bar.field = "any"
            await settle(app, pilot)


@pytest.mark.parametrize(
    "typed", ["2079460011", "+44 20 7946 0011", "0044 20 7946 0011", "(020) 7946-0011",
              "020-7946-0011"],
)  # fmt: skip
async def test_phone_typed_any_way(db, db_path: Path, typed: str) -> None:
    customer(db, name="Acme Trading Ltd", phone="+44 20 7946 0011")
    customer(db, name="Acme North", phone="020 7946 0011")
    customer(db, name="Someone Else", phone="+44 20 7946 0999")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("slash", *typed, "enter")
        await settle(app, pilot)
        found = names(screen)
        assert "Acme Trading Ltd" in found
        assert "Someone Else" not in found
        if typed[0] not in "+0" or typed.startswith(("020", "(020)")):
            assert "Acme North" in found


async def open_advanced(app: XoroApp, pilot) -> AdvancedSearch:
    await pilot.press("ctrl+f")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, AdvancedSearch)
    return dialog


@pytest.mark.parametrize("op", ["eq", "contains", "ne", "starts"])
async def test_advanced_search_refuses_an_empty_value(db, db_path: Path, op: str) -> None:
    customer(db, name="Alpha Ltd")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        centre = app.screen
        dialog = await open_advanced(app, pilot)
        dialog.query_one("#operator-0", Select).value = op
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # nothing applied
        error = str(dialog.query_one("#error", Label).render())
        assert error == 'Condition 1: a value is needed (or choose "is empty")'  # one line at 80
        value = dialog.query_one("#value1-0", Input)
        assert value.has_focus and value.has_class("-invalid")
        await pilot.press(*"C-0")
        assert not value.has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is centre
        assert centre.source.filter.conditions == (Condition("account_number", op, "C-0"),)


async def test_advanced_search_is_empty_still_needs_no_value(db, db_path: Path) -> None:
    customer(db, name="Alpha Ltd", email=None)
    customer(db, name="Beta GmbH", email="b@beta.example")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        centre = app.screen
        dialog = await open_advanced(app, pilot)
        dialog.query_one("#column-0", Select).value = "email"
        await pilot.pause()
        dialog.query_one("#operator-0", Select).value = "empty"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is centre
        assert names(centre) == ["Alpha Ltd"]


@pytest.mark.parametrize(("column", "op"), [("account_number", "eq"), ("sales_rep", "eq"),
                                            ("sales_rep", "contains"), ("tags", "contains")])  # fmt: skip
async def test_tab_reaches_every_box_of_advanced_search(
    db, db_path: Path, column: str, op: str
) -> None:
    customer(db, name="Alpha Ltd", sales_rep="Ann", tags=["VIP"])
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await open_advanced(app, pilot)
        dialog.query_one("#column-0", Select).value = column
        await pilot.pause()
        dialog.query_one("#operator-0", Select).value = op
        await pilot.pause()
        dialog.query_one(RadioSet).focus()
        await pilot.pause()
        visited = []
        for _ in range(7):
            await pilot.press("tab")
            await pilot.pause()
            assert dialog.focused is not None
            visited.append(dialog.focused.id)
        assert visited == ["column-0", "operator-0", "value1-0", "apply", "add", "cancel",
                           "combine"]  # fmt: skip


async def test_advanced_search_by_tag(db, db_path: Path) -> None:
    customer(db, name="Alpha Ltd", tags=["VIP", "Reseller"])
    customer(db, name="Beta GmbH", tags=["Reseller"])
    customer(db, name="Gamma SA")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        centre = app.screen
        for op, value, expected in (
            ("eq", "vip", ["Alpha Ltd"]),
            ("ne", "VIP", ["Beta GmbH", "Gamma SA"]),
            ("contains", "sell", ["Alpha Ltd", "Beta GmbH"]),
            ("empty", None, ["Gamma SA"]),
        ):
            dialog = await open_advanced(app, pilot)
            offered = [str(p) for p, _ in dialog.query_one("#column-0", Select)._options]
            assert {"Tags", "Brands", "References"} <= set(offered)
            dialog.query_one("#column-0", Select).value = "tags"
            await pilot.pause()
            dialog.query_one("#operator-0", Select).value = op
            await pilot.pause()
            if value is not None:
                dialog.query_one("#value1-0", Input).value = value
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is centre
            assert sorted(names(centre)) == expected, op
