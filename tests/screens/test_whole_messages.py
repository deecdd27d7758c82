"""Every message shows whole, at 80x24 and at 120x40, and every screen answers the same keys.

Each check reads what the terminal shows (the compositor's full frame as text) inside the
region of the widget that carries the message, so a message cut at a border or clipped
by its container fails. On the demo database, driven by keys through Pilot.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widget import Widget
from textual.widgets import Input, Select

from tests.conftest import settle
from xoro_tui.app import XoroApp
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.seed.demo import create_demo
from xoro_tui.data.store.opening import open_database

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("whole") / "demo.sqlite"
    create_demo(path)
    return path


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path):
    import shutil

    path = tmp_path / "xoro.sqlite"
    shutil.copy(demo_source, path)
    db = open_database(path)
    yield db, path
    db.conn.close()


def screen_lines(app: XoroApp) -> list[str]:
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      force_terminal=True, color_system="truecolor", record=True)  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True,
                                                       screen_stack=app._background_screens))  # fmt: skip
    return console.export_text().splitlines()


#: what frames a widget (borders, Textual's tall outlines): not part of any message
FRAME = str.maketrans("", "", "│╭╮╰╯─▎▊▔▁┌┐└┘")


def words(text: str) -> str:
    return " ".join(text.translate(FRAME).split())


def shown_in(app: XoroApp, widget: Widget) -> str:
    """The text the terminal shows in the widget's region, lines joined by spaces."""
    region = widget.region
    lines = screen_lines(app)[region.y : region.y + region.height]
    return words(" ".join(line[region.x : region.x + region.width] for line in lines))


async def to_refunds(app: XoroApp, pilot) -> None:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("R")
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_refund_centre_shows_every_currency_total(demo, size) -> None:  # noqa: ANN001
    db, path = demo
    currencies = [
        row[0]
        for row in db.conn.execute(
            "SELECT DISTINCT currency FROM refunds WHERE status != 'Voided' ORDER BY 1"
        )
    ]
    assert len(currencies) >= 5
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await to_refunds(app, pilot)
        totals = shown_in(app, app.screen.query_one("#totals"))
        for currency in currencies:
            assert f"{currency} " in totals, (currency, totals)
        assert totals.endswith(")")  # the last total's count, not a cut number
        counts = shown_in(app, app.screen.query_one("#status-counts"))
        assert "7 Voided" in counts and "6 Cleared" in counts
        status = shown_in(app, app.screen.query_one("#status"))
        assert status.endswith("everyone may do everything")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_stale_refund_edit_lists_theirs_and_yours_and_the_reload_key(demo, size) -> None:  # noqa: ANN001
    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await to_refunds(app, pilot)
        await pilot.press("1")  # Drafts: the amount may still change
        await settle(app, pilot)
        await pilot.press("m", "u")
        await settle(app, pilot)
        form = app.screen
        refund = form.refund
        RefundRepository(db, user="someone").update(
            refund.id, refund.version, RefundUpdate(memo="Their memo", reference="THEIRS-1")
        )
        memo = form.query_one("#memo", Input)
        memo.focus()
        memo.value = "My memo"
        await pilot.press("ctrl+s")
        await pilot.pause()
        conflict = form.query_one("#conflict")
        text = shown_in(app, conflict)
        assert "changed by someone else since you opened it" in text
        assert "(changed by someone)" in text
        assert "Memo: theirs Their memo · yours My memo" in text
        assert "Reference: theirs THEIRS-1 · yours (empty)" in text
        assert text.endswith("ctrl+r reloads their version (your input here is then replaced)")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_update_refund_status_shows_its_value_closed(demo, size) -> None:  # noqa: ANN001
    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await to_refunds(app, pilot)
        await pilot.press("1", "m", "u")
        await settle(app, pilot)
        status = app.screen.query_one("#status", Select)
        status.scroll_visible(animate=False)
        await pilot.pause()
        assert status.region.height == 3
        assert "Draft" in shown_in(app, status)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_batch_delete_question_is_whole(demo, size) -> None:  # noqa: ANN001
    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("asterisk", "a", "d")  # every customer: every kind of record
        await settle(app, pilot)
        prompt = app.screen.query_one("#prompt")
        assert prompt.is_open
        question = words(prompt._question.plain)
        assert "invoice" in question and "Restorable for" in question
        text = shown_in(app, prompt)
        assert question in text
        assert "Yes (y)" in text and "No (n)" in text
        await pilot.press("ctrl+g")  # ctrl+g answers No, as Escape does
        await pilot.pause()
        assert not prompt.is_open
        assert db.conn.execute("SELECT count(*) FROM customers WHERE state = 'deleted'")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_save_view_error_is_whole(demo, size) -> None:  # noqa: ANN001
    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+s", "ctrl+u", "a", "/", "b", "enter")
        await pilot.pause()
        error = app.screen.query_one("#error")
        assert shown_in(app, error) == (
            "A name of 1 to 60 characters, without / or control characters"
        )
        await pilot.press("f1")  # help from a dialog, with the focus in a text field
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("ctrl+g", "ctrl+g")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerCentre"


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_every_form_key_is_on_the_bar_or_in_help(demo, size) -> None:  # noqa: ANN001
    """The customer form's keys that do not fit on the key bar are behind "More" (F1 in a
    text field), and help lists them all."""
    from xoro_tui.widgets.key_bar import KeyBar

    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        bar = shown_in(app, form.query_one(KeyBar))
        wanted = ["Save", "Cancel", "Next tab", "Reload", "Duplicate", "Estimate", "SO",
                  "Invoice", "Portal", "Direct debit"]  # fmt: skip
        missing = [w for w in wanted if f" {w}" not in f" {bar} "]
        if missing:
            assert bar.endswith("f1 More")
        await pilot.press("f1")
        await pilot.pause()
        help_text = words(str(app.screen.query_one("#help-body Static").render()))
        for word in wanted:
            assert word in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_print_dialog_shows_the_path_and_scp_line_each_on_its_own_line(
    demo,  # noqa: ANN001
    size,  # noqa: ANN001
) -> None:
    from xoro_tui.documents.printing import scp_line
    from xoro_tui.screens.dialogs.print_dialog import PrintDialog

    db, path = demo
    pdf = path.parent / ("a-long-file-name-for-an-export-" * 2 + "x.pdf")
    pdf.write_bytes(b"%PDF-1.4\n")
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.push_screen(PrintDialog(pdf, "Exported"))
        await settle(app, pilot)
        # the path starts a line of its own and reads whole (folded only where it is wider
        # than the dialog); the scp command is one line, never broken, scrolled if wider
        path_widget = app.screen.query_one("#path")
        region = path_widget.region
        lines = screen_lines(app)[region.y : region.y + region.height]
        assert "".join(line[region.x : region.right].strip() for line in lines) == str(pdf)
        scp = app.screen.query_one("#scp")
        assert str(scp.render()) == scp_line(pdf)
        assert scp.region.height == 1
        if scp.region.width <= app.size.width - 4:
            assert words(shown_in(app, scp)) == scp_line(pdf)


