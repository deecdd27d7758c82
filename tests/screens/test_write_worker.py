"""run_write: the write runs off the UI thread on its own connection, which is closed after;
its result or its error comes back on the UI thread; a refused write changes nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlite_utils

from tests.conftest import wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.write_worker import run_write


def rename(db: sqlite_utils.Database, customer_id: int, name: str, *, refuse: bool) -> str:
    with write_tx(db) as conn:
        conn.execute("UPDATE customers SET name = ? WHERE id = ?", (name, customer_id))
        if refuse:
            raise DataError("refused on purpose")
    return name


async def test_the_result_comes_back_on_the_ui_thread_and_the_connection_closes(
    db, db_path: Path
) -> None:
    saved = customer(db, name="Before")
    app = XoroApp(db, db_path)
    seen: dict[str, object] = {}

    def write(conn_db: sqlite_utils.Database) -> str:
        seen["thread"] = threading.current_thread()
        seen["db"] = conn_db
        return rename(conn_db, saved.id, "After", refuse=False)

    def done(result: str) -> None:
        seen["done"] = (result, threading.current_thread())

    async with app.run_test() as pilot:
        run_write(app.screen, write, done, lambda message: seen.update(failed=message),
                  group="test")  # fmt: skip
        await wait_until(pilot, lambda: "done" in seen or "failed" in seen)
    assert seen["done"] == ("After", threading.main_thread())
    assert seen["thread"] is not threading.main_thread()
    assert seen["db"] is not db  # a connection of its own, closed once the write ended
    assert (
        db.conn.execute("SELECT name FROM customers WHERE id = ?", (saved.id,)).fetchone()[0]
        == "After"
    )
    other = seen["db"]
    assert isinstance(other, sqlite_utils.Database)
    try:
        other.conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - sqlite3.ProgrammingError: closed
        assert "closed" in str(exc)
    else:
        raise AssertionError("the worker's connection was left open")


async def test_a_refused_write_reports_its_message_and_changes_nothing(db, db_path: Path) -> None:
    saved = customer(db, name="Before")
    app = XoroApp(db, db_path)
    seen: dict[str, object] = {}
    async with app.run_test() as pilot:
        run_write(
            app.screen,
            lambda conn_db: rename(conn_db, saved.id, "After", refuse=True),
            lambda result: seen.update(done=result),
            lambda message: seen.update(failed=(message, threading.current_thread())),
            group="test",
        )
        await wait_until(pilot, lambda: "done" in seen or "failed" in seen)
    assert seen == {"failed": ("refused on purpose", threading.main_thread())}
    assert (
        db.conn.execute("SELECT name FROM customers WHERE id = ?", (saved.id,)).fetchone()[0]
        == "Before"
    )
