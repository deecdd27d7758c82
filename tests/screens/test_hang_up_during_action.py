"""A hang-up while a long action runs in a thread: the action ends as one transaction.

The batch update is held inside its transaction (at its progress report) while the app
hangs up and ends. Released, it commits whole: its progress and result reports, with no
screen left to show them, are dropped instead of failing inside the transaction.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from textual.widgets import Input

from tests.factories import customer
from tests.screens.test_batch_update_dialog import open_dialog, settle
from xoro_tui.app import XoroApp
from xoro_tui.config import log_path
from xoro_tui.screens.customers import batch_update_dialog as module


def reps(db) -> set[str | None]:  # noqa: ANN001 - a sqlite_utils Database
    return {r for (r,) in db.conn.execute("SELECT sales_rep FROM customers")}


async def test_a_batch_update_running_at_hang_up_commits_whole(db, db_path: Path,
                                                               monkeypatch) -> None:  # fmt: skip
    inside, release, finished = threading.Event(), threading.Event(), threading.Event()
    real = module.batch_update

    def held(db, field, value, ids, *, mode, progress):  # noqa: ANN001, ANN202
        def report(done: int, total: int) -> None:
            inside.set()
            assert release.wait(30)
            progress(done, total)

        try:
            return real(db, field, value, ids, mode=mode, progress=report)
        finally:
            finished.set()

    monkeypatch.setattr(module, "batch_update", held)
    people = [customer(db, sales_rep="Ann"), customer(db, sales_rep="Bob"), customer(db)]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [c.id for c in people])
        app.screen.query_one("#value-new", Input).value = "Zoe"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        while not inside.is_set():
            await pilot.pause(0.02)
        app.hang_up()
        await pilot.pause()
    assert app.return_code == 129
    # the app has ended; the update is still inside its transaction, nothing written yet
    assert not finished.is_set()
    assert reps(db) == {"Ann", "Bob", None}

    release.set()
    assert await asyncio.to_thread(finished.wait, 30)
    assert reps(db) == {"Zoe"}
    assert db.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 1
    assert results == []  # no screen was told: there was none to tell
    assert not log_path().exists() or "ERROR" not in log_path().read_text()


async def test_reports_from_a_thread_are_dropped_once_hung_up(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    called: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert await asyncio.to_thread(app.call_from_thread, lambda: called.append(1) or 7) == 7
        app.hang_up()
        assert await asyncio.to_thread(app.call_from_thread, lambda: called.append(2)) is None
    assert await asyncio.to_thread(app.call_from_thread, lambda: called.append(3)) is None
    assert called == [1]
