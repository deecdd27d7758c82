"""What the terminal shows, kept cell by cell, so a frame sends only the cells that differ.

Textual repaints whole regions: a layout change repaints the screen, a table repaints
every row, though most of those cells already show the same character in the same style.
:class:`ScreenCopy` keeps what has been written to each cell and rewrites a frame as the
runs of cells that change, each style set once however many moves and runs follow.

Rows that a frame paints one line lower or higher than they were are moved on the terminal
first (:mod:`~xoro_tui.terminal.screen_shift`), so that a line appearing over a table does not cost
the table again.

A frame that does anything the copy cannot follow (clears, scrolls, text without a cursor
move before it) is written as it is, and the copy forgets everything it knew, so the next
frames are written whole until they have painted the screen again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from rich.cells import cell_len

from xoro_tui.terminal import sgr_change
from xoro_tui.terminal.screen_shift import apply_shift, best_shift

_TOKEN = re.compile(
    r"(?P<move>\x1b\[(?P<row>\d+);(?P<col>\d+)H)"
    r"|(?P<sgr>\x1b\[[0-9;:]*m)"
    r"|(?P<harmless>\x1b\[\?[0-9;]*[hl]|\x1b\[[?>]?[0-9;]*\$?[pnu]|\x1b\[<u"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x07)"
    r"|(?P<escape>\x1b[^\x1b]?)"
    r"|(?P<newline>[\r\n])"
    r"|(?P<text>[^\x1b\r\n\x07]+)",
    re.S,
)
RESET = "\x1b[0m"
#: switches between the normal and the alternate screen: another screen's cells
_OTHER_SCREEN = re.compile(r"\x1b\[\?(?:1049|1047|47)[hl]")
#: unchanged cells between two changed runs worth sending to save a cursor move
_GAP = 6
#: blanks worth erasing (``ESC [ n X``) rather than writing: at the end of a run, and
#: between other cells (where the cursor must then be moved past them too)
_ERASE_AT_END = 6
_ERASE_BETWEEN = 11

#: a cell: the style it was written in (its SGR sequences since a reset) and its text
#: ("" for the right half of a wide character)
Cell = tuple[str, str]
#: a run of cells at a row and column (with the move that went there), or an escape
_Part = tuple[int, int, list[Cell], str] | str


class _Unknown(Exception):
    """The frame does something a cell copy cannot follow."""


class ScreenCopy:
    """The cells written so far, and :meth:`diff` to rewrite a frame as what differs."""

    def __init__(self, *, erase_blanks: bool = False) -> None:
        """``erase_blanks``: the terminal erases characters (``ESC [ n X``) in the current
        background colour (terminfo's ``ech`` and ``bce``), so runs of blanks are erased."""
        self.width = 0
        self.height = 0
        self.erase_blanks = erase_blanks
        self._cells: list[list[Cell | None]] = []
        #: where the terminal's cursor is (row, column), when that is known for sure
        self._cursor: tuple[int, int] | None = None

    def forget(self, width: int = 0, height: int = 0) -> None:
        """Know nothing of the screen (a new size, the screen set up afresh)."""
        self.width, self.height = width, height
        self._cells = [[None] * width for _ in range(height)]
        self._cursor = None

    def diff(self, frame: str, width: int, height: int) -> str:
        """``frame`` rewritten to paint only the cells that differ from what is shown."""
        if (width, height) != (self.width, self.height):
            self.forget(width, height)
        try:
            parts = self._parse(frame)
        except _Unknown:
            self.forget(width, height)
            return frame
        moved = self._move_rows(parts)
        if moved:
            self._cursor = None  # the region's end put it at the top left
        return moved + self._render(parts)

    def _move_rows(self, parts: list[_Part]) -> str:
        """Move rows that the frame paints a line or more higher or lower than they are
        shown (a line appeared or went above them), so that only what changed is left."""
        painted = self._painted_rows(parts)
        if not painted:
            return ""
        shift = best_shift(painted, self._cells)
        return "" if shift is None else apply_shift(self._cells, shift)

    def _painted_rows(self, parts: list[_Part]) -> dict[int, list[Cell]]:
        """The rows ``parts`` paint edge to edge, as they will show."""
        rows: dict[int, list[Cell | None]] = {}
        for part in parts:
            if isinstance(part, str) or not part[2]:
                continue
            row, column, cells, _move = part
            line = rows.setdefault(row, [None] * self.width)
            line[column : column + len(cells)] = cells
        return {row: cast("list[Cell]", line) for row, line in rows.items() if None not in line}

    def _parse(self, frame: str) -> list[_Part]:
        """The runs of cells a frame paints, each at its row and column, in order with the
        escapes that change no cell (modes, questions, the final cursor move)."""
        parts: list[_Part] = []
        style = ""
        current: list[Cell] | None = None
        column = 0
        for match in _TOKEN.finditer(frame):
            kind = match.lastgroup
            token = match.group(0)
            if kind == "move":
                row, column = int(match.group("row")) - 1, int(match.group("col")) - 1
                if not (0 <= row < self.height and 0 <= column < self.width):
                    raise _Unknown
                current = []
                parts.append((row, column, current, token))
            elif kind == "sgr":
                params = token[2:-1]
                style = "" if params in ("", "0") else style + token
            elif kind == "text":
                if current is None:
                    raise _Unknown
                if token.isascii() and token.isprintable():  # the common case, fast
                    current.extend([(style, char) for char in token])
                    if column + len(current) > self.width:
                        raise _Unknown
                    continue
                for char in token:
                    if char < " " or char == "\x7f":
                        raise _Unknown
                    size = cell_len(char)
                    if size == 0:  # a combining mark: part of the cell before
                        if not current:
                            raise _Unknown
                        last_style, last_text = current[-1]
                        current[-1] = (last_style, last_text + char)
                        continue
                    current.append((style, char))
                    if size == 2:
                        current.append((style, ""))
                if column + len(current) > self.width:
                    raise _Unknown
            elif kind == "newline":
                current = None
            elif kind == "harmless":
                if _OTHER_SCREEN.fullmatch(token):
                    raise _Unknown
                parts.append(token)
            else:
                raise _Unknown
        if style:
            raise _Unknown  # a frame that leaves a style set: not Textual's
        return parts

    def _render(self, parts: list[_Part]) -> str:
        out: list[str] = []
        style = ""
        last = len(parts) - 1
        for position, part in enumerate(parts):
            if isinstance(part, str):  # an escape that changes no cell
                if style:
                    out.append(RESET)
                    style = ""
                out.append(part)
                continue
            row, column, cells, _move = part
            if not cells:
                if position == last:  # the move that leaves the cursor
                    if style:
                        out.append(RESET)
                        style = ""
                    out.append(self._goto(row, column))
                continue
            shown = self._cells[row]
            lost: list[int] = []
            changed = [index for index, cell in enumerate(cells) if shown[column + index] != cell]
            for start, end in _runs(changed):
                # never start or end a run inside a wide character, new or shown
                while start > 0 and (cells[start][1] == "" or _right_half(shown[column + start])):
                    start -= 1
                while end < len(cells) and (
                    cells[end][1] == "" or _right_half(shown[column + end])
                ):
                    end += 1
                if start == 0 and _right_half(shown[column]) and column > 0:
                    lost.append(column - 1)
                after = column + end
                if end == len(cells) and after < self.width and _right_half(shown[after]):
                    lost.append(after)
                out.append(self._goto(row, column + start))
                style, behind = self._write(out, style, cells[start:end])
                self._cursor = _after_run(cells[start:end], row, column + end - behind, self.width)
            shown[column : column + len(cells)] = cells
            for index in lost:  # half of a wide character overwritten: the terminal's guess
                shown[index] = None
        if style:
            out.append(RESET)
        return "".join(out)

    def _goto(self, row: int, column: int) -> str:
        """The shortest move of the cursor to ``row``, ``column`` from where it is: none,
        forward or back on its row, or to the row and column."""
        if self._cursor == (row, column):
            return ""
        move = f"\x1b[{row + 1};{column + 1}H"
        if self._cursor is not None and self._cursor[0] == row:
            gap = column - self._cursor[1]
            way = "C" if gap > 0 else "D"  # forward, back
            step = f"\x1b[{way}" if abs(gap) == 1 else f"\x1b[{abs(gap)}{way}"
            if len(step) < len(move):
                move = step
        self._cursor = (row, column)
        return move

    def _write(self, out: list[str], style: str, cells: list[Cell]) -> tuple[str, int]:
        """Append ``cells`` to ``out``, written from the cursor in ``style``; blanks that
        the terminal can erase in their colour are erased (``ESC [ n X``), not written.
        Returns the style left set, and how many cells the cursor stopped short of the
        end (the blanks erased last: erasing does not move it)."""
        index, end = 0, len(cells)
        while index < end:
            cell_style, text = cells[index]
            if cell_style != style:
                out.append(sgr_change.change(style, cell_style))
                style = cell_style
            if text == " " and self.erase_blanks and _erasable(cell_style):
                blanks = index + 1
                while blanks < end and cells[blanks] == (cell_style, " "):
                    blanks += 1
                count = blanks - index
                if count >= (_ERASE_AT_END if blanks == end else _ERASE_BETWEEN):
                    out.append(f"\x1b[{count}X")  # the cursor stays: move it past them
                    if blanks == end:
                        return style, count
                    out.append(f"\x1b[{count}C")
                    index = blanks
                    continue
            out.append(text)
            index += 1
        return style, 0


def _after_run(cells: list[Cell], row: int, column: int, width: int) -> tuple[int, int] | None:
    """Where the cursor is after writing ``cells`` ending at ``column``, when that is sure:
    the text is plain ASCII (a terminal may give a wide or ambiguous character a width
    of its own) and the run ends short of the right edge (there the cursor waits to
    wrap, differently from terminal to terminal)."""
    if column >= width:
        return None
    for _style, text in cells:
        if not (text.isascii() and text.isprintable() and len(text) == 1):
            return None
    return (row, column)


@lru_cache(maxsize=256)
def _erasable(style: str) -> bool:
    """Whether a blank in ``style`` looks the same erased in ``style``: nothing drawn on
    a blank cell but its background (no reverse video, no underline and the like)."""
    try:
        slots = sgr_change.attributes(style)
    except ValueError:
        return False
    return slots.keys() <= {"fg", "bg", "weight", "italic"}


def _right_half(cell: Cell | None) -> bool:
    return cell is not None and cell[1] == ""


def _runs(changed: list[int]) -> list[tuple[int, int]]:
    """Indexes of changed cells as [start, end) runs, joined across short gaps."""
    runs: list[tuple[int, int]] = []
    for index in changed:
        if runs and index - runs[-1][1] <= _GAP:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs
