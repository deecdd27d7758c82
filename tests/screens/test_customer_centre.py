"""The Customer Centre, driven by keys through Pilot: the table, checks, search, views,
the row menu, the actions menu, refresh and hostile names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Checkbox, Input, OptionList, RadioButton, Select, Static

from tests.conftest import settle, wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_list import SEARCH_FIELDS
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import CustomerIn, DocumentIn
from xoro_tui.data.search.list_query import Condition, Filter
from xoro_tui.data.store.app_settings import retention_days
from xoro_tui.data.store.ui_settings import SettingsRepository
from xoro_tui.screens.customers.card_report import CardReport
from xoro_tui.screens.customers.customer_centre import CustomerCentre, delete_question
from xoro_tui.screens.customers.customer_form import CustomerForm
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.customers.deleted_customers import DeletedCustomers
from xoro_tui.screens.customers.document_form import DocumentForm
from xoro_tui.screens.customers.merge_dialog import MergeDialog
from xoro_tui.screens.customers.quick_add import QuickAdd
from xoro_tui.screens.dialogs.help_screen import HelpScreen
from xoro_tui.screens.dialogs.settings_screen import SettingsScreen
from xoro_tui.screens.lists.advanced_search import AdvancedSearch
from xoro_tui.screens.lists.results_screen import ResultsScreen
from xoro_tui.screens.lists.views_dialog import ChooseView, SaveViewDialog
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.info_panel import InfoPanel
from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.search_bar import SearchBar, SearchInput
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)


async def centre_of(app: XoroApp, pilot) -> CustomerCentre:
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CustomerCentre)
    return screen


def status(screen: CustomerCentre) -> str:
    return str(screen.query_one("#status", Static).render())


def table_of(screen: CustomerCentre) -> VirtualTable:
    return screen.query_one(VirtualTable)


def names(screen: CustomerCentre) -> list[str]:
    table = table_of(screen)
    index = table.source.visible_keys.index("name")
    return [row.values[index] for row in table.source.window(0, 100)]


def current_name(screen: CustomerCentre) -> str:
    table = table_of(screen)
    row = table.current_row()
    assert row is not None
    return row.values[table.source.visible_keys.index("name")]


def filter_line(screen: CustomerCentre) -> str:
    return str(screen.query_one("#filter-line", Static).render())


def line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


@pytest.fixture
def three(db):
    return [customer(db, name=n) for n in ("Alpha Ltd", "Beta GmbH", "Gamma SA")]


async def test_table_has_focus_and_the_status_line_counts(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert table_of(screen).has_focus
        assert status(screen) == "3 of 3 customers"
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert status(screen) == "3 of 3 customers · 2 checked"


async def test_status_line_uses_thousands_separators(db, db_path: Path) -> None:
    db.conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) "
        "INSERT INTO customers(account_number, name, created_at, updated_at) "
        "SELECT printf('B-%05d', i), printf('Bulk %05d', i), '2024-01-01', '2024-01-01' FROM n"
    )
    db.conn.commit()
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert status(screen) == "1,234 of 1,234 customers"
        await pilot.press("asterisk")
        await pilot.pause()
        assert status(screen) == "1,234 of 1,234 customers · 1,234 checked"


async def test_name_column_is_wide_and_long_values_end_with_an_ellipsis(db, db_path: Path) -> None:
    long_name = "Aldersgate Wolfeschlegelsteinhausenberger Trading Company"
    customer(db, name=long_name, account_number="A-1")
    customer(db, name="Beta GmbH", account_number="A-2")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        name_index = table.source.visible_keys.index("name")
        placed = {p.index: p for p in table._placed()}
        assert placed[name_index].width >= 30
        assert "Customer Name" in line(table, 0)
        first, second = line(table, 1), line(table, 2)
        assert first.startswith("▶")
        assert not second.startswith("▶")
        assert long_name not in first
        shown = first[placed[name_index].x :][: placed[name_index].width]
        assert shown.endswith("…")
        assert shown.startswith("Aldersgate Wolfe")
        await pilot.press("down")
        await pilot.pause()
        assert line(table, 2).startswith("▶")
        assert not line(table, 1).startswith("▶")


async def test_low_bandwidth_mode_marks_the_cursor_row_in_ascii(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path, low_bandwidth=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        assert line(table, 1).startswith(">")
        assert "▶" not in line(table, 1)


async def test_v_shows_the_whole_row_without_opening_the_form(db, db_path: Path) -> None:
    long_email = "a.very.long.address.for.accounts.payable@example-company.example"
    customer(db, name="Alpha Ltd", email=long_email, phone="+1 555 0100")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        panel = screen.query_one(InfoPanel)
        await pilot.press("v")
        await pilot.pause()
        assert panel.is_open
        assert app.screen is screen
        shown = panel.render().plain
        assert "Alpha Ltd" in shown.splitlines()[0]
        assert long_email in shown
        assert "+1 555 0100" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.is_open
        assert table_of(screen).has_focus


def bulk(db, count: int) -> None:
    """``count`` customers "Bulk 00001".. in one statement (the search index triggers run)."""
    db.conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO customers(account_number, name, created_at, updated_at) "
        "SELECT printf('B-%05d', i), printf('Bulk %05d', i), '2024-01-01', '2024-01-01' FROM n",
        (count,),
    )
    db.conn.commit()


async def test_cursor_keys_move_by_row_page_and_to_the_ends(db, db_path: Path) -> None:
    bulk(db, 90)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        page = table.size.height - 1
        assert table.cursor_row == 0
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        assert current_name(screen) == "Bulk 00003"
        await pilot.press("up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + page
        await pilot.press("pageup")
        assert table.cursor_row == 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 89
        assert current_name(screen) == "Bulk 00090"
        assert any(line(table, y).startswith("▶") for y in range(1, page + 1))
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        assert line(table, 1).startswith("▶")


async def test_space_star_and_u_check_and_clear_and_escape_keeps_checks(
    db, db_path: Path, three
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("space")
        await pilot.pause()
        assert "[x]" in line(table, 1)
        assert status(screen).endswith("· 1 checked")
        await pilot.press("space")
        await pilot.pause()
        assert "[ ]" in line(table, 1)
        assert status(screen) == "3 of 3 customers"
        await pilot.press("down", "space", "escape")
        await pilot.pause()
        assert status(screen) == "3 of 3 customers · 1 checked"
        assert screen.checked_ids() == [three[1].id]
        await pilot.press("asterisk")
        await pilot.pause()
        assert status(screen) == "3 of 3 customers · 3 checked"
        assert sorted(screen.checked_ids()) == sorted(c.id for c in three)
        await pilot.press("escape")
        await pilot.pause()
        assert status(screen) == "3 of 3 customers · 3 checked"
        await pilot.press("u")
        await pilot.pause()
        assert status(screen) == "3 of 3 customers"
        assert screen.checked_ids() == []
        assert all("[ ]" in line(table, y) for y in (1, 2, 3))


async def test_s_sorts_by_the_column_under_the_cursor_and_toggles(db, db_path: Path) -> None:
    customer(db, name="Alpha Ltd", account_number="Z-3")
    customer(db, name="Beta GmbH", account_number="Y-2")
    customer(db, name="Gamma SA", account_number="X-1")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        assert names(screen) == ["Alpha Ltd", "Beta GmbH", "Gamma SA"]
        assert table.cursor_column == 0  # Account #
        await pilot.press("s")
        await pilot.pause()
        assert names(screen) == ["Gamma SA", "Beta GmbH", "Alpha Ltd"]
        assert "Account # ▲" in line(table, 0)
        await pilot.press("s")
        await pilot.pause()
        assert names(screen) == ["Alpha Ltd", "Beta GmbH", "Gamma SA"]
        assert "Account # ▼" in line(table, 0)
        await pilot.press("right", "s", "s")
        await pilot.pause()
        assert table.source.sort == ("name", True)
        assert names(screen) == ["Gamma SA", "Beta GmbH", "Alpha Ltd"]
        assert "Customer Name" in line(table, 0) and "▼" in line(table, 0)


def chooser(screen: CustomerCentre) -> list[str]:
    select = screen.query_one("#search-field", Select)
    return [str(prompt) for prompt, _ in select._options]


async def test_slash_focuses_quick_search_where_slash_is_an_ordinary_character(
    db, db_path: Path
) -> None:
    customer(db, name="A/S Nordic Trading")
    customer(db, name="Beta GmbH")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        search = screen.query_one(SearchInput)
        await pilot.press("slash")
        assert search.has_focus
        await pilot.press("a", "slash", "s")
        await settle(app, pilot)
        assert search.value == "a/s"
        assert search.has_focus
        assert names(screen) == ["A/S Nordic Trading"]
        assert status(screen) == "1 of 2 customers"


async def test_the_chooser_offers_the_issue_fields(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert chooser(screen)[:7] == [
            "Any Field",
            "Customer Name",
            "Email",
            "Phone",
            "Type Name",
            "Ship To Postal/Zip",
            "All References",
        ]
        assert chooser(screen) == list(SEARCH_FIELDS.values())  # then every other text column


async def test_search_ignores_case_and_accents_and_escape_keeps_the_filter(
    db, db_path: Path
) -> None:
    for name in ("Zoë Ångström AB", "Alpha Ltd", "Beta GmbH"):
        customer(db, name=name)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("slash", *"ANGSTR")
        await settle(app, pilot)
        assert names(screen) == ["Zoë Ångström AB"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert table.has_focus
        assert table.row_count == 1
        assert 'Any Field contains "ANGSTR"' in filter_line(screen)
        await pilot.press("slash", "backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("backspace", *"zoe", "enter")
        await settle(app, pilot)
        assert table.has_focus
        assert names(screen) == ["Zoë Ångström AB"]
        await pilot.press("x")
        await settle(app, pilot)
        assert table.row_count == 3
        assert screen.query_one(SearchInput).value == ""
        assert status(screen) == "3 of 3 customers"
        assert not screen.query_one("#filter-line", Static).display


async def test_search_in_one_field_only(db, db_path: Path) -> None:
    customer(db, name="Mail Order Co", email="orders@example.com")
    customer(db, name="Shop", email="mailroom@example.com")
    customer(db, name="Other", phone="555 0199", type_name="Wholesale")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("slash", *"mail")
        await settle(app, pilot)
        assert sorted(names(screen)) == ["Mail Order Co", "Shop"]
        # shift+tab to the chooser, Enter opens it, Down twice: Email
        await pilot.press("shift+tab", "enter", "down", "down", "enter")
        await settle(app, pilot)
        assert screen.query_one(SearchBar).field == "email"
        assert names(screen) == ["Shop"]
        assert 'Email contains "mail"' in filter_line(screen)
        bar = screen.query_one(SearchBar)
        bar.field = "type_name"
        bar.text = "wholesale"
        await settle(app, pilot)
        assert names(screen) == ["Other"]
        bar.field = "phone"
        bar.text = "0199"
        await settle(app, pilot)
        assert names(screen) == ["Other"]


async def test_settings_hide_chooser_fields_per_user_in_the_database(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("S")
        await pilot.pause()
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        settings.query_one("#field-phone", Checkbox).value = False
        settings.query_one("#field-refs", Checkbox).value = False
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Phone" not in chooser(screen)
        assert "All References" not in chooser(screen)
        assert "Email" in chooser(screen)
    stored = SettingsRepository(db).get("app", "search_fields")
    assert "phone" not in stored and "refs" not in stored and "email" in stored
    assert SettingsRepository(db, user="someone-else").get("app", "search_fields") is None
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert chooser(screen)[:5] == [
            "Any Field",
            "Customer Name",
            "Email",
            "Type Name",
            "Ship To Postal/Zip",
        ]
        hidden = ("Phone", "All References")
        assert chooser(screen) == [t for t in SEARCH_FIELDS.values() if t not in hidden]
        await pilot.press("S")
        await pilot.pause()
        assert not app.screen.query_one("#field-phone", Checkbox).value
        assert app.screen.query_one("#field-email", Checkbox).value


async def advanced(app: XoroApp, pilot) -> AdvancedSearch:
    await pilot.press("ctrl+f")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, AdvancedSearch)
    return dialog


async def set_condition(pilot, dialog: AdvancedSearch, index: int, field: str, op: str,
                        value: str | None = None) -> None:  # fmt: skip
    dialog.query_one(f"#column-{index}", Select).value = field
    await pilot.pause()
    dialog.query_one(f"#operator-{index}", Select).value = op
    await pilot.pause()
    if value is not None:
        widget = dialog.query_one(f"#value1-{index}")
        assert isinstance(widget, Input | Select)
        widget.value = value
        await pilot.pause()


@pytest.fixture
def four(db):
    customer(db, name="Alpha Ltd", email="ap@alpha.example", sales_rep="Ann")
    customer(db, name="Beta GmbH", sales_rep="Bob")
    customer(db, name="Gamma SA", email="gamma@example.com", sales_rep="Ann")
    customer(db, name="Delta Inc", is_active=False)


async def test_advanced_search_and_conditions_shown_in_words(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        await set_condition(pilot, dialog, 0, "sales_rep", "eq", "Ann")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await set_condition(pilot, dialog, 1, "email", "ends", "example.com")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert table_of(screen).has_focus
        assert names(screen) == ["Gamma SA"]
        assert status(screen) == "1 of 4 customers"
        words = filter_line(screen)
        assert 'Sales Rep equals "Ann"' in words
        assert 'Email ends with "example.com"' in words
        assert " and " in words and "x clears" in words
        await pilot.press("x")
        await settle(app, pilot)
        assert len(names(screen)) == 4
        assert not screen.query_one("#filter-line", Static).display
        assert screen.source.filter.conditions == ()


async def test_advanced_search_or_by_keys(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        await set_condition(pilot, dialog, 0, "is_active", "eq", "0")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await set_condition(pilot, dialog, 1, "name", "starts", "be")
        dialog.query_one("#or", RadioButton).value = True
        await pilot.pause()
        # Enter on the Search button applies
        dialog.query_one("#apply", Button).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert sorted(names(screen)) == ["Beta GmbH", "Delta Inc"]
        assert filter_line(screen) == (
            'Filter: Active equals "No" or Customer Name starts with "be"  (x clears)'
        )
        # opening it again shows the conditions it applied
        dialog = await advanced(app, pilot)
        await pilot.pause()
        assert [row.condition() for row in dialog.rows()] == [
            Condition("is_active", "eq", 0),
            Condition("name", "starts", "be"),
        ]
        assert dialog.query_one("#or", RadioButton).value
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert sorted(names(screen)) == ["Beta GmbH", "Delta Inc"]


async def test_advanced_search_combines_with_quick_search(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        await set_condition(pilot, dialog, 0, "sales_rep", "eq", "Ann")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("slash", *"gam", "escape")
        await settle(app, pilot)
        assert names(screen) == ["Gamma SA"]
        assert filter_line(screen) == (
            'Filter: Any Field contains "gam" and Sales Rep equals "Ann"  (x clears)'
        )


async def test_advanced_search_by_keys_alone(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        dialog = await advanced(app, pilot)
        assert dialog.focused is dialog.query_one("#column-0", Select)
        # column: Account # -> Customer Name; operator: equals -> contains; then the value
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "down", "enter")
        await pilot.pause()
        await pilot.press("tab", *"MMA", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert names(screen) == ["Gamma SA"]
        assert filter_line(screen) == 'Filter: Customer Name contains "MMA"  (x clears)'


def rename(db, customer_id: int, name: str) -> None:
    repo = CustomerRepository(db)
    current = repo.get(customer_id)
    fields = current.model_dump(include=set(CustomerIn.model_fields))
    repo.update(customer_id, current.version, CustomerIn.model_validate({**fields, "name": name}))


@pytest.mark.parametrize("key", ["r", "f5"])
async def test_refresh_rereads_and_keeps_the_cursor_on_the_customer(
    db, db_path: Path, three, key: str
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("end")
        assert current_name(screen) == "Gamma SA"
        customer(db, name="Aardvark Co")
        customer(db, name="Abacus Inc")
        rename(db, three[2].id, "Gamma SA (Lisbon)")
        await pilot.press(key)
        await pilot.pause()
        assert table.cursor_row == 4
        assert current_name(screen) == "Gamma SA (Lisbon)"
        assert table.cursor_key == three[2].id
        assert status(screen) == "5 of 5 customers"
        assert names(screen)[:2] == ["Aardvark Co", "Abacus Inc"]


async def test_another_users_commit_is_announced_and_r_clears_it(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("down")
        screen._poll_changes()
        assert status(screen) == "3 of 3 customers"  # nothing changed yet
        # another user is another process: this app's own writes are never news
        subprocess.run(
            [sys.executable, "-c", "import sys; from tests.factories import customer; "
             "from xoro_tui.data.store.connection import connect; "
             "customer(connect(sys.argv[1]), account_number='OTHER-1', name='Aardvark Co')", str(db_path)],
            check=True, cwd=Path(__file__).resolve().parents[2], timeout=60,
        )  # fmt: skip
        screen._poll_changes()
        await pilot.pause()
        assert status(screen) == "3 of 3 customers · changed by another user: r refreshes"
        assert current_name(screen) == "Beta GmbH"
        await pilot.press("r")
        await pilot.pause()
        assert status(screen) == "4 of 4 customers"
        assert current_name(screen) == "Beta GmbH"
        assert table.cursor_key == three[1].id
        screen._poll_changes()
        assert status(screen) == "4 of 4 customers"


async def test_own_writes_are_not_announced_as_another_users(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        rename(db, three[0].id, "Alpha Limited")
        screen._poll_changes()
        assert "another user" not in status(screen)


def column_titles(table: VirtualTable) -> list[str]:
    return [c.title for c in table.source.visible_columns]


async def test_column_picker_shows_hides_and_moves_by_keyboard(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        picker = screen.query_one(ColumnPicker)
        assert column_titles(table)[:3] == ["Account #", "Customer Name", "Type Name"]
        await pilot.press("c")
        await pilot.pause()
        assert picker.is_open
        assert "Columns" in picker.render().plain
        # hide "Account #" (first line)
        await pilot.press("space")
        await pilot.pause()
        assert "Account #" not in column_titles(table)
        assert "Account #" not in line(table, 0)
        # show it again, then move "Customer Name" left of it
        await pilot.press("space")
        await pilot.pause()
        assert column_titles(table)[-1] == "Account #"
        await pilot.press("home", "less_than_sign")
        await pilot.pause()
        assert column_titles(table)[0] == "Customer Name"
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert column_titles(table)[:3] == ["Type Name", "Email", "Customer Name"]
        # a hidden column shown from the bottom of the list
        await pilot.press("end", "space")
        await pilot.pause()
        assert column_titles(table)[-1] == "Last Changed"
        await pilot.press("escape")
        await pilot.pause()
        assert not picker.is_open
        assert table.has_focus
        await pilot.press("down")
        assert table.cursor_row == 1


async def save_view(app: XoroApp, pilot, name: str) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, SaveViewDialog)
    dialog.query_one(Input).value = ""
    await pilot.press(*name, "enter")
    await pilot.pause()


async def test_save_keeps_the_layout_for_a_new_app_instance(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("c", "down", "down", "greater_than_sign", "home", "space", "escape")
        await pilot.pause()
        layout = table_of(screen).source.visible_keys
        assert layout[:3] == ["name", "email", "type_name"]
        await pilot.press("s", "s")  # by name, descending
        await pilot.press("slash", "shift+tab", "enter", "down", "down", "enter")  # Email
        await pilot.press("tab", *"example", "escape")
        dialog = await advanced(app, pilot)
        await set_condition(pilot, dialog, 0, "sales_rep", "eq", "Ann")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert names(screen) == ["Gamma SA", "Alpha Ltd"]
        await save_view(app, pilot, "Ann's")
        assert app.screen is screen
    assert SettingsRepository(db).views("customers") == ["Ann's"]
    assert SettingsRepository(db, user="someone-else").views("customers") == []

    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        assert table.source.visible_keys == layout
        assert table.source.sort == ("name", True)
        assert screen.query_one(SearchBar).field == "email"
        assert screen.query_one(SearchInput).value == "example"
        assert names(screen) == ["Gamma SA", "Alpha Ltd"]
        assert status(screen) == "2 of 4 customers"
        assert filter_line(screen) == (
            'Filter: Email contains "example" and Sales Rep equals "Ann"  (x clears)'
        )
        assert "Customer Name ▼" in line(table, 0)


async def test_several_named_views_and_switching_with_V(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("V")
        await pilot.pause()
        assert app.screen is screen  # nothing saved yet: a note, no dialog
        await save_view(app, pilot, "Everyone")
        await pilot.press("right", "s", "s")  # by name, descending
        await pilot.press("slash", *"beta", "escape")
        await settle(app, pilot)
        await pilot.press("c", "space", "escape")  # hide Account #
        await pilot.pause()
        await save_view(app, pilot, "Beta only")
        assert SettingsRepository(db).views("customers") == ["Beta only", "Everyone"]
        await pilot.press("V")
        await pilot.pause()
        chooser_dialog = app.screen
        assert isinstance(chooser_dialog, ChooseView)
        options = chooser_dialog.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
            "● Beta only",
            "  Everyone",
        ]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert names(screen) == ["Alpha Ltd", "Beta GmbH", "Delta Inc", "Gamma SA"]
        assert "▼" not in line(table, 0)
        assert screen.query_one(SearchInput).value == ""
        assert table.source.visible_keys[0] == "account_number"
        assert status(screen) == "4 of 4 customers"
        await pilot.press("V")
        await pilot.pause()
        await pilot.press("enter")  # the first: "Beta only"
        await settle(app, pilot)
        assert names(screen) == ["Beta GmbH"]
        assert table.source.sort == ("name", True)
        assert "account_number" not in table.source.visible_keys
        assert status(screen) == "1 of 4 customers"
        assert filter_line(screen) == 'Filter: Any Field contains "beta"  (x clears)'
    assert SettingsRepository(db).get("customers", "active_view") == "Beta only"


async def test_hiding_columns_left_of_the_column_cursor_keeps_it_on_its_column(
    db, db_path: Path, four
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press(*["right"] * 6)
        assert table.source.visible_columns[table.cursor_column].key == "sales_rep"
        # hide Account #, Customer Name and Type Name
        await pilot.press("c", "home", "space", "home", "space", "home", "space", "escape")
        await pilot.pause()
        assert len(table.source.visible_keys) == 4
        assert table.source.visible_columns[table.cursor_column].key == "sales_rep"
        await pilot.press("s")
        await pilot.pause()
        assert table.source.sort == ("sales_rep", False)
        # hide the column under the cursor too: the cursor stays within the columns
        await pilot.press("c", "home", "down", "down", "down", "space", "escape")
        await pilot.pause()
        assert table.source.visible_keys == ["email", "phone", "ship_to_postal_code"]
        assert table.cursor_column == 2
        await pilot.press("s")
        await pilot.pause()
        assert table.source.sort == ("ship_to_postal_code", False)


@pytest.mark.parametrize("key", ["m", "f16", "f22", "f20", "shift+f10"])
async def test_row_menu_opens_by_every_menu_key(db, db_path: Path, three, key: str) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("down", key)
        await pilot.pause()
        menu = screen.query_one(RowMenu)
        assert menu.is_open
        assert menu.row_key == three[1].id
        assert [e.label for e in menu.entries] == [
            "Open",
            "Customer Info",
            "Create Estimate",
            "Create SO",
            "Create Invoice",
            "Create Sales Receipt",
            "Delete",
        ]
        assert menu.render().plain.splitlines()[0].strip() == "Beta GmbH"
        await pilot.press("escape")
        await pilot.pause()
        assert not menu.is_open
        assert app.screen is screen
        assert table_of(screen).cursor_row == 1


async def test_row_menu_open_and_customer_info(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("down", "m", "enter")  # "Open" is the first entry
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.customer_id == three[1].id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("m", "i")
        await pilot.pause()
        info = app.screen
        assert isinstance(info, CustomerInfo)
        assert info.customer_id == three[1].id
        assert info.customer_name == "Beta GmbH"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert table_of(screen).has_focus


@pytest.mark.parametrize(
    ("hint", "down", "doc_type"),
    [
        ("e", 2, DocumentType.ESTIMATE),
        ("s", 3, DocumentType.SALES_ORDER),
        ("v", 4, DocumentType.INVOICE),
        ("r", 5, DocumentType.SALES_RECEIPT),
    ],
)
async def test_row_menu_creates_documents_for_the_customer(
    db, db_path: Path, three, hint: str, down: int, doc_type: DocumentType
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("end", "m", hint)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm)
        assert form.customer_id == three[2].id
        assert form.doc_type is doc_type
        assert "Gamma SA" in str(form.query_one("#customer", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # the same entry by arrows and Enter
        await pilot.press("m", *["down"] * down, "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentForm)
        assert app.screen.doc_type is doc_type


async def test_delete_asks_first_then_the_customer_is_restorable(db, db_path: Path) -> None:
    alpha = customer(db, name="Alpha Ltd")
    beta = customer(db, name="Beta GmbH", ship_to_line1="1 Main St", ship_to_city="Leeds")
    DocumentRepository(db).create(
        DocumentIn(doc_type=DocumentType.ESTIMATE, customer_id=beta.id, doc_date="2024-05-31")
    )
    customer(db, name="Gamma SA")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        prompt = screen.query_one(ConfirmPrompt)
        await pilot.press("down", "m", "d")
        await pilot.pause()
        assert prompt.is_open
        question = prompt.render().plain.splitlines()[0].strip()
        days = retention_days(db.conn)
        assert question == f"Delete Beta GmbH with 1 estimate, 1 site? Restorable for {days} days."
        await pilot.press("n")
        await pilot.pause()
        assert not prompt.is_open
        assert status(screen) == "3 of 3 customers"
        await pilot.press("m", "d", "y")
        await pilot.pause()
        assert names(screen) == ["Alpha Ltd", "Gamma SA"]
        assert status(screen) == "2 of 2 customers"
        assert table_of(screen).has_focus
        # the actions menu: x shows the deleted customers, R restores
        await pilot.press("a", "x")
        await pilot.pause()
        deleted = app.screen
        assert isinstance(deleted, DeletedCustomers)
        assert status(deleted) == "1 of 1 deleted customers"
        assert table_of(deleted).cursor_key == beta.id
        await pilot.press("R")
        await pilot.pause()
        assert status(deleted) == "0 of 0 deleted customers"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert names(screen) == ["Alpha Ltd", "Beta GmbH", "Gamma SA"]
        assert status(screen) == "3 of 3 customers"
    assert CustomerRepository(db).get(alpha.id).state == "active"


def test_a_long_name_is_shortened_so_the_delete_question_fits_one_line() -> None:
    name = "The Extremely Long Named International Trading Company of Greater Manchester"
    question = delete_question(name, {"invoice": 3, "refunds": 0}, 30)
    assert cell_len(question) <= 70
    assert question.startswith("Delete The Extremely")
    assert question.endswith("… with 3 invoices? Restorable for 30 days.")
    assert delete_question("[bold]x[/]", {}, 7) == "Delete [bold]x[/]? Restorable for 7 days."


@pytest.mark.parametrize("key", ["n", "plus"])
async def test_new_customer_offers_the_existing_match_first(
    db, db_path: Path, three, key: str
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        quick = app.screen
        assert isinstance(quick, QuickAdd)
        await pilot.press(*"beta")
        await pilot.pause()
        assert [m.id for m in quick.matches] == [three[1].id]
        await pilot.press("enter")  # to the list, not a new customer
        await pilot.pause()
        assert app.screen is quick
        await pilot.press("enter")  # the first entry: Beta GmbH
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.customer_id == three[1].id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ("Delta Partners", "name"),
        ("sales@delta.example", "email"),
        ("+44 20 7946 0958", "phone"),
    ],
)
async def test_new_customer_form_gets_the_typed_value_in_its_field(
    db, db_path: Path, three, typed: str, field: str
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("n", *typed)
        await pilot.pause()
        assert app.screen.matches == []
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.customer_id is None
        assert form.query_one(f"#field-{field}", Input).value == typed
        await pilot.press("escape")
        await pilot.pause()
        if app.screen is not screen:  # the form may ask before dropping typed text
            await pilot.press("y")
            await pilot.pause()
        assert app.screen is screen


def notes(app: XoroApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize(
    ("hint", "needs"),
    [
        ("m", "Check at least two customers first"),
        ("u", "Check one or more customers first"),
        ("d", "Check one or more customers first"),
        ("v", "Check one or more customers first"),
        ("p", "Check one or more customers first"),
        ("b", "Check one or more customers first"),
    ],
)
async def test_actions_refuse_clearly_when_nothing_is_checked(
    db, db_path: Path, three, hint: str, needs: str
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        menu = screen.query_one(RowMenu)
        assert menu.is_open
        assert "Actions on 0 checked customer(s)" in menu.render().plain
        await pilot.press(hint)
        await pilot.pause()
        assert app.screen is screen
        assert not menu.is_open
        assert any(n.startswith(needs) for n in notes(app)), notes(app)


async def test_merge_refuses_one_checked_customer(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("space", "a", "m")
        await pilot.pause()
        assert app.screen is screen
        assert any(n.startswith("Check at least two customers") for n in notes(app))
        await pilot.press("down", "space", "a", "m")
        await pilot.pause()
        assert isinstance(app.screen, MergeDialog)


@pytest.mark.parametrize("hostile", ["Smith [/] Ltd", "[bold]x[/]", "[link=http://x]Shop[/link]"])
async def test_hostile_names_show_literally(db, db_path: Path, hostile: str) -> None:
    customer(db, name=hostile, type_name="[i]Trade[/i]")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        assert hostile in line(table, 1)
        await pilot.press("m")
        await pilot.pause()
        menu = screen.query_one(RowMenu)
        assert menu.render().plain.splitlines()[0].strip() == hostile
        await pilot.press("escape", "v")
        await pilot.pause()
        panel = screen.query_one(InfoPanel)
        shown = panel.render().plain
        assert shown.splitlines()[0].strip() == hostile
        assert f"Customer Name {hostile}" in " ".join(shown.split())
        assert "[i]Trade[/i]" in shown
        await pilot.press("escape", "m", "d")
        await pilot.pause()
        question = screen.query_one(ConfirmPrompt).render().plain
        assert f"Delete {hostile}?" in question
        await pilot.press("n")


async def test_help_lists_the_customer_centre_keys(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for expected in (
            "Customer Centre",
            "/ ",
            "Search",
            "x ",
            "Clear filter",
            "r, f5",
            "Refresh",
            "View row",
            "Columns",
            "ctrl+f",
            "Advanced",
            "ctrl+s",
            "Save view",
            "Views",
            "Settings",
            "n, +",
            "New",
            "Actions",
            "space",
            "Check",
            "*, ctrl+t",
            "Check all",
            "Uncheck all",
            "Sort",
            "Menu",
            "f2, C",
            "Customers",
        ):
            assert expected in text, expected
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_help_skips_actions_a_screen_disables(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await centre_of(app, pilot)
        await pilot.press("asterisk", "a", "c")
        await pilot.pause()
        report = app.screen
        assert isinstance(report, CardReport)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        assert "Credit Card Report" in text
        assert "Save report" in text
        assert "Save view" not in text
        assert "Views" not in text
        assert "Settings" not in text


async def test_quick_search_keeps_conditions_still_being_counted(db, db_path: Path, four) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        wanted = Condition("sales_rep", "eq", "Ann")
        screen.apply_filter(Filter(conditions=(wanted,)))
        # typed before the count came back: the condition is not dropped
        assert screen.current_filter().conditions == (wanted,)
        screen.query_one(SearchBar).text = "gam"
        await settle(app, pilot)
        assert names(screen) == ["Gamma SA"]
        assert screen.source.filter.conditions == (wanted,)


async def test_own_portal_check_is_not_announced_as_another_users(db, db_path: Path, three) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("space", "a", "v")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen._poll_changes()
        assert "another user" not in status(screen)


async def test_batch_delete_asks_in_one_line_then_the_customers_leave(
    db, db_path: Path, three
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        await pilot.press("space", "down", "space", "a", "d")
        await pilot.pause()
        prompt = screen.query_one(ConfirmPrompt)
        assert prompt.is_open
        question = prompt.render().plain.splitlines()[0].strip()
        assert question.startswith("Delete 2 customer(s)")
        assert question.endswith(f"Restorable for {retention_days(db.conn)} days.")
        await pilot.press("y")
        await pilot.pause()
        assert names(screen) == ["Gamma SA"]
        assert status(screen) == "1 of 1 customers"


async def test_checks_of_the_whole_filter_survive_an_action(db, db_path: Path) -> None:
    """Check all, run Validate Portal Emails, close the results: still every row checked."""
    from xoro_tui.screens.lists.results_screen import ResultsScreen

    for name in ("Alpha", "Beta"):
        customer(db, name=name)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("asterisk")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.checked_count() == 2


async def test_conditions_show_their_first_rows_before_the_count(
    db, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter on conditions may need every row read to be counted: its first screen of
    rows comes first, the status says the count is coming, and the count follows."""
    import threading

    from xoro_tui.data.search import list_query as query

    for i in range(130):
        customer(db, name=f"Member {i:03d}", sales_rep="Ann" if i < 120 else None)
    release = threading.Event()
    real_count = query.WindowQuery.count

    def slow_count(self, flt):  # noqa: ANN001, ANN202
        if flt.conditions and threading.current_thread() is not threading.main_thread():
            release.wait(10)
        return real_count(self, flt)

    monkeypatch.setattr(query.WindowQuery, "count", slow_count)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        screen.apply_filter(Filter(conditions=(Condition("sales_rep", "eq", "Ann"),)))
        await wait_until(pilot, lambda: "counting" in status(screen))
        shown = status(screen)
        assert shown.startswith("at least ") and shown.endswith(" of 130 customers (counting)")
        assert current_name(screen) == "Member 000"
        assert table_of(screen).row_count < 120
        release.set()
        await settle(app, pilot)
        assert status(screen) == "120 of 130 customers"
        assert table_of(screen).row_count == 120
        await pilot.press("end")
        assert current_name(screen) == "Member 119"
