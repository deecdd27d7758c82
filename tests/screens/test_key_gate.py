"""The key gate in the running app: a key typed after a pause goes straight through, keys
that arrive together still land where they were typed, and the gate's reading of Textual's
message pumps (which it relies on to tell that nothing is left to do) holds.

The same contract through a real pseudo-terminal, on demo data: tests/app/test_keys_in_order.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.conftest import settle, wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.terminal import key_order
from xoro_tui.widgets.search_bar import SearchInput


def _burst(app: App, text: str) -> None:
    """Put ``text`` in the App's queue at once, as the driver does with one read."""
    for char in text:
        key = "slash" if char == "/" else char
        app.post_message(events.Key(key, char))


async def test_a_key_after_a_pause_passes_without_waiting(db, db_path: Path) -> None:
    customer(db, name="Quokka Traders")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pumps = key_order._pumps(app)
        assert all(key_order._resting(p) for p in pumps), [
            p for p in pumps if not key_order._resting(p)
        ]
        gate = app.key_gate
        assert gate.take(events.Key("down", None)) is False  # handled now, not held
        assert gate.idle and gate._task is None


async def test_keys_that_arrive_together_land_where_they_were_typed(db, db_path: Path) -> None:
    """``/`` moves the focus to the search box a few messages later: the letters behind it
    in the same read go to the box, not to the table."""
    customer(db, name="Quokka Traders")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        _burst(app, "/quokka")
        await wait_until(pilot, lambda: app.key_gate.idle)
        await settle(app, pilot)
        box = app.screen.query_one(SearchInput)
        assert app.focused is box
        assert box.value == "quokka"


class _Slow(Static):
    """Handles a message slowly: the gate must see it at work until it is done."""

    def __init__(self) -> None:
        super().__init__("slow")
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def on_click(self) -> None:
        self.started.set()
        await self.release.wait()


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield _Slow()


async def test_a_pump_is_at_work_while_it_handles_a_message_and_rests_after() -> None:
    """What the gate reads of Textual's message pump: queued messages, a handler awaiting
    something, and the loop waiting for the next message."""
    app = _Host()
    async with app.run_test() as pilot:
        slow = app.query_one(_Slow)
        await pilot.pause()
        assert key_order._resting(slow)
        slow.post_message(events.Click(slow, 0, 0, 0, 0, 1, False, False, False))
        assert not key_order._resting(slow)  # queued
        await slow.started.wait()
        assert slow._message_queue.empty()
        assert not key_order._resting(slow)  # in the middle of the handler
        slow.release.set()
        await wait_until(pilot, lambda: key_order._resting(slow))
        assert key_order.settled(app, key_order._pumps(app))


async def test_a_search_typed_in_one_burst_searches_only_its_whole_text(db, db_path: Path) -> None:
    """Letters that arrive together are one search: the texts on the way are not searched
    (a slow link pays for no rows nobody reads), and the list ends filtered on the whole
    text, as if typed slowly."""
    customer(db, name="Quokka Traders")
    customer(db, name="Quince Foods")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        searched: list[str] = []
        apply = screen.apply_filter  # type: ignore[attr-defined]

        def noting(flt):  # noqa: ANN001, ANN202
            searched.append(flt.search)
            return apply(flt)

        screen.apply_filter = noting  # type: ignore[attr-defined]
        _burst(app, "/quokka")
        await wait_until(pilot, lambda: app.key_gate.idle)
        await settle(app, pilot)
        assert searched == ["quokka"]
        assert screen.source.filter.search == "quokka"  # type: ignore[attr-defined]
        assert "1 of 2 customers" in " ".join(str(w.render()) for w in screen.query("Static"))
