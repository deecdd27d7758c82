"""The Credit Card Report screen: checked customers' cards, search, status keys, snapshots."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.card_list import list_reports, load_report
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CardIn
from xoro_tui.data.models.validators import looks_like_card_number
from xoro_tui.data.store.ui_settings import SettingsRepository
from xoro_tui.screens.customers import card_report as card_report_screen
from xoro_tui.screens.customers.card_report import (
    CardReport,
    ChooseReport,
    SavedCardReport,
    SaveReportDialog,
)
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.widgets.search_bar import SearchBar
from xoro_tui.widgets.virtual_table import VirtualTable

HOSTILE = "[bold]Bob[/] [link=http://x]Store[/link] \x1b[31m"
HOSTILE_SHOWN = "[bold]Bob[/] [link=http://x]Store[/link] ␛[31m"


def _last_day(month: int, year: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def expected_status(month: int, year: int) -> str:
    """The report's rule: a card is good through the last day of its expiry month."""
    today = dt.date.today()
    last = _last_day(month, year)
    if last < today:
        return "Expired"
    return "Expires within 30 days" if last < today + dt.timedelta(days=30) else "Valid"


def _month(day: dt.date) -> tuple[int, int]:
    return day.month, day.year


@pytest.fixture
def cards(db):
    """Ann: an expired card and one running out this month; Bob (hostile name): a valid one;
    Other: a card that must never show up in a report of Ann and Bob."""
    repo = CustomerRepository(db)
    ann = customer(db, name="Ann Shop", account_number="ANN-A")
    bob = customer(db, name=HOSTILE.replace("\x1b", ""), account_number="BOB-B")
    # an escape sequence can only come from older data: the forms refuse control characters
    db.conn.execute("UPDATE customers SET name = ? WHERE id = ?", (HOSTILE, bob.id))
    other = customer(db, name="Other Ltd", account_number="OTH-C")
    today = dt.date.today()
    expired = _month(today.replace(day=1) - dt.timedelta(days=1))
    expiring = _month(today + dt.timedelta(days=10))
    if expected_status(*expiring) != "Expires within 30 days":
        expiring = _month(today)
    valid = _month(today + dt.timedelta(days=400))
    for cust, last4, brand, (month, year) in (
        (ann, "1111", "Visa", expired),
        (ann, "2222", "Mastercard", expiring),
        (bob, "3333", "Amex", valid),
        (other, "4444", "Visa", valid),
    ):
        repo.add_card(cust.id, CardIn(brand=brand, last4=last4, exp_month=month, exp_year=year,
                                      cardholder=f"{last4[0]} holder"))  # fmt: skip
    return ann, bob, {"1111": expired, "2222": expiring, "3333": valid}


async def open_report(app: XoroApp, pilot, ids: list[int] | None) -> CardReport:
    await pilot.pause()
    screen = CardReport(ids)
    app.push_screen(screen)
    await settle(app, pilot)
    assert app.screen is screen
    return screen


def table_rows(screen) -> list[tuple[str, ...]]:
    table = screen.query_one(VirtualTable)
    return [r.values for r in table.source.window(0, table.row_count + 5)]