async def test_on_and_off_show_as_different_glyphs(demo) -> None:  # noqa: ANN001
    db, path = demo
    app = XoroApp(db, path, low_bandwidth=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        radios = app.screen.query_one("#combine")
        text = shown_in(app, radios)
        assert "(•) All conditions (AND)" in text and "( ) Any condition (OR)" in text
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("enter")  # the customer form: its flags are checkboxes
        await settle(app, pilot)
        flags = [w for w in app.screen.query("Checkbox") if w.region.height]
        assert flags
        for flag in flags:
            shown = shown_in(app, flag)
            assert shown.startswith("[x]" if flag.value else "[ ]"), shown


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_stale_customer_edit_lists_theirs_and_yours_and_the_reload_key(demo, size) -> None:  # noqa: ANN001
    from xoro_tui.data.customers.customer_repo import CustomerRepository
    from xoro_tui.data.models.entities import CustomerIn
    from xoro_tui.screens.customers.form_fields import input_id

    db, path = demo
    app = XoroApp(db, path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        repo = CustomerRepository(db)
        stored = repo.get(form.customer_id)
        theirs = stored.model_dump(include=set(CustomerIn.model_fields))
        theirs["phone"] = "0113 496 9999"
        repo.update(stored.id, stored.version, CustomerIn.model_validate(theirs))
        form.query_one(f"#{input_id('name')}", Input).value = "My New Name"
        await pilot.press("ctrl+s")
        await pilot.pause()
        panel = form.query_one("#stale-panel")
        assert panel.display
        text = shown_in(app, panel)
        assert "changed by someone else" in text and "Reload (ctrl+r)" in text
        assert f"Phone: theirs 0113 496 9999 · yours {stored.phone}" in text
        assert "Customer name: theirs" not in text  # only what they changed is listed
