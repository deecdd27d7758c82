"""VirtualTable over a million lazily generated rows: speed, keys, checks, sort, safety."""

from __future__ import annotations

import time

from rich.cells import cell_len

from xoro_tui.widgets.list_source import ListSource, SyntheticSource
from xoro_tui.widgets.table_source import Column, TableRow
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)
PAGE = 38  # 40 lines - footer - header


def line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


async def test_million_rows_show_instantly_and_read_little(make_app) -> None:
    source = SyntheticSource(1_000_000)
    started = time.perf_counter()
    async with make_app(source).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert time.perf_counter() - started < 5
        table = pilot.app.table
        assert table.row_count == 1_000_000
        assert source.count_calls == 1
        assert line(table, 1).startswith("▶[ ]")
        assert "Customer 0000001" in line(table, 1)
        fetched = sum(limit for _, limit in source.window_calls)
        assert fetched <= 3 * PAGE * 2
        await pilot.press("end")
        assert table.cursor_key == 1_000_000
        assert all(limit <= 3 * PAGE for _, limit in source.window_calls)
        assert sum(limit for _, limit in source.window_calls) < 1000


async def test_header_gutter_and_columns(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        table = pilot.app.table
        header = line(table, 0)
        for title in ("No.", "Customer", "City", "E-mail", "Balance", "Since"):
            assert title in header
        row = line(table, 2)
        assert row.startswith(" [ ]")
        assert cell_len(row) == 120
        # The e-mail column is too narrow for long addresses: cut with an ellipsis.
        await pilot.press("end")
        assert "accounts1000000@example.c… " in line(table, PAGE)


async def test_ascii_cursor(make_app) -> None:
    async with make_app(ascii=True).run_test(size=SIZE) as pilot:
        assert line(pilot.app.table, 1).startswith(">[ ]")


async def test_cursor_keys(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press("down", "down", "up")
        assert table.cursor_row == 1 and table.cursor_key == 2
        assert line(table, 2).startswith("▶")
        assert line(table, 1).startswith(" ")
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + PAGE
        assert line(table, 2).startswith("▶")  # same screen line, next page
        await pilot.press("pageup")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_row == 999_999
        assert line(table, PAGE).startswith("▶")
        await pilot.press("home")
        assert table.cursor_row == 0 and table.cursor_key == 1
        await pilot.press("up")
        assert table.cursor_row == 0
        await pilot.pause()
        moved = [m.key for m in pilot.app.of(VirtualTable.CursorMoved)]
        assert moved[:3] == [2, 3, 2]
        assert moved[-1] == 1


async def test_enter_chooses_row(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [m.key for m in pilot.app.of(VirtualTable.RowChosen)] == [2]
        assert pilot.app.table.current_row().key == 2


async def test_checks(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press("space")
        assert table.selection.explicit_keys == {1}
        assert line(table, 1).startswith("▶[x]")
        await pilot.press("down", "space", "space")
        assert table.selection.count(table.row_count) == 1
        await pilot.press("asterisk")
        assert table.selection.is_all
        assert table.selection.count(table.row_count) == 1_000_000
        assert "[x]" in line(table, 30)
        await pilot.press("space")  # uncheck one row of "all"
        assert table.selection.all_except == {2}
        assert table.selection.count(table.row_count) == 999_999
        await pilot.press("u")
        assert table.selection.count(table.row_count) == 0
        assert "[ ]" in line(table, 1)
        await pilot.press("ctrl+t")
        assert table.selection.is_all
        await pilot.pause()
        counts = [m.count for m in pilot.app.of(VirtualTable.ChecksChanged)]
        assert counts == [1, 2, 1, 1_000_000, 999_999, 0, 1_000_000]


async def test_filter_change_keeps_explicit_checks_and_drops_all(make_app) -> None:
    source = SyntheticSource(1_000_000)
    async with make_app(source).run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press("down", "space")  # key 2
        source.set_step(2)
        table.reload()
        assert table.row_count == 500_000
        assert table.cursor_key == 2  # key 2 is still there, cursor follows it
        assert table.cursor_row == 0
        assert table.selection.explicit_keys == {2}
        await pilot.press("asterisk")
        calls = source.count_calls
        source.set_step(4)
        table.reload(count=250_000)
        assert source.count_calls == calls  # the precomputed count was used
        assert not table.selection.is_all
        assert table.selection.count(table.row_count) == 0
        await pilot.pause()
        assert pilot.app.of(VirtualTable.ChecksChanged)[-1].count == 0


async def test_sort_toggles_and_shows_the_first_screen_of_the_new_order(make_app) -> None:
    source = SyntheticSource(1_000_000)
    async with make_app(source).run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press("down", "down", "s")
        assert source.sort == ("id", False)
        assert "▲" in line(table, 0)
        await pilot.press("s")
        assert source.sort == ("id", True)
        assert "▼" in line(table, 0)
        assert table.cursor_row == 0
        assert table.cursor_key == source.window(0, 1)[0].key
        await pilot.press("right", "s")
        assert table.cursor_column == 1
        assert source.sort == ("name", False)
        await pilot.pause()
        sorts = [(m.key, m.descending) for m in pilot.app.of(VirtualTable.SortChanged)]
        assert sorts == [("id", False), ("id", True), ("name", False)]


async def test_list_source_sort_and_hostile_values(make_app) -> None:
    columns = (Column("name", "Name", 20), Column("total", "Total", 8, kind="money"))
    rows = [
        TableRow(1, ("Smith [/] Ltd", "10.00")),
        TableRow(2, ("[bold]x[/]", "2.00")),
        TableRow(3, ("\x1b[31mred", "30.00")),
        TableRow(4, ("tab\there\nnewline\r", "1.00")),
        TableRow(5, ("[link=http://x]y[/link]", "5")),
    ]
    source = ListSource(columns, rows)
    async with make_app(source).run_test(size=SIZE) as pilot:
        table = pilot.app.table
        text = [line(table, y) for y in range(1, 6)]
        assert "Smith [/] Ltd" in text[0]
        assert "[bold]x[/]" in text[1]
        assert "␛[31mred" in text[2]
        assert "tab␉here␊newline␍" in text[3]
        assert "[link=http://x]y[/link]" in text[4]
        assert all(cell_len(t) == 120 for t in text)
        assert "\x1b" not in "".join(text)
        await pilot.press("right", "s")
        assert [r.key for r in source.window(0, 5)] == [4, 2, 5, 1, 3]
        assert table.cursor_row == 0  # the first row of the new order
        assert table.cursor_key == 4


async def test_empty_source(make_app) -> None:
    source = ListSource((Column("name", "Name"),), [])
    async with make_app(source).run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press("down", "end", "space", "enter", "m", "s")
        assert table.cursor_key is None and table.current_row() is None
        assert not pilot.app.menu.is_open


async def test_mouse(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.click(VirtualTable, offset=(20, 4))
        assert table.cursor_row == 3
        await pilot.click(VirtualTable, offset=(2, 5))  # the checkbox
        assert table.selection.explicit_keys == {5}
        await pilot.click(VirtualTable, offset=(30, 6), button=3)
        await pilot.pause()
        assert table.cursor_key == 6
        assert pilot.app.of(VirtualTable.MenuRequested)[-1].key == 6
        assert pilot.app.menu.is_open


async def test_rows_read_ahead_by_a_worker_are_shown_without_reading_again(make_app) -> None:
    """A filter's count and first rows come from a worker: the repaint reads nothing."""
    source = SyntheticSource(1_000_000)
    async with make_app(source).run_test(size=SIZE) as pilot:
        table = pilot.app.table
        await pilot.press(*["pagedown"] * 3, "down")
        offset, limit = table.window_after_reload(500)
        assert offset <= table.cursor_row < offset + limit and limit >= PAGE
        rows = [TableRow(key=9000 + i, values=(str(i), f"Ahead {i}", "", "")) for i in range(limit)]
        source.window_calls.clear()
        table.reload(keep_key=False, count=500, window=(offset, rows))
        await pilot.pause()
        shown = [line(table, y) for y in range(1, PAGE + 1)]
        assert source.window_calls == []
        assert any("Ahead" in text for text in shown)
        assert table.cursor_key == rows[table.cursor_row - offset].key
        assert table.row_count == 500
