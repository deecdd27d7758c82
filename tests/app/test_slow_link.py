"""Over a slow link a repaint waits until the terminal has taken the frame before it.

The app runs in a pseudo-terminal whose other end is read at 256 kbit/s, as a slow SSH link
drains it, and whose terminal (pyte) answers a status request only once it has read and
shown everything before the request, as a real terminal does.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from bench.focus_bench import (
    SLOW_LINK,
    expected_count,
    page_change,
    search_typed,
    shows_count,
    table_drawn_whole,
)
from bench.harness import Session
from xoro_tui.data.seed.demo import create_demo

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="needs a pty")

TERM = "smith"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("slow") / "demo.sqlite"
    create_demo(path)
    return path


def open_app(db: Path, size: tuple[int, int] = (120, 40), **options: object) -> Session:
    env = {"HOME": os.environ["HOME"], "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}
    session = Session([sys.executable, "-m", "xoro_tui", "--db", str(db)], size=size,
                      env=env, **options)  # type: ignore[arg-type]  # fmt: skip
    session.wait_for(lambda s: "312 of 312 customers" in s, timeout=60)
    session.settle(quiet=0.5)
    return session


def typed_slowly(db: Path, size: tuple[int, int] = (120, 40)) -> str:
    """The screen after the search typed a key at a time on a fast link, each settled."""
    session = open_app(db, size)
    try:
        session.send("/")
        session.settle(quiet=0.5)
        for key in TERM:
            session.send(key)
            session.settle(quiet=0.4)
        session.wait_for(shows_count(expected_count(db, TERM)), timeout=30)
        session.settle(quiet=0.5)
        return session.text()
    finally:
        session.close()


def test_a_burst_search_on_a_slow_link_sends_about_one_repaint_and_ends_exact(demo: Path) -> None:
    """'smith' in one write at 256 kbit/s: at most the bytes typed and one and a half
    table repaints (it was a repaint a letter, 26 KB), and the final screen is the one
    slow typing on a fast link gives: the same count, the same rows, "smith" in the box."""
    expected = typed_slowly(demo)
    session = open_app(demo, drain_rate=SLOW_LINK)
    try:
        repaint = page_change(session)
        sent = search_typed(session, TERM, expected_count(demo, TERM), 0.0, timeout=60)
        screen = session.text()
        assert session.answered > 0  # the app asked, the terminal answered
    finally:
        session.close()
    assert screen == expected, f"slow link, burst:\n{screen}\n\nfast, slowly:\n{expected}"
    assert f"{expected_count(demo, TERM)} of 312 customers" in screen
    assert sent <= len(TERM) + 1.5 * repaint, (sent, repaint)


@pytest.mark.parametrize("interval", [0.0, 0.02], ids=["burst", "20ms"])
def test_a_search_typed_fast_on_a_slow_link_at_80x24_ends_exact(demo: Path,
                                                                interval: float) -> None:  # fmt: skip
    """At 80x24 the filter line appearing moves the table down a line, and the totals
    under it change height: typed in one write or a key every 20 ms at 256 kbit/s, the
    last screen is the one slow typing on a fast link gives, row for row, with the count
    of the whole word and the word in the box; it took at most the bytes typed and one
    and a half full table repaints."""
    size = (80, 24)
    expected = typed_slowly(demo, size)
    session = open_app(demo, size, drain_rate=SLOW_LINK)
    try:
        repaint = table_drawn_whole(bytes(session.data), size)
        sent = search_typed(session, TERM, expected_count(demo, TERM), interval, timeout=60)
        screen = session.text()
        print(f"80x24, {interval * 1000:.0f} ms: {sent} bytes, a full table {repaint}")
    finally:
        session.close()
    assert sent <= len(TERM) + 1.5 * repaint, (sent, repaint)
    assert screen == expected, f"slow link:\n{screen}\n\nfast, slowly:\n{expected}"
    assert f"{expected_count(demo, TERM)} of 312 customers" in screen
    assert f"▼ {TERM} " in screen.splitlines()[1]


@pytest.mark.parametrize("answers_at_first", [False, True], ids=["never", "stops"])
def test_a_terminal_that_does_not_answer_gets_every_frame(demo: Path,
                                                          answers_at_first: bool) -> None:  # fmt: skip
    """No answer to the status request, from the start or from some point on: each key's
    frame comes all the same (a held frame waits a second at most, then pacing stops)."""
    session = open_app(demo, answers_status=answers_at_first)
    try:
        session.answers_status = False
        for row in range(2, 7):
            sent = time.monotonic()
            session.send("down")
            session.wait_for(lambda s, row=row: s.splitlines()[2 + row].startswith("▶"),
                             timeout=10, since=sent)  # fmt: skip
        session.send("/")
        session.settle(quiet=0.3)
        for index, key in enumerate(TERM, 1):
            session.send(key)
            session.wait_for(lambda s, typed=TERM[:index]: f"▼ {typed} " in s.splitlines()[1],
                             timeout=10)  # fmt: skip
        session.wait_for(shows_count(expected_count(demo, TERM)), timeout=30)
        # once pacing has stopped, a frame no longer waits for an answer
        sent = time.monotonic()
        session.send("escape", "down")
        assert session.wait_for(lambda s: s.splitlines()[5].startswith("▶"), since=sent,
                                timeout=10) < 0.9  # fmt: skip
    finally:
        session.close()
