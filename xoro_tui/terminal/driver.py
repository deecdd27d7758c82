"""Terminal drivers that send less: the first screen once, rows of one style as one run,
and on slow links trailing blanks of a line as erase-to-end-of-line.

Textual writes every cell of a changed line, trailing blanks included. When a write reaches
the right edge of the screen with a run of blanks in the terminal's default background,
``ESC [ K`` paints the same cells in 3 bytes instead of one byte per blank.
"""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from xoro_tui.terminal.frame_pacing import PacedDriver
from xoro_tui.terminal.screen_diff import ScreenCopy

if TYPE_CHECKING:
    from textual.app import App

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_TRAILING = re.compile(r" {4,}((?:\x1b\[0?m)?)$")
#: a move along the line (forward, back), another escape, or text
_ALONG = re.compile(
    r"\x1b\[(?P<count>\d*)(?P<way>[CD])|\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|(?P<text>[^\x1b]+)"
)


def _end_column(column: int, chunk: str) -> int:
    """The column after ``chunk`` is written from ``column``: its text and its moves
    along the line."""
    for match in _ALONG.finditer(chunk):
        if match.group("text") is not None:
            column += cell_len(match.group("text"))
        elif match.group("way"):
            step = int(match.group("count") or 1)
            column += step if match.group("way") == "C" else -step
    return column


ERASE_LINE = "\x1b[K"
#: mouse reporting asked for: normal tracking, button-event (drag) tracking, urxvt and SGR
#: coordinates; any-motion tracking (1003) is never asked for
MOUSE_MODES = ("1000", "1002", "1015", "1006")


@lru_cache(maxsize=8)
def erases_in_colour(term: str | None) -> bool:
    """Whether terminfo says ``term`` erases characters (``ech``) in the background colour
    set at the time (``bce``): xterm's and the Linux console's entries do; screen's, tmux's
    and vt100's do not, and there blanks are written as blanks."""
    if not term:
        return False
    try:
        import curses

        with open(os.devnull, "wb") as sink:
            curses.setupterm(term, sink.fileno())
            return bool(curses.tigetflag("bce") == 1 and curses.tigetstr("ech"))
    except Exception:  # noqa: BLE001 - no curses, no terminfo entry: blanks as blanks
        return False


def _has_background(params: str) -> bool:
    """Whether an SGR parameter list sets a non-default background (or reverse video)."""
    codes = params.split(";") if params else ["0"]
    index = 0
    background = False
    while index < len(codes):
        code = codes[index]
        if code in ("0", ""):
            background = False
        elif code in ("38", "48"):
            if code == "48":
                background = True
            index += 2 if index + 1 < len(codes) and codes[index + 1] == "5" else 4
        elif code == "49":
            background = False
        elif code == "7" or (code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107)):
            background = True
        index += 1
    return background


def _state_after(sgr_text: str, background: bool) -> bool:
    for match in _SGR.finditer(sgr_text):
        params = match.group(1)
        if params in ("", "0"):
            background = False
        elif _has_background(params):
            background = True
        elif "49" in params.split(";"):
            background = False
    return background


_TOKEN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r?\n|[^\x1b\r\n]+|.", re.S)
_RESET = "\x1b[0m"


def join_rows(data: str) -> str:
    """Drop what ends one row and starts the next in the same style.

    Textual ends each line with a reset and a line break, moves the cursor to the next
    line and sets the style again. When the row was drawn in exactly one style since a
    reset and the next starts in that same style, the cursor move alone gives the same
    screen: about 30 bytes a row, 900 a PageDown.
    """
    tokens = _TOKEN.findall(data)
    out: list[str] = []
    #: the styles set since the last reset; None: what came before this write is unknown
    since_reset: list[str] | None = None
    index, end = 0, len(tokens)
    while index < end:
        token = tokens[index]
        if (
            token == _RESET
            and since_reset is not None
            and len(since_reset) == 1
            and index + 3 < end
            and tokens[index + 1] in ("\n", "\r\n")
            and _MOVE.fullmatch(tokens[index + 2])
            and tokens[index + 3] == since_reset[0]
        ):
            out.append(tokens[index + 2])
            index += 4
            continue
        out.append(token)
        if token == _RESET:
            since_reset = []
        elif since_reset is not None and _SGR.fullmatch(token):
            since_reset.append(token)
        index += 1
    return "".join(out)


