"""The newest filter is always read, however the interrupt for the older one falls.

A Centre's count workers share one reader connection. Typing a search interrupts the
count of the previous letters; SQLite also interrupts any statement started before the
interrupted one has stopped, so the newest count could meet the interrupt meant for the
older one. It must then be read again, never dropped (the list would stay unfiltered with
the search text in the box).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from xoro_tui.screens.lists.list_counting import read_past_interrupts

#: a statement that runs for many seconds unless interrupted
SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000) "
    "SELECT max(i) FROM n"
)


@dataclass
class FakeWorker:
    is_cancelled: bool = False


def one_round(conn: sqlite3.Connection, lock: threading.Lock) -> dict[str, object]:
    """An older read interrupted as a newer one starts; what each returned."""
    older, newer = FakeWorker(), FakeWorker()
    started = threading.Event()
    results: dict[str, object] = {}

    def slow() -> object:
        started.set()
        return conn.execute(SLOW).fetchone()

    def run_older() -> None:
        results["older"] = read_past_interrupts(cast(Any, older), slow, lock)

    def run_newer() -> None:
        results["newer"] = read_past_interrupts(
            cast(Any, newer), lambda: conn.execute("SELECT 42").fetchone()[0], lock
        )

    first = threading.Thread(target=run_older)
    first.start()
    assert started.wait(5)
    older.is_cancelled = True  # a newer filter took over: cancel, then interrupt
    second = threading.Thread(target=run_newer)
    second.start()
    # the older statement may not have begun yet when interrupted (then the interrupt does
    # nothing): interrupt until it has stopped, as newer letters typed would
    while first.is_alive():
        conn.interrupt()
        first.join(0.01)
    second.join(30)
    return results


def test_a_newer_read_outlives_the_interrupt_meant_for_an_older_one(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite", check_same_thread=False)
    lock = threading.Lock()
    for _round in range(20):
        assert one_round(conn, lock) == {"older": None, "newer": 42}
    conn.close()


def test_a_cancelled_read_gives_up_at_the_interrupt(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite", check_same_thread=False)
    worker = FakeWorker(is_cancelled=True)
    done = threading.Event()

    def interrupt_until_done() -> None:
        while not done.wait(0.01):
            conn.interrupt()

    interrupter = threading.Thread(target=interrupt_until_done)
    interrupter.start()
    try:
        result = read_past_interrupts(cast(Any, worker), lambda: conn.execute(SLOW).fetchone())
    finally:
        done.set()
        interrupter.join()
    assert result is None
    conn.close()
