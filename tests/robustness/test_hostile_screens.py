"""Every screen and menu shows hostile values literally and never sends a raw control code.

Customers and refunds carry markup-like text (``Smith [/] Ltd``, ``[bold]x[/]``,
``[link=http://e]x[/link]``), saved through the repositories; "older rows" carry ESC and
BEL, written directly with SQL since the forms refuse them. The Customer Centre (table,
row menu, actions menu, view-row panel, column picker, help), the customer form,
Customer Info, the Refund Centre with its row menu, the refund receipt and Update
Refund must show the markup as typed, show control characters as visible placeholders
(``␛``, ``␇``), and must not crash (a MarkupError would end the test).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.connection import write_tx
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.customers.customer_form import CustomerForm
from xoro_tui.screens.customers.customer_info import CustomerInfo
from xoro_tui.screens.dialogs.help_screen import HelpScreen
from xoro_tui.screens.refunds.receipt_view import RefundReceipt
from xoro_tui.screens.refunds.refund_centre import RefundCentre
from xoro_tui.screens.refunds.refund_form import RefundForm
from xoro_tui.widgets.column_picker import ColumnPicker
from xoro_tui.widgets.info_panel import InfoPanel
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import plain
from xoro_tui.widgets.virtual_table import VirtualTable

MARKUP = {"H1": "Smith [/] Ltd", "H2": "[bold]x[/]", "H3": "[link=http://e]x[/link]"}
ESC_NAME = "\x1b[31mRed\x1b[0m Ltd"
ESC_SHOWN = "␛[31mRed␛[0m Ltd"
BELL_NAME, BELL_SHOWN = "Bell\x07 Ltd", "Bell␇ Ltd"
ESC_MEMO, ESC_MEMO_SHOWN = "\x1b[2Jclear", "␛[2Jclear"
MARKUP_MEMO = "[bold]memo[/] [link=http://e]x[/link]"
#: C0 and C1 controls and DEL: none may reach the terminal as such
CONTROLS = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
UI_BUG = (
    "UI bug for the lead: Input widgets get stored text raw, so an older row's ESC reaches "
    "the terminal; xoro_tui/screens/{where}"
)


class RawControlOnScreen(AssertionError):
    """A control character reached the rendered screen as itself."""


@pytest.fixture
def hostile(db) -> dict[str, int]:
    """Customers H1-H3 with markup names, H4/H5 with ESC/BEL names (written with SQL),
    a cheque refund with a markup memo on H1 and a refund with an ESC memo on H4."""
    customers = CustomerRepository(db)
    refunds = RefundRepository(db)
    refunds.add_refund_account("[bold]Main[/]")
    ids = {
        account: customers.create(
            CustomerIn(
                account_number=account,
                name=name,
                bill_to_line1="[red]addr[/]",
                references=["[/]ref"],
                tags=["[b]tag[/b]"],
            )
        ).id  # fmt: skip
        for account, name in {**MARKUP, "H4": "Esc Row", "H5": "Bell Row"}.items()
    }
    with write_tx(db) as conn:
        conn.execute("UPDATE customers SET name = ?, bill_to_city = ? WHERE id = ?",
                     (ESC_NAME, "\x07city", ids["H4"]))  # fmt: skip
        conn.execute("UPDATE customers SET name = ? WHERE id = ?", (BELL_NAME, ids["H5"]))
    ids["R1"] = refunds.create(ids["H1"], amount=1234, currency="USD",
                               refund_date=dt.date(2024, 1, 2), payment_method="Cheque",
                               refund_account="[bold]Main[/]", memo=MARKUP_MEMO,
                               reference="[/]ref").id  # fmt: skip
    ids["R2"] = refunds.create(ids["H4"], amount=99, currency="USD",
                               refund_date=dt.date(2024, 1, 3), payment_method="Cash").id  # fmt: skip
    with write_tx(db) as conn:
        conn.execute("UPDATE refunds SET memo = ?, reference = ? WHERE id = ?",
                     (ESC_MEMO, "\x07ref", ids["R2"]))  # fmt: skip
    return ids


def rendered(app: XoroApp) -> tuple[str, set[str]]:
    """What the terminal shows as text, and the raw control characters in it."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    raw = {ch for strip in update.strips for seg in strip for ch in seg.text if ch in CONTROLS}
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      force_terminal=True, color_system="truecolor", record=True)  # fmt: skip
    console.print(update)
    return console.export_text(), raw


async def shows(app: XoroApp, pilot, *texts: str) -> str:
    """The screen shows every text literally and no raw control character."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    text, raw = rendered(app)
    if raw:
        raise RawControlOnScreen(f"raw {sorted(raw)!r} on {type(app.screen).__name__}")
    for expected in texts:
        assert expected in text, f"{expected!r} not shown on {type(app.screen).__name__}"
    return text


def input_values(app: XoroApp) -> list[str]:
    """The values of the form's text fields, as stored (never markup-parsed)."""
    return [field.value for field in app.screen.query(Input)]


async def cursor_to(pilot, table: VirtualTable, text: str) -> None:
    """Move the table cursor to the row showing ``text`` (values may be stored text)."""
    await pilot.press("home")
    for _ in range(table.row_count):
        row = table.current_row()
        if row is not None and any(text in plain(value) for value in row.values):
            return
        await pilot.press("down")
    raise AssertionError(f"no row shows {text!r}")


