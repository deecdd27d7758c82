"""What reaches a real terminal: the app run in a pseudo-terminal, its bytes counted, its
screen kept by a terminal emulator (pyte) and read back as a user would see it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.harness import Session
from xoro_tui.data.seed.seeder import seed_database
from xoro_tui.terminal.driver import ERASE_LINE, compress, join_rows

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="needs a pty")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pty") / "xoro.sqlite"
    seed_database(path, customers=300, refunds=50, seed=5)
    return path


def run_app(path: Path, *extra: str, size: tuple[int, int] = (120, 40)) -> Session:
    env = {"HOME": os.environ["HOME"], "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}
    return Session([sys.executable, "-m", "xoro_tui", "--db", str(path), *extra], size=size,
                   env=env)  # fmt: skip


def counted(screen: str) -> bool:
    """The status line, just above the key bar, shows "N of N customers"."""
    return any("customers" in line and " of " in line for line in screen.splitlines()[-3:])


@pytest.mark.parametrize(
    ("extra", "budget"), [((), 12_000), (("--low-bandwidth",), 9_000)], ids=["normal", "low"]
)
def test_first_screen_is_sent_once_and_whole(seeded: Path, extra: tuple[str, ...],
                                             budget: int) -> None:  # fmt: skip
    """The starting screen is sent as one finished frame: the count, the rows and the keys
    are all on it, in far fewer bytes than Textual's piecemeal start-up paints."""
    session = run_app(seeded, *extra)
    try:
        try:
            session.wait_for(counted, timeout=60)
        except TimeoutError:
            pytest.fail(f"no count on the screen:\n{session.text()}\n{sorted(os.environ)}")
        session.settle(quiet=1.0)
        screen = session.text()
        lines = screen.splitlines()
        assert "Customer Centre" in lines[0]
        assert "Search" in lines[-1] and "Open" in lines[-1]
        assert session.size() < budget
    finally:
        session.close()


def test_small_terminal_shows_the_keys_that_fit(seeded: Path) -> None:
    session = run_app(seeded, size=(80, 24))
    try:
        session.wait_for(counted, timeout=60)
        session.settle(quiet=1.0)
        last = session.text().splitlines()[-1]
        assert "Open" in last
        assert len(last.rstrip()) <= 80
    finally:
        session.close()


def test_trailing_blanks_become_erase_to_end_of_line() -> None:
    line = "\x1b[3;1H" + "Smith Ltd" + " " * 111
    assert compress(line, 120) == "\x1b[3;1HSmith Ltd" + ERASE_LINE
    coloured = "\x1b[3;1H\x1b[44mSmith Ltd" + " " * 111
    assert compress(coloured, 120) == coloured  # a background colour must be painted


def _screen_of(data: str, size: tuple[int, int] = (40, 6)) -> list[list[tuple]]:
    """Every cell as a terminal shows it: character, colours and attributes."""
    import pyte

    screen = pyte.Screen(*size)
    pyte.Stream(screen).feed(data)
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.reverse)
            for c in (screen.buffer[y][x] for x in range(size[0]))
        ]
        for y in range(size[1])
    ]


_STYLES = ["\x1b[38;5;253;48;5;233m", "\x1b[38;5;195;48;5;32m", "\x1b[1m", "\x1b[44m"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_STYLES), min_size=0, max_size=2),
            st.text(alphabet="ab Zé日", max_size=12),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_rows_joined_in_one_style_show_the_same_screen(rows: list) -> None:
    """Rows written as Textual writes them (move, styles, text, reset, line break) show
    exactly the same cells when join_rows has dropped the repeated resets and styles."""
    frame = ""
    for y, (styles, text, reset) in enumerate(rows, start=1):
        frame += f"\x1b[{y};1H" + "".join(styles) + text + ("\x1b[0m\n" if reset else "")
    assert _screen_of(join_rows(frame)) == _screen_of(frame)


def test_rows_in_one_style_are_sent_as_one_run() -> None:
    style = "\x1b[38;5;253;48;5;233m"
    frame = "".join(f"\x1b[{y};1H{style}row {y}\x1b[0m\n" for y in range(4, 8))
    joined = join_rows(frame)
    # the style before a write is not known, so the first row keeps its reset
    first = f"\x1b[4;1H{style}row 4\x1b[0m\n\x1b[5;1H{style}row 5"
    assert joined == first + "".join(f"\x1b[{y};1Hrow {y}" for y in (6, 7)) + "\x1b[0m\n"
    assert len(frame) - len(joined) == 2 * 25  # reset, line break and style: 25 bytes a row
    cursor = "\x1b[38;5;195;48;5;32m"  # a row in another style keeps its own
    mixed = f"\x1b[4;1H{style}a\x1b[0m\n\x1b[5;1H{cursor}b\x1b[0m\n"
    assert join_rows(mixed) == mixed


@pytest.mark.parametrize(("extra", "modes"), [((), {"1000", "1002"}), (("--low-bandwidth",), set())],
                         ids=["normal", "low"])  # fmt: skip
def test_mouse_reports_button_events_only(seeded: Path, extra: tuple[str, ...],
                                          modes: set[str]) -> None:  # fmt: skip
    """Button-event tracking (?1002h): clicks, the wheel and drags; never any-motion
    tracking (?1003h), which reports every cell the pointer crosses. Low bandwidth asks
    for no mouse reports at all."""
    import re

    session = run_app(seeded, *extra)
    try:
        session.wait_for(counted, timeout=60)
        session.settle(quiet=0.5)
        with session.lock:
            written = bytes(session.data).decode("utf-8", "replace")
        asked = set(re.findall(r"\x1b\[\?(100[0-3])h", written))
        assert asked == modes
        assert "\x1b[?1003h" not in written
    finally:
        session.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_moving_the_focus_sends_what_changed_not_the_screen(seeded: Path,
                                                           size: tuple[int, int]) -> None:  # fmt: skip
    """/ to the search box and Enter back to the table: the search box, the key bar and
    the cursor, under 800 bytes each (the screen again was 6 to 12 KB at 120x40)."""
    session = run_app(seeded, size=size)
    try:
        session.wait_for(counted, timeout=60)
        session.settle(quiet=1.0)
        for _ in range(2):
            to_search = session.bytes_for("/")
            to_table = session.bytes_for("enter")
            assert 0 < to_search < 800
            assert 0 < to_table < 800
        assert "customers" in session.text().splitlines()[-2]
    finally:
        session.close()
