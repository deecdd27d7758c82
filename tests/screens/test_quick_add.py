"""Quick add: existing customers that likely match come first; otherwise the typed value
goes to the field it looks like."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.search.matching import guess_field, likely_matches
from xoro_tui.screens.customers.quick_add import CREATE_ID, QuickAdd, QuickAddResult


async def _open(app: XoroApp, pilot, results: list) -> QuickAdd:
    await pilot.pause()
    screen = QuickAdd()
    app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


def _prompts(screen: QuickAdd) -> list[str]:
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_same_email_is_offered_first_and_enter_opens_it(db, db_path: Path) -> None:
    customer(db, name="Email Lookalike", email="someone@other.example")
    wanted = customer(db, name="Zed Holdings", email="ap@zed.example")
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, results)
        await pilot.press(*"AP@zed.example")
        await pilot.pause()
        prompts = _prompts(screen)
        assert "Zed Holdings" in prompts[0] and "(same email)" in prompts[0]
        assert prompts[-1] == "Create new customer with Email: AP@zed.example"
        await pilot.press("enter")  # goes to the list, never creates on a fast Enter
        await pilot.pause()
        assert results == [] and screen.focused is screen.query_one(OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert results == [QuickAddResult(open_customer_id=wanted.id)]


async def test_create_entry_prefills_even_with_matches(db, db_path: Path) -> None:
    customer(db, name="Acme Ltd")
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, results)
        await pilot.press(*"Acme")
        await pilot.pause()
        options = screen.query_one(OptionList)
        assert options.option_count == 2
        assert options.get_option_at_index(1).id == CREATE_ID
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert results == [QuickAddResult(prefill={"name": "Acme"})]


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ("New Co Ltd", "name"),
        ("hello@newco.example", "email"),
        ("+44 20 7946 0958", "phone"),
        ("AB-123", "account_number"),
        ("C100200", "account_number"),
        ("not@an email", "name"),
        ("12345", "name"),
    ],
)
async def test_enter_with_no_match_prefills_the_field_it_looks_like(
    db, db_path: Path, typed: str, field: str
) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, results)
        await pilot.press(*typed)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert results == [QuickAddResult(prefill={field: typed})]


async def test_hostile_names_are_listed_literally(db, db_path: Path) -> None:
    customer(db, name="Smith [/] Ltd")
    customer(db, name="[bold]Smith[/]")
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, results)
        await pilot.press(*"smith")
        await pilot.pause()
        prompts = _prompts(screen)
        assert any("Smith [/] Ltd" in p for p in prompts)
        assert any("[bold]Smith[/]" in p for p in prompts)


async def test_escape_and_ctrl_g_cancel(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, results)
        await pilot.press("x", "escape")
        await pilot.pause()
        assert results == []  # something was typed: asked first
        await pilot.press("d")
        await pilot.pause()
        await _open(app, pilot, results)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert results == [None, None]


def test_likely_matches_ranks_exact_hits_first(db) -> None:
    by_name = customer(db, name="Phone Shop 555")
    by_phone = customer(db, name="Zulu", phone="+1 (555) 010-2233")
    by_account = customer(db, account_number="QQ-77", name="Quebec")
    gone = customer(db, name="Deleted Phone", phone="555 010 2233")
    from xoro_tui.data.customers.customer_repo import CustomerRepository

    CustomerRepository(db).delete(gone.id, gone.version)

    phone = likely_matches(db, "555-010-2233")
    assert [m.id for m in phone] == [by_phone.id]
    assert phone[0].reason == "same phone"
    assert likely_matches(db, "5550102233")[0].id == by_phone.id
    assert likely_matches(db, "qq-77")[0].id == by_account.id
    assert likely_matches(db, "qq-77")[0].reason == "same account number"
    assert by_name.id in [m.id for m in likely_matches(db, "shop")]
    assert likely_matches(db, "   ") == []


def test_likely_matches_stops_at_the_limit(db) -> None:
    for n in range(12):
        customer(db, name=f"Bulk Customer {n}")
    assert len(likely_matches(db, "bulk")) == 8
    assert len(likely_matches(db, "bulk", limit=3)) == 3


def test_guess_field() -> None:
    assert guess_field(" a@b.example ") == "email"
    assert guess_field("(0113) 496-0000") == "phone"
    assert guess_field("ab1234") == "account_number"
    assert guess_field("ABCDE-1") == "name"
    assert guess_field("Smith & Sons") == "name"
