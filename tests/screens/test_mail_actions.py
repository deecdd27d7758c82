"""Portal Invitations and Direct Debit from the Customer Centre: "queued" while mail waits in
the outbox, "sent" only once a real SMTP server (aiosmtpd on 127.0.0.1) took it; Direct Debit
asks before sending a request again."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from textual.widgets import Static

from tests.data.test_outbox_smtp import Inbox, free_port
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.lists.results_screen import ResultsScreen
from xoro_tui.widgets.prompt import ConfirmPrompt

SMTP_ENV = ("HOST", "PORT", "TLS", "USER", "PASSWORD", "FROM")


@pytest.fixture
def no_smtp(monkeypatch):
    for name in SMTP_ENV:
        monkeypatch.delenv(f"XORO_TUI_SMTP_{name}", raising=False)


@pytest.fixture
def smtp_server(monkeypatch, no_smtp):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("XORO_TUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("XORO_TUI_SMTP_PORT", str(port))
    monkeypatch.setenv("XORO_TUI_SMTP_TLS", "none")
    yield inbox
    controller.stop()


def results_text(app: XoroApp) -> str:
    assert isinstance(app.screen, ResultsScreen)
    return str(app.screen.query_one("#results", Static).render())


async def wait_for_results(app: XoroApp, pilot) -> str:
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if isinstance(app.screen, ResultsScreen):
            return results_text(app)
    raise AssertionError("no results screen")


async def invite_all(app: XoroApp, pilot) -> None:
    await pilot.pause()
    assert isinstance(app.screen, CustomerCentre)
    await pilot.press("asterisk", "a", "p")


async def test_invitations_say_queued_when_smtp_is_not_configured(
    db, db_path: Path, no_smtp
) -> None:
    a = customer(db, name="Alpha", portal_status="Active", email="a@example.com")
    customer(db, name="Beta", portal_status="Inactive", email="b@example.com")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await invite_all(app, pilot)
        text = await wait_for_results(app, pilot)
    assert f"queued   {a.account_number}" in text and "a@example.com" in text
    assert "1 queued, 1 skipped; SMTP is not configured" in text
    assert "sent" not in text.replace("(portal not active)", "")
    assert db.conn.execute("SELECT status FROM outbox").fetchall() == [("queued",)]


async def test_invitations_say_sent_once_the_smtp_server_took_them(
    db, db_path: Path, smtp_server
) -> None:
    a = customer(db, name="Alpha", portal_status="Active", email="a@example.com")
    b = customer(db, name="Beta", portal_status="Active", email="b@example.com")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await invite_all(app, pilot)
        text = await wait_for_results(app, pilot)
    assert f"sent     {a.account_number}" in text and f"sent     {b.account_number}" in text
    assert "2 sent, 0 queued, 0 skipped" in text and "queued   " not in text
    assert sorted(to for tos, _ in smtp_server.messages for to in tos) == [
        "a@example.com",
        "b@example.com",
    ]


async def test_direct_debit_names_the_already_requested_and_skips_them_unless_confirmed(
    db, db_path: Path, no_smtp
) -> None:
    fresh = customer(db, name="Fresh", email="f@example.com")
    waiting = customer(db, name="Waiting", email="w@example.com", mandate_status="Requested")
    active = customer(db, name="Active", email="x@example.com", mandate_status="Active",
                      mandate_reference="MD1", mandate_date="2024-01-01")  # fmt: skip
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        prompt = screen.query_one(ConfirmPrompt)
        await pilot.press("asterisk", "a", "b")
        await pilot.pause()
        assert prompt.is_open
        question = " ".join(prompt.render().plain.split())
        assert f"1 already have a Direct Debit request waiting ({waiting.account_number})" in (
            question
        )
        assert "1 with an Active mandate are skipped" in question
        assert db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        await pilot.press("n")
        text = await wait_for_results(app, pilot)
        assert f"queued   {fresh.account_number}" in text
        assert f"{waiting.account_number:<12} Waiting" in text
        assert "direct debit already requested" in text
        outbox = [to for (to,) in db.conn.execute("SELECT to_address FROM outbox")]
        assert outbox == ["f@example.com"]
        await pilot.press("escape")
        await pilot.pause()

        # asked again (Fresh is Requested now too): yes sends both again
        await pilot.press("asterisk", "a", "b")
        await pilot.pause()
        assert prompt.is_open and "2 already have" in prompt.render().plain
        await pilot.press("y")
        text = await wait_for_results(app, pilot)
        assert f"queued   {waiting.account_number}" in text
    outbox = sorted(to for (to,) in db.conn.execute("SELECT to_address FROM outbox"))
    assert outbox == ["f@example.com", "f@example.com", "w@example.com"]
    assert CustomerRepository(db).get(active.id).mandate_status == "Active"