def compress(data: str, width: int) -> str:
    """Rewrite runs of blanks that end a screen line as erase-to-end-of-line."""
    out: list[str] = []
    pieces = _MOVE.split(data)
    out.append(pieces[0])
    background = _state_after(pieces[0], False)
    for index in range(1, len(pieces), 3):
        row, column, chunk = pieces[index], pieces[index + 1], pieces[index + 2]
        out.append(f"\x1b[{row};{column}H")
        reaches_edge = _end_column(int(column) - 1, chunk) >= width
        match = _TRAILING.search(chunk) if reaches_edge and "\n" not in chunk else None
        if match is not None:
            before = chunk[: match.start()]
            if not _state_after(before, background):
                chunk = before + match.group(1) + ERASE_LINE
        out.append(chunk)
        background = _state_after(chunk, background)
    return "".join(out)


class StartUpDriver(PacedDriver):
    """LinuxDriver that sends none of the frames painted while the first screen settles,
    later frames only as fast as the terminal takes them (:mod:`~xoro_tui.terminal.frame_pacing`)
    and of each frame only the cells that change (:mod:`~xoro_tui.terminal.screen_diff`).

    The terminal is set up as usual; then output is held back until the app calls
    :meth:`release` and repaints the finished screen in one frame.
    """

    _holding = False
    #: when a held-back frame was last written (``time.monotonic()``), or 0.0 for never
    last_held = 0.0

    def __init__(self, app: App, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._screen_copy = ScreenCopy(erase_blanks=erases_in_colour(os.environ.get("TERM")))

    def start_application_mode(self) -> None:
        self.reset_pacing()
        self._screen_copy.forget()
        super().start_application_mode()
        self._holding = True
        self.ask_status()

    def stop_application_mode(self) -> None:
        self.reset_pacing()
        super().stop_application_mode()

    @property
    def holding(self) -> bool:
        return self._holding

    def release(self) -> None:
        self._holding = False

    def _enable_mouse_support(self) -> None:
        """Button-event tracking (``?1002h``): clicks, the wheel and drags, never the bare
        movement that any-motion tracking (``?1003h``, Textual's choice) reports for every
        cell the pointer crosses, ten bytes each over the link."""
        if not self._mouse:
            return
        for mode in MOUSE_MODES:
            self.write(f"\x1b[?{mode}h")
        self.flush()

    def _disable_mouse_support(self) -> None:
        if not self._mouse:
            return
        for mode in (*MOUSE_MODES, "1003"):
            self.write(f"\x1b[?{mode}l")
        self.flush()

    def write(self, data: str) -> None:
        if self._holding:
            if len(data) >= self.FRAME_BYTES:
                self.last_held = time.monotonic()
        else:
            self.paced_write(data)

    def encode(self, data: str) -> str:
        return join_rows(self.only_changes(data))

    def only_changes(self, data: str) -> str:
        size = self._app.size if self._app is not None else None
        if not size:
            return data
        return self._screen_copy.diff(data, size.width, size.height)


class LowBandwidthDriver(StartUpDriver):
    """Also sends the trailing blanks of a line as erase-to-end-of-line, and asks for no
    mouse reports at all: every key works without one, and none crosses the link."""

    def _enable_mouse_support(self) -> None:
        pass

    def encode(self, data: str) -> str:
        data = self.only_changes(data)
        width = self._app.size.width if self._app is not None else 0
        return join_rows(compress(data, width) if width else data)
