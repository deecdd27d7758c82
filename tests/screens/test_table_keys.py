"""The list table's own keys, driven through Pilot on a real database: key columns kept in
place, widths (``[`` ``]``) kept in a view, ``:`` to a row, ``'`` to the first row starting
with some letters, ``t`` "then by" with blanks last, ``y`` / ``Y`` copies (file and OSC 52),
views renamed / deleted / made the default, and one checked selection for space and ``*``.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, RadioButton, Static

from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.store.ui_settings import SettingsRepository
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.lists.download_dialog import DownloadDialog
from xoro_tui.screens.lists.views_dialog import ChooseView, SaveViewDialog
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.line_prompt import LinePrompt
from xoro_tui.widgets.search_bar import SearchBar
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)


async def centre_of(app: XoroApp, pilot) -> CustomerCentre:
    await pilot.pause()
    assert isinstance(app.screen, CustomerCentre)
    return app.screen


def table_of(screen: CustomerCentre) -> VirtualTable:
    return screen.query_one(VirtualTable)


def line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


def status(screen: CustomerCentre) -> str:
    return str(screen.query_one("#status", Static).render())


def current(table: VirtualTable, key: str = "name") -> str:
    row = table.current_row()
    assert row is not None
    return row.values[table.source.visible_keys.index(key)]


def bulk(db, count: int, name_sql: str = "printf('Bulk %05d', i)") -> None:
    """``count`` customers in one statement (a few thousand in a few ms)."""
    db.conn.execute(
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
        "INSERT INTO customers(account_number, name, created_at, updated_at) "
        f"SELECT printf('B-%05d', i), {name_sql}, '2024-01-01', '2024-01-01' FROM n"
    )
    db.conn.commit()


@pytest.fixture
def some(db):
    return [
        customer(db, name=n, account_number=f"K-{i:03d}", email=f"{n.split()[0].lower()}@x.co.uk")
        for i, n in enumerate(("Alpha Ltd", "Beta GmbH", "Gamma SA", "Delta Inc"))
    ]


# ---------------------------------------------------------------- key columns and widths
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_key_columns_stay_in_place_when_scrolling_right(db, db_path, some, size) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=size) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press(*["right"] * 10)
        await pilot.pause()
        last = table.source.visible_columns[-1].title
        header = line(table, 0)
        assert table.cursor_column == len(table.source.visible_columns) - 1
        assert header.lstrip().startswith("Account #")
        assert "Customer Name" in header and last in header
        assert "Type Name" not in header  # scrolled away, the key columns were not
        assert "K-000" in line(table, 1) and "Alpha Ltd" in line(table, 1)


async def test_k_in_the_column_picker_makes_a_key_column(db, db_path, some) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("c", "down", "k")  # Customer Name: no longer a key column
        await pilot.pause()
        assert "(key)" in screen.query_one(ColumnPicker).render().plain
        assert table.source.frozen_keys == ["account_number"]
        await pilot.press("down", "down", "k", "escape")  # Email becomes one
        await pilot.pause()
        assert table.source.frozen_keys == ["account_number", "email"]
        assert table.source.visible_keys[:2] == ["account_number", "email"]
        await pilot.press(*["right"] * 10)
        await pilot.pause()
        assert "Email" in line(table, 0) and "Customer Name" not in line(table, 0)


async def test_widths_change_with_brackets_and_are_kept_in_a_view(db, db_path, some) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("right", "right", "right")  # Email, 26 cells
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert table.source.visible_columns[3].width == 30
        await pilot.press("left", "left_square_bracket", "left_square_bracket")  # Type Name
        await pilot.pause()
        assert table.source.visible_columns[2].width == 8
        assert "Type Na…" in line(table, 0)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveViewDialog)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Wide", "enter")
        await pilot.pause()
    assert SettingsRepository(db).load_view("customers", "Wide").widths == {
        "email": 30,
        "type_name": 8,
    }
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        widths = {c.key: c.width for c in table.source.visible_columns}
        assert widths["email"] == 30 and widths["type_name"] == 8
        assert "Type Na…" in line(table, 0)


# ---------------------------------------------------------------- going to rows
async def test_colon_goes_to_a_row_number(db, db_path) -> None:
    bulk(db, 1234)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("colon", *"1x0a00")  # letters are not typed into a row number
        await pilot.pause()
        prompt = screen.query_one(LinePrompt)
        assert prompt.is_open and prompt.value == "1000"
        assert "Go to row (1 to 1,234)" in prompt.render().plain
        await pilot.press("enter")
        await pilot.pause()
        assert not prompt.is_open
        assert table.cursor_row == 999 and current(table) == "Bulk 01000"
        await pilot.press("colon", *"99999", "enter")  # past the end: the last row
        await pilot.pause()
        assert table.cursor_row == 1233
        await pilot.press("colon", "5", "escape")
        await pilot.pause()
        assert table.cursor_row == 1233


LETTERS_SQL = "char(65 + (i * 7) % 26) || char(97 + (i * 11) % 26) || printf(' Trading %05d', i)"


async def test_apostrophe_jumps_to_the_first_row_starting_with_the_letters(db, db_path) -> None:
    bulk(db, 3000, LETTERS_SQL)
    order = [
        r[0]
        for r in db.conn.execute(
            "SELECT name FROM customers WHERE state = 'active' ORDER BY name COLLATE NOCASE, id"
        )
    ]
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        source = table.source
        read: list[int] = []
        window = source.window

        def counting_window(offset: int, limit: int):  # noqa: ANN202
            rows = window(offset, limit)
            read.append(len(rows))
            return rows

        source.window = counting_window  # type: ignore[method-assign]
        await pilot.press("apostrophe", "k")
        await pilot.pause()
        first_k = next(i for i, n in enumerate(order) if n.lower().startswith("k"))
        assert table.cursor_row == first_k
        await pilot.press("m")
        await pilot.pause()
        first_km = next(i for i, n in enumerate(order) if n.lower().startswith("km"))
        assert table.cursor_row == first_km and current(table).startswith("Km")
        assert sum(read) < 300  # a query on the sorted column, not a walk over the rows
        await pilot.press("z")  # no name starts "kmz": the cursor stays, the prompt says so
        await pilot.pause()
        prompt = screen.query_one(LinePrompt)
        assert table.cursor_row == first_km
        assert "no Customer Name starts with 'kmz'" in prompt.render().plain
        await pilot.press("enter")
        await pilot.pause()
        assert not prompt.is_open and table.cursor_row == first_km
        # descending: the first row in that order starting with the letters
        await pilot.press("home", "right", "s", "s")
        await settle(app, pilot)
        assert table.source.sort == ("name", True)
        await pilot.press("apostrophe", "b", "j")
        await pilot.pause()
        down = order[::-1]  # names are unique: the reversed order is the descending one
        assert table.cursor_row == next(i for i, n in enumerate(down) if n.lower().startswith("bj"))
        assert table.cursor_row > 0
        await pilot.press("escape")  # back where the jump started
        await pilot.pause()
        assert table.cursor_row == 0


async def test_jump_asks_for_a_sorted_text_column(db, db_path, some) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("c", "end", "space", "escape")  # show Last Changed, a date
        await pilot.press(*["right"] * 10, "s")
        await settle(app, pilot)
        assert table.source.sort == ("updated_at", False)
        await pilot.press("apostrophe")
        await pilot.pause()
        assert not screen.query_one(LinePrompt).is_open
        assert any("text column sorted" in str(n.message) for n in app._notifications)


# ---------------------------------------------------------------- then by, blanks last
async def test_t_sorts_equal_values_by_a_second_column_with_blanks_last(db, db_path) -> None:
    for name, email in [
        ("Same", "b@x.co.uk"),
        ("Same", None),
        ("Same", "a@x.co.uk"),
        ("Other", None),
        ("Other", "c@x.co.uk"),
        ("Same", "c@x.co.uk"),
    ]:
        customer(db, name=name, email=email)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)

        def shown() -> list[tuple[str, str]]:
            keys = table.source.visible_keys
            rows = table.source.window(0, 10)
            return [(r.values[keys.index("name")], r.values[keys.index("email")]) for r in rows]

        await pilot.press("right", "right", "right", "t")  # Email, then by
        await settle(app, pilot)
        assert shown() == [
            ("Other", "c@x.co.uk"),
            ("Other", ""),
            ("Same", "a@x.co.uk"),
            ("Same", "b@x.co.uk"),
            ("Same", "c@x.co.uk"),
            ("Same", ""),
        ]
        assert "Email △" in line(table, 0)
        await pilot.press("t")  # again: the second column descending, blanks still last
        await settle(app, pilot)
        assert [e for n, e in shown() if n == "Same"] == ["c@x.co.uk", "b@x.co.uk", "a@x.co.uk", ""]
        assert "Email ▽" in line(table, 0)
        await pilot.press("s")  # sorting by Email alone: blanks last both ways
        await settle(app, pilot)
        assert [e for _n, e in shown()][-2:] == ["", ""]
        assert table.source.then_by is None
        await pilot.press("s")
        await settle(app, pilot)
        assert [e for _n, e in shown()][0] == "c@x.co.uk"
        assert [e for _n, e in shown()][-2:] == ["", ""]


# ---------------------------------------------------------------- copying
class WrittenBytes:
    """What the app sends to the terminal, caught at the driver."""

    def __init__(self, app: XoroApp) -> None:
        self.parts: list[str] = []
        driver = app._driver
        assert driver is not None
        original = driver.write

        def write(data: str) -> None:
            self.parts.append(data)
            original(data)

        driver.write = write  # type: ignore[method-assign]

    @property
    def text(self) -> str:
        return "".join(self.parts)


async def _copy(pilot, key: str, path: Path) -> None:
    await pilot.press(key)
    await pilot.pause()
    await pilot.press("ctrl+u", *str(path), "enter")
    await pilot.pause()


async def test_copy_a_cell_or_a_row_to_a_file_and_osc52_only_when_on(
    db, db_path, some, tmp_path: Path
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        written = WrittenBytes(app)
        await pilot.press("right")
        await _copy(pilot, "y", tmp_path / "cell.txt")
        assert (tmp_path / "cell.txt").read_text(encoding="utf-8") == "Alpha Ltd\n"
        assert "\x1b]52;" not in written.text  # off by default
        await _copy(pilot, "Y", tmp_path / "row.txt")
        lines = (tmp_path / "row.txt").read_text(encoding="utf-8").splitlines()
        assert lines[0].split("\t")[:2] == ["Account #", "Customer Name"]
        assert lines[1].split("\t")[:2] == ["K-000", "Alpha Ltd"]
        # the last file is offered next time
        await pilot.press("y")
        await pilot.pause()
        assert screen.query_one(LinePrompt).value == str(tmp_path / "row.txt")
        await pilot.press("escape")
        SettingsRepository(db).put("app", "osc52", True)
        await pilot.press("y")
        await pilot.pause()
        assert "Copied to the clipboard" in screen.query_one(LinePrompt).render().plain
        await pilot.press("escape")
        await pilot.pause()
        encoded = base64.b64encode(b"Alpha Ltd").decode()
        assert f"\x1b]52;c;{encoded}\a" in written.text
        # a file that cannot be written: one line, nothing lost
        await _copy(pilot, "y", tmp_path)
        assert any("Could not write" in str(n.message) for n in app._notifications)


async def test_the_osc52_setting_is_off_by_default_and_saved(db, db_path, some) -> None:
    from textual.widgets import Checkbox

    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await centre_of(app, pilot)
        await pilot.press("S")
        await pilot.pause()
        box = app.screen.query_one("#osc52", Checkbox)
        assert box.value is False
        box.value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert SettingsRepository(db).get("app", "osc52") is True


# ---------------------------------------------------------------- views
async def _save(app: XoroApp, pilot, name: str) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, SaveViewDialog)
    app.screen.query_one(Input).value = ""
    await pilot.press(*name, "enter")
    await pilot.pause()


def options(dialog: ChooseView) -> list[str]:
    opts = dialog.query_one(OptionList)
    return [str(opts.get_option_at_index(i).prompt) for i in range(opts.option_count)]


async def test_views_renamed_deleted_made_the_default_and_back_to_default(
    db, db_path, some
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("right", "s", "s")  # by name, descending
        await _save(app, pilot, "Backwards")
        await pilot.press("c", "space", "escape")  # hide Account #
        await _save(app, pilot, "Narrow")
        await pilot.press("V")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChooseView)
        assert options(dialog) == ["  Backwards", "● Narrow", "  Default"]
        await pilot.press("r")  # rename "Backwards"
        await pilot.pause()
        await pilot.press("ctrl+u", *"Z to A", "enter")
        await pilot.pause()
        assert options(dialog) == ["● Narrow", "  Z to A", "  Default"]
        assert SettingsRepository(db).views("customers") == ["Narrow", "Z to A"]
        await pilot.press("o")  # "Z to A" (still highlighted) opens first
        await pilot.pause()
        assert "  Z to A  (opens first)" in options(dialog)
        await pilot.press("up", "d", "y")  # delete "Narrow"
        await pilot.pause()
        assert SettingsRepository(db).views("customers") == ["Z to A"]
        assert "Delete" in str(dialog.query_one(KeyBar).render())
        await pilot.press("end", "d")  # Default: neither deleted nor renamed, nor offered
        await pilot.pause()
        assert "Delete" not in str(dialog.query_one(KeyBar).render())
        assert "Rename" not in str(dialog.query_one(KeyBar).render())
        assert options(dialog)[-1] == "● Default"  # the view in use was deleted
        await pilot.press("enter")  # back to the list's own layout
        await settle(app, pilot)
        assert app.screen is screen
        assert table.source.visible_keys[0] == "account_number"
        assert table.source.sort in (None, ("name", False))  # the list's own order
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert table_of(screen).source.sort == ("name", True)  # the default view opens
        await pilot.press("V")
        await pilot.pause()
        await pilot.press("end", "o", "escape")  # the list's own layout opens first
        await pilot.pause()
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        assert table_of(screen).source.sort is None


# ---------------------------------------------------------------- one checked selection
async def test_star_and_space_checks_last_through_a_filter_and_download_counts_them(
    db, db_path
) -> None:
    for i in range(9):
        customer(db, name=f"Star {i}")
    for i in range(3):
        customer(db, name=f"Other {i}")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        table = table_of(screen)
        await pilot.press("slash", *"star", "escape")
        await settle(app, pilot)
        assert status(screen) == "9 of 12 customers"
        await pilot.press("asterisk")
        await pilot.pause()
        assert status(screen) == "9 of 12 customers · 9 checked"
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DownloadDialog)
        label = str(dialog.query_one("#scope-checked", RadioButton).label)
        assert "Only the checked rows (9)" in label
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")  # the filter goes: the 9 stay checked, as space's do
        await settle(app, pilot)
        assert status(screen) == "12 of 12 customers · 9 checked"
        await pilot.press("home", "space")  # and one more, checked with space
        await pilot.pause()
        await pilot.press("slash", *"other", "escape")
        await settle(app, pilot)
        assert status(screen) == "3 of 12 customers · 10 checked"
        assert screen.checked_count() == 10 and len(screen.checked_ids()) == 10
        await pilot.press("d")
        await pilot.pause()
        label = str(app.screen.query_one("#scope-checked", RadioButton).label)
        assert "Only the checked rows (10)" in label
        await pilot.press("escape")
        await pilot.pause()
        assert [table.selection.is_checked(r.key) for r in table.source.window(0, 3)].count(
            True
        ) == 1


# ---------------------------------------------------------------- quick search
async def test_quick_search_always_filters_what_the_box_shows(db, db_path, some) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        for attempt in range(8):
            term = ["gam", "alpha", "delta", "beta"][attempt % 4]
            await pilot.press("slash", "shift+tab", "enter")  # the field chooser
            await pilot.press("down" if attempt % 2 else "up", "enter", "tab", "ctrl+u", *term)
            await settle(app, pilot)
            bar = screen.query_one(SearchBar)
            assert bar.text == term
            assert screen.source is not None
            assert screen.source.filter.search == term, attempt
            assert status(screen).startswith(("1 of 4", "0 of 4")), attempt


async def test_an_older_count_never_replaces_a_newer_filter(db, db_path, some) -> None:
    from xoro_tui.data.search.list_query import Filter

    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await centre_of(app, pilot)
        older, newer = Filter(search=""), Filter(search="gamma")
        screen.apply_filter(older)
        screen.apply_filter(newer)
        await settle(app, pilot)
        assert screen.source is not None and screen.source.filter is newer
        screen._filter_counted(older, 4)  # the older count, come back late
        assert screen.source.filter is newer
        assert status(screen) == "1 of 4 customers"
