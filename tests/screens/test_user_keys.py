"""Keys remapped per user in Settings → Keys: the new key runs the action and the old one
does not, the footer, help and menus show it, conflicts and reserved keys are refused with
nothing saved, the keys survive a restart, and another login keeps the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, OptionList, Static

from tests.conftest import settle, wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.store import clock
from xoro_tui.data.store.saved_keymaps import load_keymap
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.customers.quick_add import QuickAdd
from xoro_tui.screens.dialogs.help_screen import HelpScreen
from xoro_tui.screens.dialogs.keys_dialog import KeysDialog
from xoro_tui.screens.dialogs.settings_screen import SettingsScreen
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.row_menu import RowMenu

#: wide enough for the Centre's own keys to show in the footer after the table's
WIDE = (200, 40)


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch):
    """Act as the given OS login (as the other tests fake one)."""

    def as_user(name: str) -> None:
        monkeypatch.setattr(clock, "os_user", lambda: name)

    as_user("ann")
    return as_user


async def centre(app: XoroApp, pilot) -> CustomerCentre:  # noqa: ANN001
    await wait_until(pilot, lambda: isinstance(app.screen, CustomerCentre))
    await settle(app, pilot)
    return app.screen  # type: ignore[return-value]


async def open_keys(app: XoroApp, pilot) -> KeysDialog:  # noqa: ANN001
    """Settings (S) then Keys (ctrl+k), as a user gets there."""
    await pilot.press("S")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await pilot.press("ctrl+k")
    await wait_until(pilot, lambda: isinstance(app.screen, KeysDialog))
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


async def press_new_key(dialog: KeysDialog, pilot, action_id: str, *keys: str) -> str:  # noqa: ANN001
    """Highlight the action, Enter, then the keys; the dialog's message line."""
    listed = dialog.query_one(OptionList)
    listed.highlighted = listed.get_option_index(action_id)
    await pilot.pause()
    await pilot.press("enter", *keys)
    await pilot.pause()
    return str(dialog.query_one("#message", Label).render())


def line_of(dialog: KeysDialog, action_id: str) -> str:
    listed = dialog.query_one(OptionList)
    return str(listed.get_option(action_id).prompt)


def footer(app: XoroApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def back_to_centre(app: XoroApp, pilot) -> None:  # noqa: ANN001
    await pilot.press("escape")  # the Keys dialog
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await pilot.press("escape")  # Settings, unchanged
    await wait_until(pilot, lambda: isinstance(app.screen, CustomerCentre))
    await pilot.pause()


async def test_a_remapped_key_runs_its_action_and_shows_everywhere(
    db, db_path: Path, login
) -> None:
    customer(db, name="Alpha Ltd")
    app = XoroApp(db, db_path)
    async with app.run_test(size=WIDE) as pilot:
        await centre(app, pilot)
        assert " n New " in footer(app)
        dialog = await open_keys(app, pilot)
        assert line_of(dialog, "customers.new").split()[-2:] == ["n,", "+"]
        said = await press_new_key(dialog, pilot, "customers.new", "g")
        assert said == "New (Customer Centre): g"
        assert line_of(dialog, "customers.new").endswith(" g")
        assert load_keymap(db) == {"customers.new": "g"}
        await back_to_centre(app, pilot)

        line = footer(app)
        assert " g New " in line and " n New " not in line
        await pilot.press("n", "plus")  # the old keys do nothing now
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerCentre)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAdd))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerCentre))

        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = str(app.screen.query_one(Static).render())
        lines = [ln.split() for ln in text.splitlines()]
        assert ["g", "New"] in lines and ["n,", "+,", "New"] not in lines
        assert ["n,", "+", "New"] not in lines


