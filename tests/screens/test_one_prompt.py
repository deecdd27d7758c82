"""Every yes / no question is the one prompt: the same look and the same keys on a list, in a
form and on Customer Info; whole at 80x24; the focus goes back where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.factories import customer
from tests.screens.test_customer_form import Harness, run
from tests.screens.test_whole_messages import shown_in, words
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import merge
from xoro_tui.screens.customers.customer_form import CustomerForm
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.lists.results_screen import ResultsScreen
from xoro_tui.widgets.prompt import ConfirmPrompt

#: every key that answers No, Enter included (the highlighted choice starts on No)
NO_KEYS = ["n", "q", "escape", "ctrl+g", "enter"]


def shows_whole(app: XoroApp, prompt: ConfirmPrompt) -> None:
    text = shown_in(app, prompt)
    assert words(prompt._question.plain) in text
    assert "Yes (y)" in text and "No (n)" in text


@pytest.mark.parametrize("key", NO_KEYS)
async def test_undo_merge_asks_on_the_prompt_and_no_keeps_the_merge(
    db, db_path: Path, key: str
) -> None:
    primary = customer(db, name="Acme Trading Ltd")
    secondary = customer(db, name="ACME Trading Limited")
    merge(db, primary.id, [secondary.id])
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        info = CustomerInfo(primary.id)
        app.push_screen(info)
        await pilot.pause()
        table = info.query_one("#transactions", DataTable)
        assert info.focused is table
        await pilot.press("U")
        await pilot.pause()
        prompt = info.query_one(ConfirmPrompt)
        assert prompt.is_open and info.focused is prompt
        assert "Undo the merge of" in prompt._question.plain
        shows_whole(app, prompt)
        await pilot.press(key)
        await pilot.pause()
        assert not prompt.is_open
        assert app.screen is info and info.focused is table
    state = db.conn.execute("SELECT state FROM customers WHERE id = ?", (secondary.id,))
    assert state.fetchone()[0] != "active"


async def test_undo_merge_yes_undoes_it(db, db_path: Path) -> None:
    primary = customer(db, name="Acme Trading Ltd")
    secondary = customer(db, name="ACME Trading Limited")
    merge(db, primary.id, [secondary.id])
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CustomerInfo(primary.id))
        await pilot.pause()
        await pilot.press("U", "tab", "enter")  # tab highlights Yes; Enter picks it
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    state = db.conn.execute("SELECT state FROM customers WHERE id = ?", (secondary.id,))
    assert state.fetchone()[0] == "active"


@pytest.mark.parametrize("key", NO_KEYS)
async def test_the_form_reload_question_is_the_same_prompt(db, db_path: Path, key: str) -> None:
    existing = customer(db, name="Old Name")
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.type_into("name", "My New Name")
        await h.press("ctrl+r")
        prompt = h.form.query_one(ConfirmPrompt)
        assert h.form.confirm.is_open and prompt.is_open and h.form.focused is prompt
        assert not h.form.confirm.asks_unsaved
        shows_whole(app, prompt)
        await h.press(key)
        assert not h.form.confirm.is_open
        assert app.screen is h.form  # Escape / ctrl+g answered the question, not the form
        assert h.form.focused is h.input("name")
        assert h.input("name").value == "My New Name"
        await h.press("ctrl+r", "y")
        assert h.input("name").value == "Old Name"
    assert CustomerRepository(db).get(existing.id).name == "Old Name"


@pytest.mark.parametrize("key", NO_KEYS)
async def test_deleting_a_view_asks_on_the_same_prompt(db, db_path: Path, key: str) -> None:
    from textual.widgets import Label, OptionList

    from tests.screens.test_table_keys import settle
    from xoro_tui.data.models.views import View
    from xoro_tui.data.store.ui_settings import SettingsRepository
    from xoro_tui.screens.lists.views_dialog import ChooseView

    customer(db, name="Alpha Ltd")
    SettingsRepository(db).save_view("customers", "Mine", View(columns=["name"]))
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("V")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChooseView)
        await pilot.press("d")
        await pilot.pause()
        prompt = dialog.query_one(ConfirmPrompt)
        assert prompt.is_open and dialog.focused is prompt
        assert prompt._question.plain == "Delete the view 'Mine'?"
        shows_whole(app, prompt)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is dialog and not prompt.is_open
        assert dialog.focused is dialog.query_one(OptionList)
        assert "Not deleted" in str(dialog.query_one("#error", Label).render())
        assert SettingsRepository(db).views("customers") == ["Mine"]
        await pilot.press("d", "y")
        await pilot.pause()
        assert SettingsRepository(db).views("customers") == []
