"""Rows that moved up or down: found, and moved on the terminal with a scroll region.

When a line appears or goes (the filter line over the table, a status line that wraps),
Textual repaints every row below it one line lower or higher. A cell copy compares each
row with what was on that same row before, so a table that only moved is all new to it.
Moving the rows on the terminal first, with a scroll region and insert or delete line
(``ESC[t;br ESC[t;1H ESC[nL ESC[r``, VT102, which xterm, VTE, tmux, screen and the Linux
console all do), leaves only what really changed to be written.

Only rows the frame paints from edge to edge are moved: every cell of them is written by
the frame anyway, so a terminal that fills the inserted lines in a colour of its own shows
nothing of it, and the rows are never left showing what moved past them.
"""

from __future__ import annotations

from operator import eq
from typing import TypeVar

Cell = TypeVar("Cell")

#: how far rows are looked for up and down
MOST = 3
#: cells a move must save over leaving the rows where they are (its escapes cost ~20 bytes)
WORTH = 32
#: the fewest rows painted edge to edge, one under another, worth looking at
FEWEST_ROWS = 3

#: a move: the band's first and last row, and how far its rows go (down > 0, up < 0)
Shift = tuple[int, int, int]


def _same(new: list[Cell], old: list[Cell | None]) -> int:
    return sum(map(eq, new, old))


def _some_row_moved(
    new: dict[int, list[Cell]],
    old: list[list[Cell | None]],
    top: int,
    bottom: int,
    d: int,
    down: bool,
) -> bool:
    """Whether some row of ``top..bottom`` is, whole, what the terminal shows ``d`` rows
    above (``down``) or below it: rows that really moved. A quick look (whole rows compare
    in C) that spares counting cells on every frame whose rows are simply new."""
    if down:
        return any(new[r] == old[r - d] for r in range(top + d, bottom + 1))
    return any(new[r] == old[r + d] for r in range(top, bottom + 1 - d))


def _bands(rows: dict[int, list[Cell]]) -> list[tuple[int, int]]:
    """Runs of rows, one under another, each at least FEWEST_ROWS long."""
    bands: list[tuple[int, int]] = []
    for row in sorted(rows):
        if bands and bands[-1][1] == row - 1:
            bands[-1] = (bands[-1][0], row)
        else:
            bands.append((row, row))
    return [(top, bottom) for top, bottom in bands if bottom - top + 1 >= FEWEST_ROWS]


def best_shift(new: dict[int, list[Cell]], old: list[list[Cell | None]]) -> Shift | None:
    """The move of a band of ``new``'s rows that leaves the most cells already right, if
    it saves at least WORTH cells.

    ``new`` holds the rows a frame paints edge to edge; ``old`` what the terminal shows.
    Moving rows ``top..bottom`` down by ``d`` blanks rows ``top..top+d-1`` and puts old
    row ``r`` at ``r+d``; up by ``d`` blanks the last ``d`` rows instead.
    """
    best: Shift | None = None
    gain_of_best = WORTH - 1
    for top, bottom in _bands(new):
        rows = range(top, bottom + 1)
        moves = [
            (d, down)
            for d in range(1, min(MOST, bottom - top) + 1)
            for down in (True, False)
            if _some_row_moved(new, old, top, bottom, d, down)
        ]
        if not moves:
            continue  # new rows (a search's results), not moved ones: nothing to count
        stay = {r: _same(new[r], old[r]) for r in rows}
        for d, down in moves:
            moved = {
                r: _same(new[r], old[r - d] if down else old[r + d])
                for r in (range(top + d, bottom + 1) if down else range(top, bottom + 1 - d))
            }
            found = _best_band(top, bottom, d, down, stay, moved)
            if found is not None and found[0] > gain_of_best:
                gain_of_best, band_top, band_bottom = found
                best = (band_top, band_bottom, d if down else -d)
    return best


def _best_band(
    top: int, bottom: int, d: int, down: bool, stay: dict[int, int], moved: dict[int, int]
) -> tuple[int, int, int] | None:
    """The best band ``t..b`` inside ``top..bottom`` for a move by ``d``: its gain (cells
    right after the move less cells right before it), ``t`` and ``b``."""
    # sums from ``top`` up to (not including) a row: of what a move wins on each row, and
    # of what staying keeps
    won, kept = [0], [0]
    for r in range(top, bottom + 1):
        won.append(won[-1] + moved.get(r, 0) - stay[r])
        kept.append(kept[-1] + stay[r])

    def total(sums: list[int], first: int, last: int) -> int:
        return sums[last + 1 - top] - sums[first - top]

    found: tuple[int, int, int] | None = None
    for t in range(top, bottom + 1):
        for b in range(t + d, bottom + 1):
            if down:  # rows t..t+d-1 blank, t+d..b moved
                gain = total(won, t + d, b) - total(kept, t, t + d - 1)
            else:  # rows t..b-d moved, b-d+1..b blank
                gain = total(won, t, b - d) - total(kept, b + 1 - d, b)
            if found is None or gain > found[0]:
                found = (gain, t, b)
    return found


def apply_shift(rows: list[list[Cell | None]], shift: Shift) -> str:
    """Move ``rows`` (what the terminal shows) as ``shift`` says, and the escapes that
    move the terminal's rows the same way. Blanked rows become unknown (None): a terminal
    may fill them in the current background or its own."""
    top, bottom, d = shift
    width = len(rows[top])
    count = abs(d)
    if d > 0:
        rows[top + count : bottom + 1] = rows[top : bottom + 1 - count]
        rows[top : top + count] = [[None] * width for _ in range(count)]
        edit = "L"
    else:
        rows[top : bottom + 1 - count] = rows[top + count : bottom + 1]
        rows[bottom + 1 - count : bottom + 1] = [[None] * width for _ in range(count)]
        edit = "M"
    amount = "" if count == 1 else str(count)
    # the region, the cursor on its first line (DECSTBM homes it), the lines, the region
    # back to the whole screen
    return f"\x1b[{top + 1};{bottom + 1}r\x1b[{top + 1};1H\x1b[{amount}{edit}\x1b[r"