async def test_customer_centre_table_menus_panels_and_help(db, db_path: Path, hostile) -> None:
    """The table, row menu ``m``, actions menu ``a``, view row ``v``, columns ``c`` and
    help ``?`` show markup as typed and control characters as placeholders."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)
        table = app.screen.query_one(VirtualTable)
        names = {plain(row.values[1]) for row in table.source.window(0, 10)}
        assert names == {*MARKUP.values(), ESC_SHOWN, BELL_SHOWN}
        await shows(app, pilot, *MARKUP.values(), ESC_SHOWN, BELL_SHOWN)

        for account, name in [*MARKUP.items(), ("H4", ESC_SHOWN)]:
            await cursor_to(pilot, table, name)
            await pilot.press("m")
            menu = app.screen.query_one(RowMenu)
            assert menu.is_open and name in menu.render().plain
            await shows(app, pilot, name, "Customer Info")
            await pilot.press("escape")
            await pilot.press("v")
            panel = app.screen.query_one(InfoPanel)
            assert name in panel.render().plain and account in panel.render().plain
            await shows(app, pilot, name)
            await pilot.press("escape")

        await pilot.press("a")
        assert app.screen.query_one(RowMenu).is_open
        await shows(app, pilot, "Merge", "Batch Update")
        await pilot.press("escape")
        await pilot.press("c")
        assert app.screen.query_one(ColumnPicker).is_open
        await shows(app, pilot, "Customer Name", *MARKUP.values())
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await shows(app, pilot, "Menu")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)


async def test_customer_form_shows_markup_as_typed(db, db_path: Path, hostile) -> None:
    """Enter on ``Smith [/] Ltd`` (a closing tag with nothing to close: a MarkupError if
    it were ever parsed): the title and the fields hold the text exactly."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await cursor_to(pilot, app.screen.query_one(VirtualTable), MARKUP["H1"])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm)
        values = input_values(app)
        assert MARKUP["H1"] in values and "[red]addr[/]" in values
        await shows(app, pilot, MARKUP["H1"])
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCentre)


async def test_customer_info_of_hostile_customers(db, db_path: Path, hostile) -> None:
    """Customer Info (row menu ``i``) titles and rows show the names and memos safely;
    an older row with control characters opens instead of crashing the read."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        for name, memo in ((ESC_SHOWN, ESC_MEMO_SHOWN), (MARKUP["H1"], "[bold]memo[/]")):
            await cursor_to(pilot, table, name)
            await pilot.press("m", "i")
            await pilot.pause()
            assert isinstance(app.screen, CustomerInfo)
            await shows(app, pilot, name, memo)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CustomerCentre)


async def test_customer_form_of_an_older_row_sends_no_escape(db, db_path: Path, hostile) -> None:
    """Enter on the customer whose stored name holds ESC: the form opens (the data layer
    reads the row as stored) and must show ``␛``, never the raw ESC."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await cursor_to(pilot, app.screen.query_one(VirtualTable), ESC_SHOWN)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm)
        values = input_values(app)
        assert ESC_NAME not in values  # the raw code never reaches an input
        assert ESC_SHOWN in "".join(values)
        await shows(app, pilot, ESC_SHOWN)


async def test_refund_centre_menu_receipt_and_update(db, db_path: Path, hostile) -> None:
    """``R``, the row menu, the receipt (enter) and Update Refund (``u`` from the receipt,
    and from the menu) of the refund with markup in its memo, reference and account."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RefundCentre)
        table = app.screen.query_one(VirtualTable)
        await shows(app, pilot, MARKUP["H1"], ESC_SHOWN)
        await cursor_to(pilot, table, MARKUP["H1"])
        await pilot.press("m")
        assert app.screen.query_one(RowMenu).is_open
        await shows(app, pilot, "View Refund Receipt", "Update Refund")
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefundReceipt)
        await shows(app, pilot, MARKUP["H1"], MARKUP_MEMO, "[/]ref", "[bold]Main[/]")
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, RefundForm)
        assert MARKUP_MEMO in input_values(app)
        await shows(app, pilot, MARKUP["H1"], "[/]ref")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RefundCentre)
        await cursor_to(pilot, table, MARKUP["H1"])
        await pilot.press("m", "u")
        await pilot.pause()
        assert isinstance(app.screen, RefundForm)
        await pilot.press("escape")
        await pilot.pause()

        await cursor_to(pilot, table, ESC_SHOWN)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefundReceipt)
        await shows(app, pilot, ESC_SHOWN, ESC_MEMO_SHOWN, "␇ref")


async def test_update_refund_of_an_older_row_sends_no_escape(db, db_path: Path, hostile) -> None:
    """Update Refund on the refund whose stored memo holds ESC must show ``␛``."""
    app = XoroApp(db, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        await cursor_to(pilot, app.screen.query_one(VirtualTable), ESC_SHOWN)
        await pilot.press("m", "u")
        await pilot.pause()
        assert isinstance(app.screen, RefundForm)
        await shows(app, pilot, ESC_MEMO_SHOWN)
