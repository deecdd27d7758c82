"""RowMenu and ConfirmPrompt: shown on the overlay layer while the table keeps focus."""

from __future__ import annotations

from rich.text import Text

from xoro_tui.widgets.prompt import ConfirmPrompt
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)


async def test_menu_opens_and_table_keeps_focus(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app, table, menu = pilot.app, pilot.app.table, pilot.app.menu
        assert menu.styles.visibility == "hidden"
        await pilot.press("down", "m")
        await pilot.pause()
        assert menu.is_open
        assert menu.styles.visibility == "visible"
        assert app.focused is table
        requested = app.of(VirtualTable.MenuRequested)[-1]
        assert requested.key == 2
        assert requested.screen_y == 2  # header on line 0, row 2 on line 2
        assert menu.region.y == 3  # just below the row
        # Keys go to the menu, not to the table.
        await pilot.press("down", "down", "up")
        assert menu.highlighted == 1
        assert table.cursor_row == 1
        await pilot.press("enter")
        await pilot.pause()
        assert not menu.is_open
        assert menu.styles.visibility == "hidden"
        picked = app.of(RowMenu.Picked)
        assert [(p.entry_id, p.row_key) for p in picked] == [("edit", 2)]
        assert app.focused is table
        await pilot.press("down")
        assert table.cursor_row == 2  # the table has its keys back


async def test_menu_escape_q_and_hint_keys(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app, menu = pilot.app, pilot.app.menu
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not menu.is_open
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not menu.is_open
        assert len(app.of(RowMenu.Closed)) == 2
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("s")  # not a hint and not a table key while open
        assert app.table.source.sort is None
        await pilot.press("d")
        await pilot.pause()
        assert [p.entry_id for p in app.of(RowMenu.Picked)] == ["delete"]


async def test_menu_keys_for_shift_f10_and_menu_key(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        for key in ("f16", "f20", "f22", "shift+f10"):
            await pilot.press(key)
            await pilot.pause()
            assert pilot.app.menu.is_open, key
            await pilot.press("escape")
            await pilot.pause()
        assert len(pilot.app.of(VirtualTable.MenuRequested)) == 4


async def test_menu_near_bottom_opens_above(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        for _ in range(37):
            await pilot.press("down")
        await pilot.press("m")
        await pilot.pause()
        menu = pilot.app.menu
        assert menu.region.bottom <= 38  # above row 38 (screen line 38)


async def test_menu_title_and_labels_are_literal(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        menu = pilot.app.menu
        menu.open(
            [("x", "[bold]Edit[/]", "e"), ("y", "Smith [/] Ltd\x1b[2J", "")],
            Text("[link=http://x]ACME[/link]\n"),
            5,
            row_key=7,
        )
        await pilot.pause()
        rendered = menu.render().plain
        assert "[link=http://x]ACME[/link]␊" in rendered
        assert "[bold]Edit[/]" in rendered
        assert "Smith [/] Ltd␛[2J" in rendered
        await pilot.click(RowMenu, offset=(3, 2))
        await pilot.pause()
        assert [(p.entry_id, p.row_key) for p in pilot.app.of(RowMenu.Picked)] == [("y", 7)]


async def test_click_on_table_closes_menu(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.click(VirtualTable, offset=(100, 30))
        await pilot.pause()
        assert not pilot.app.menu.is_open
        assert pilot.app.table.cursor_row == 0  # that click only closed the menu


async def ask(pilot, *keys: str, default_yes: bool = False) -> list[bool]:
    answers: list[bool] = []
    pilot.app.prompt.ask(
        "Delete [bold]Smith [/] Ltd[/]?", answers.append, token="t", default_yes=default_yes
    )
    await pilot.pause()
    assert pilot.app.prompt.is_open
    assert pilot.app.focused is pilot.app.table
    await pilot.press(*keys)
    await pilot.pause()
    assert not pilot.app.prompt.is_open
    return answers


async def test_prompt_answers(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        assert await ask(pilot, "y") == [True]
        assert await ask(pilot, "n") == [False]
        assert await ask(pilot, "enter") == [False]  # default No
        assert await ask(pilot, "right", "enter") == [True]
        assert await ask(pilot, "enter", default_yes=True) == [True]
        assert await ask(pilot, "escape") == [False]
        assert await ask(pilot, "q") == [False]
        answered = pilot.app.of(ConfirmPrompt.Answered)
        assert [(a.token, a.yes) for a in answered] == [
            ("t", True),
            ("t", False),
            ("t", False),
            ("t", True),
            ("t", True),
            ("t", False),
            ("t", False),
        ]
        assert pilot.app.table.cursor_row == 0  # no key reached the table


async def test_prompt_question_is_literal(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        prompt = pilot.app.prompt
        prompt.ask("Delete [bold]Smith [/] Ltd[/]?\x1b[31m")
        await pilot.pause()
        assert "Delete [bold]Smith [/] Ltd[/]?␛[31m" in prompt.render().plain
        await pilot.press("y")


async def test_click_on_table_does_not_answer_prompt(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        pilot.app.prompt.ask("Sure?")
        await pilot.pause()
        await pilot.click(VirtualTable, offset=(100, 30))
        await pilot.pause()
        assert pilot.app.prompt.is_open
        assert pilot.app.table.cursor_row == 0
        await pilot.press("n")
        await pilot.pause()
        assert [a.yes for a in pilot.app.of(ConfirmPrompt.Answered)] == [False]