async def test_a_taken_key_is_refused_naming_the_other_action_and_nothing_is_saved(
    db, db_path: Path, login
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await centre(app, pilot)
        dialog = await open_keys(app, pilot)
        said = await press_new_key(dialog, pilot, "customers.new", "a")
        assert said == "a is already 'Actions' in Customer Centre; choose another key"
        assert dialog.query_one("#message", Label).has_class("-error")
        # a key of the table, the list and the app count in the Centre too
        said = await press_new_key(dialog, pilot, "customers.new", "s")
        assert said == "s is already 'Sort' in Customer Centre; choose another key"
        said = await press_new_key(dialog, pilot, "list.refresh", "C")
        assert said == "C is already 'Customers' in Customer Centre; choose another key"
        said = await press_new_key(dialog, pilot, "customers.new", "ctrl+q")
        assert said.startswith("ctrl+q is reserved")
        # the app's own priority keys are caught too, not acted on
        said = await press_new_key(dialog, pilot, "customers.new", "question_mark")
        assert said == "? is already 'Help' in Customer Centre; choose another key"
        assert app.screen is dialog
        assert line_of(dialog, "customers.new").split()[-2:] == ["n,", "+"]
        assert load_keymap(db) == {}
        assert dict(app._keymap) == {}
        await back_to_centre(app, pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAdd))


async def test_a_key_name_can_be_typed(db, db_path: Path, login) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await centre(app, pilot)
        dialog = await open_keys(app, pilot)
        listed = dialog.query_one(OptionList)
        listed.highlighted = listed.get_option_index("list.refresh")
        await pilot.press("tab", *"F6", "enter")
        await pilot.pause()
        assert str(dialog.query_one("#message", Label).render()) == "Refresh (Every list): f6"
        assert app.focused is listed  # set: back on the list
        listed.highlighted = listed.get_option_index("list.clear_filter")
        await pilot.press("tab", *"nokey", "enter")
        await pilot.pause()
        said = str(dialog.query_one("#message", Label).render())
        assert said == "'nokey' is not a key name (for example: g, G, ctrl+k, f5)"
    assert load_keymap(db) == {"list.refresh": "f6"}


async def test_the_keys_survive_a_restart_and_another_login_keeps_the_defaults(
    db, db_path: Path, login
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await centre(app, pilot)
        dialog = await open_keys(app, pilot)
        await press_new_key(dialog, pilot, "customers.new", "g")
        await press_new_key(dialog, pilot, "customers.menu.merge", "w")

    again = XoroApp(db, db_path)
    async with again.run_test(size=WIDE) as pilot:
        await centre(again, pilot)
        assert " g New " in footer(again)
        await pilot.press("a")
        menu = again.screen.query_one(RowMenu)
        await wait_until(pilot, lambda: menu.is_open)
        assert ("merge", "Merge", "w") in [(e.id, e.label, e.key) for e in menu.entries]
        await pilot.press("escape", "n")
        await settle(again, pilot)
        assert isinstance(again.screen, CustomerCentre)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(again.screen, QuickAdd))

    login("bob")
    theirs = XoroApp(db, db_path)
    async with theirs.run_test(size=WIDE) as pilot:
        await centre(theirs, pilot)
        assert " n New " in footer(theirs)
        await pilot.press("g")
        await settle(theirs, pilot)
        assert isinstance(theirs.screen, CustomerCentre)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(theirs.screen, QuickAdd))
    assert load_keymap(db, "bob") == {}
    assert load_keymap(db, "ann") == {"customers.menu.merge": "w", "customers.new": "g"}


async def test_default_and_reset_all_bring_the_defaults_back(db, db_path: Path, login) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await centre(app, pilot)
        dialog = await open_keys(app, pilot)
        await press_new_key(dialog, pilot, "customers.new", "g")
        await press_new_key(dialog, pilot, "list.refresh", "f6")
        await pilot.press("ctrl+d")  # list.refresh is highlighted
        await pilot.pause()
        assert load_keymap(db) == {"customers.new": "g"}
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert load_keymap(db) == {"customers.new": "g"}  # asked first
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert str(dialog.query_one("#message", Label).render()) == (
            "Every key is at its default again"
        )
        assert load_keymap(db) == {}
        assert line_of(dialog, "customers.new").split()[-2:] == ["n,", "+"]
        await back_to_centre(app, pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAdd))
