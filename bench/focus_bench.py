"""Bytes for moving the focus and for a typed search, at 80x24 and 120x40, and a search
typed in one burst and at 20 ms through a pseudo-terminal drained at 256 kbit/s, each
beside its target: the bytes typed and one and a half full table repaints.

A full table repaint is the table (its header and rows) drawn whole on a blank terminal,
as the first screen draws it: the bytes the first frame spends on the table's lines. A
PageDown is no longer one: only the cells that differ between two pages are sent.

    python -m bench.focus_bench --db PATH [--term WORD]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyte

from bench.harness import Session

APP = [sys.executable, "-m", "xoro_tui"]
SIZES = ((80, 24), (120, 40))
#: 256 kbit/s
SLOW_LINK = 32_000
Row = tuple[str, list[float], str, str]


def counted(screen: str) -> re.Match[str] | None:
    return re.search(r"(?<![\d,])([\d,]+) of ([\d,]+) customers(?! \(counting\))", screen)


def shows_count(count: int) -> Callable[[str], bool]:
    needle = re.compile(rf"(?<![\d,]){count:,} of [\d,]+ customers")
    return lambda screen: needle.search(screen) is not None and "counting" not in screen


def start(db: Path, size: tuple[int, int], drain_rate: int | None = None) -> Session:
    session = Session([*APP, "--db", str(db)], size=size, drain_rate=drain_rate)
    session.wait_for(lambda s: counted(s) is not None, timeout=120)
    session.settle(quiet=1.0)
    return session


def expected_count(db: Path, term: str) -> int:
    from bench.harness import open_db
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.search.list_query import Filter, WindowQuery

    return WindowQuery(open_db(db).conn, customer_spec()).count(Filter(search=term))


def focus_bytes(session: Session, runs: int) -> tuple[list[float], list[float]]:
    """Bytes for ``/`` (to the search box) and for Enter (back to the table)."""
    to_search, to_table = [], []
    for _ in range(runs):
        to_search.append(float(session.bytes_for("/")))
        to_table.append(float(session.bytes_for("enter")))
    return to_search, to_table


def typed_search(session: Session, term: str, count: int, interval: float) -> tuple[float, float]:
    """Type ``term`` in the search box a key every ``interval`` seconds: the bytes sent from
    the first key until the screen settles, and the seconds from the last key to the last
    frame (the final count and rows; an earlier count may already read the same)."""
    session.send("/")
    session.settle(quiet=0.5)
    before = session.size()
    for ch in term[:-1]:
        session.send(ch)
        time.sleep(interval)
    last = time.monotonic()
    session.send(term[-1])
    session.wait_for(shows_count(count), timeout=60, since=last)
    session.settle(quiet=0.8)
    seconds = max(0.0, session.arrived - last)
    sent = session.size() - before
    session.send("enter", "x")
    session.settle(quiet=0.8)
    return float(sent), seconds


def page_change(session: Session) -> float:
    """Bytes of one page of rows replacing another (PageDown and back, halved): the cells
    that differ between two pages, less than a full table repaint."""
    down = session.bytes_for("pagedown")
    up = session.bytes_for("pageup")
    return (down + up) / 2


def bytes_per_line(data: bytes, size: tuple[int, int]) -> tuple[list[int], list[str]]:
    """Each screen line's share of ``data`` (each byte counts on the line the cursor is on
    once the terminal has taken it) and the lines shown at the end."""
    width, height = size
    screen = pyte.Screen(width, height)
    stream = pyte.ByteStream(screen)
    shares = [0] * height
    for index in range(len(data)):
        stream.feed(data[index : index + 1])
        shares[screen.cursor.y] += 1
    return shares, list(screen.display)


def table_drawn_whole(first_screen: bytes, size: tuple[int, int]) -> float:
    """Bytes of one full table repaint: the lines from the table's header to its last row
    in the bytes of the first screen, which draws them on a blank terminal."""
    shares, lines = bytes_per_line(first_screen, size)
    top = next(i for i, line in enumerate(lines) if "Account #" in line)
    below = (i for i, line in enumerate(lines[top:], top)
             if line.startswith(("Open balance", "Unapplied credits")) or counted(line))  # fmt: skip
    return float(sum(shares[top : next(below, len(lines))]))


def search_on_slow_link(db: Path, term: str, count: int, size: tuple[int, int] = (120, 40),
                        interval: float = 0.0) -> tuple[float, float, float]:  # fmt: skip
    """A search through a pty drained at 256 kbit/s whose terminal answers status requests
    once it has taken what came before them, typed in one write (``interval`` 0) or a key
    every ``interval`` seconds: bytes sent until the final count and rows have settled,
    bytes typed, and one full table repaint at that size."""
    session = start(db, size, drain_rate=SLOW_LINK)
    try:
        repaint = table_drawn_whole(bytes(session.data), size)
        sent = search_typed(session, term, count, interval)
        return float(sent), float(len(term)), repaint
    finally:
        session.close()


def search_typed(session: Session, term: str, count: int, interval: float,
                 timeout: float = 120) -> int:  # fmt: skip
    """``/`` and then ``term`` typed in one write (``interval`` 0) or a key every
    ``interval`` seconds (the typist's pace): the bytes sent from the first letter until
    the count of the whole term shows and the screen has settled."""
    session.send("/")
    session.settle(quiet=1.0)
    before = session.size()
    if interval:
        for ch in term:
            session.send(ch)
            time.sleep(interval)
    else:
        session.send(term)
    session.wait_for(shows_count(count), timeout=timeout)
    session.settle(quiet=1.5)
    return session.size() - before


def slow_link_rows(db: Path, term: str, count: int) -> list[Row]:
    """Bytes of a search on a slow link beside the target: typed + 1.5 x one repaint."""
    out: list[Row] = []
    for size in SIZES:
        for interval in (0.0, 0.02):
            sent, typed, repaint = search_on_slow_link(db, term, count, size, interval)
            how = "in one burst" if not interval else f"typed at {int(interval * 1000)} ms"
            out.append((f"{size[0]}x{size[1]} at 256 kbit/s: bytes, '{term}' {how}", [sent], "B",
                        f"≤ {typed + 1.5 * repaint:,.0f} (typed + 1.5 x {repaint:,.0f})"))  # fmt: skip
    return out


def rows(db: Path, term: str, runs: int) -> list[Row]:
    count = expected_count(db, term)
    out: list[Row] = []
    for size in SIZES:
        label = f"{size[0]}x{size[1]}"
        session = start(db, size)
        try:
            repaint = table_drawn_whole(bytes(session.data), size)
            to_search, to_table = focus_bytes(session, runs)
            target = "< 800" if size == (120, 40) else "—"
            out.append((f"{label}: bytes for / (focus to the search box)", to_search, "B", target))
            out.append((f"{label}: bytes for Enter back to the table", to_table, "B", target))
            out.append((f"{label}: bytes of one full table repaint", [repaint], "B", "—"))
            out.append((f"{label}: bytes of a page of rows replacing another",
                        [page_change(session)], "B", "—"))  # fmt: skip
            for interval in (0.02, 0.15):
                sent, seconds = [], []
                for _ in range(runs):
                    b, s = typed_search(session, term, count, interval)
                    sent.append(b)
                    seconds.append(s)
                ms = int(interval * 1000)
                out.append((f"{label}: bytes, '{term}' typed at {ms} ms", sent, "B",
                            f"≤ {len(term) + 1.5 * repaint:,.0f} on a slow link (typed + 1.5 x "
                            f"{repaint:,.0f})"))  # fmt: skip
                out.append((f"{label}: last key to final count, {ms} ms", seconds, "s", "—"))
        finally:
            session.close()
    out.extend(slow_link_rows(db, term, count))
    return out


def main() -> int:
    from bench.__main__ import fmt

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--term", default="smith")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    for label, values, unit, target in rows(args.db, args.term, args.runs):
        print(f"{label:<58} {fmt(values, unit):<30} {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
