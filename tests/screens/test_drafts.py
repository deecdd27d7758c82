"""A dropped link (SIGHUP) keeps the open form's input as a draft, offered back next time."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.store.drafts import DraftRepository
from xoro_tui.screens.customers.customer_form import CustomerForm


async def test_hang_up_keeps_the_form_as_a_draft_and_saves_nothing(db, db_path: Path) -> None:
    saved = customer(db, name="Before")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        name = form.query_one("#field-name", Input)
        name.value = "Typed but not saved"
        await pilot.pause()
        app.hang_up()
        await pilot.pause()
    assert CustomerRepository(db).get(saved.id).name == "Before"
    draft = DraftRepository(db).get("customer_form", str(saved.id))
    assert draft is not None and draft[0]["name"] == "Typed but not saved"

    again = XoroApp(db, db_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        form = again.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#field-name", Input).value == "Typed but not saved"
        assert "Restored the input" in str(form.query_one("#form-message").render())
    assert DraftRepository(db).get("customer_form", str(saved.id)) is None