def screen_text(app: XoroApp) -> str:
    """What the terminal shows, as plain text."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      force_terminal=True, color_system="truecolor", record=True)  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True,
                                                       screen_stack=app._background_screens))  # fmt: skip
    return console.export_text()


def messages(app: XoroApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_checked_customers_cards_with_their_expiration_status(db, db_path, cards) -> None:
    ann, bob, months = cards
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, [ann.id, bob.id])
        assert screen.title == "Credit Card Report"
        table = screen.query_one(VirtualTable)
        assert [c.title for c in table.source.visible_columns] == [
            "Customer Name", "Card Brand", "Last 4", "Expiry", "Expiration Status"]  # fmt: skip
        got = sorted(table_rows(screen), key=lambda r: r[2])
        assert [r[2] for r in got] == ["1111", "2222", "3333"]  # Other's 4444 is left out
        assert [r[0] for r in got] == ["Ann Shop", "Ann Shop", HOSTILE]
        for row in got:
            month, year = months[row[2]]
            assert row[3] == f"{month:02d}/{year}"
            assert row[4] == expected_status(month, year)
        assert {r[4] for r in got} == {"Expired", "Expires within 30 days", "Valid"}
        status = str(screen.query_one("#status", Static).render())
        assert status.startswith("3 of 3 cards") and "2 checked customer" in status
        counts = str(screen.query_one("#status-counts", Static).render())
        assert "0 All 3" in counts and "1 Expired 1" in counts and "3 Valid 1" in counts
        # the hostile name is literal on screen, its escape made visible
        assert HOSTILE_SHOWN in screen_text(app)


async def test_no_ids_means_every_customer(db, db_path, cards) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, None)
        assert sorted(r[2] for r in table_rows(screen)) == ["1111", "2222", "3333", "4444"]


async def test_search_any_column_and_status_keys(db, db_path, cards) -> None:
    ann, bob, _ = cards
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, [ann.id, bob.id])
        table = screen.query_one(VirtualTable)
        await pilot.press("slash", *"master")
        await settle(app, pilot)
        assert [r[2] for r in table_rows(screen)] == ["2222"]
        assert "Any Column contains" in str(screen.query_one("#filter-line", Static).render())
        await pilot.press("escape")
        assert table.has_focus and app.screen is screen  # Escape in the search only leaves it
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert [r[2] for r in table_rows(screen)] == ["1111"]
        assert "status is Expired" in str(screen.query_one("#filter-line", Static).render())
        await pilot.press("3")
        await settle(app, pilot)
        assert [r[2] for r in table_rows(screen)] == ["3333"]
        await pilot.press("0")
        await settle(app, pilot)
        assert table.row_count == 3


async def test_search_one_column_whatever_the_centre_search_setting(db, db_path, cards) -> None:
    ann, bob, _ = cards
    SettingsRepository(db).put("app", "search_fields", ["any", "name"])  # a Centre setting
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, [ann.id, bob.id])
        bar = screen.query_one(SearchBar)
        bar.field = "brand"
        assert bar.field == "brand"
        await pilot.press("slash", *"visa")
        await settle(app, pilot)
        assert [r[2] for r in table_rows(screen)] == ["1111"]
        assert 'Card Brand contains "visa"' in screen_text(app)
        await pilot.press("escape", "S", "V")
        await pilot.pause()
        assert app.screen is screen  # no Centre settings or views from here


async def test_save_stores_a_snapshot_that_reopens_with_the_same_rows(db, db_path, cards) -> None:
    ann, bob, _ = cards
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, [ann.id, bob.id])
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("0")
        await settle(app, pilot)
        shown = [list(r) for r in table_rows(screen)]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveReportDialog)  # not the Centres' "save view"
        app.screen.query_one(Input).value = "[red]Month[/] end"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        [listed] = list_reports(db)
        saved = load_report(db, listed.id)
        assert saved.rows == shown
        assert saved.settings["customer_ids"] == [ann.id, bob.id]
        assert saved.settings["columns"] == screen.source.visible_keys
        assert saved.settings["row_count"] == 3
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ChooseReport)
        assert "[red]Month[/] end" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, SavedCardReport)
        assert view.title.startswith("Saved report [red]Month[/] end of ")
        assert [list(r) for r in table_rows(view)] == shown
        assert "read-only" in str(view.query_one("#status", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)


async def test_save_refuses_more_rows_than_the_cap(db, db_path, cards, monkeypatch) -> None:
    monkeypatch.setattr(card_report_screen, "MAX_SAVED_ROWS", 2)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, None)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert any("at most 2" in m for m in messages(app))
        assert list_reports(db) == []


async def test_no_more_than_four_digits_of_a_card_anywhere(db, db_path, cards) -> None:
    ann, bob, _ = cards
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot, [ann.id, bob.id])
        screens = [screen_text(app)]
        await pilot.press("c")
        await pilot.pause()
        screens.append(screen_text(app))  # the column picker offers every field
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # Escape closed the picker, not the report
        await pilot.press("v")
        await pilot.pause()
        screens.append(screen_text(app))
        assert HOSTILE_SHOWN in screens[-1] or "Ann Shop" in screens[-1]
        await pilot.press("escape")
        screen.save_snapshot("Digits")
        await pilot.press("o", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SavedCardReport)
        screens.append(screen_text(app))
        windows = [v for r in table_rows(screen) for v in r] + [
            v for r in load_report(db, list_reports(db)[0].id).rows for v in r
        ]
        for text in [*screens, *windows]:
            text = text.replace(str(db_path), "")
            assert not re.search(r"\d{5,}", text), text
            assert not looks_like_card_number(text)


async def test_download_and_back(db, db_path: Path, cards) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(app, pilot, [])
        await pilot.press("d")
        await pilot.pause()
        from xoro_tui.screens.lists.download_dialog import DownloadDialog

        assert isinstance(app.screen, DownloadDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)
