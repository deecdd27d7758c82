"""Frames that wait for the terminal: on a slow link a repaint is held while the frame
before it is still on its way, and the screen as it is then goes in its place.

Neither the app nor the kernel can see a slow link's backlog: the pseudo-terminal's
buffer, and over SSH sshd's channel window, take every frame at once and report nothing
queued. The terminal itself can say when it has got everything: after a frame the driver
asks for a Device Status Report (``ESC [ 5 n``), and every terminal (xterm, VTE, tmux,
screen, the Linux console) answers ``ESC [ 0 n`` once it has processed all that came
before the question. Until the answer comes, a frame is not written: only the screen
regions it covers are noted, and when the answer arrives those regions are repainted from
the screen as it is by then. Frames that followed one another while the link was behind
are sent once, as their union, instead of one after another.

On a link that keeps up the answer comes back in milliseconds and nothing waits. A
terminal that does not answer the first question (asked at start-up) within
:data:`ANSWER_TIMEOUT` is not paced at all; a late answer turns pacing on. An answer that
never comes later holds nothing for longer than :data:`ANSWER_TIMEOUT`, and after
:data:`GIVE_UP_AFTER` such misses in a row pacing stops for the session.

Frames painted while more typed keys wait behind the one being handled (a burst: see
:meth:`~xoro_tui.terminal.key_order.KeyGate.typing_ahead`) are held the same way, on any link: the
letters of a word that came in one read are shown once, as the word, not letter by letter.
Such a hold lasts :data:`TYPING_HOLD` at most, so a long burst still shows as it goes.

The answers are taken out of the input before Textual's parser sees them, which would
otherwise take ``ESC [ 0 n`` for the keys ``alt+[``, ``0`` and ``n``.
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from xoro_tui.terminal.terminal_watch import WatchfulDriver

if TYPE_CHECKING:
    from asyncio import TimerHandle

    from textual.app import App
    from textual.screen import Screen

#: the question: "report your status", answered once everything before it is processed
STATUS_REQUEST = "\x1b[5n"
#: the answers: "ready, no malfunction" and "malfunction" (an answer all the same)
STATUS_ANSWERS = ("\x1b[0n", "\x1b[3n")
#: seconds without an answer after which held frames are written anyway
ANSWER_TIMEOUT = 1.0
#: misses in a row (no answer within the timeout) after which pacing stops
GIVE_UP_AFTER = 3
#: seconds a frame is held at most while typed keys wait to be handled
TYPING_HOLD = 0.25
#: how often a hold for typed keys looks whether they have all been handled
TYPING_LOOK = 0.005

_PREFIXES = tuple(
    sorted({answer[:length] for answer in STATUS_ANSWERS for length in range(1, 4)}, key=len)
)
_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_ESCAPE = re.compile(r"\x1b\[[0-9;?<>=$]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

#: a screen row and the columns [start, end) a frame paints on it
Span = tuple[int, int, int]


class AnswerFilter:
    """Takes the terminal's status answers out of what it sends, however the reads cut them.

    An answer cut by the end of a read is kept back, but only while one is expected: a
    bare escape at the end of a read is otherwise the Escape key.
    """

    def __init__(self) -> None:
        self._kept = ""

    @property
    def keeping(self) -> bool:
        """Whether the start of a possible answer is kept back for the next read."""
        return bool(self._kept)

    def feed(self, text: str, *, expecting: bool) -> tuple[str, int]:
        """The input without the answers in it, and how many answers there were."""
        text = self._kept + text
        self._kept = ""
        found = 0
        for answer in STATUS_ANSWERS:
            count = text.count(answer)
            if count:
                found += count
                text = text.replace(answer, "")
        if expecting:
            for prefix in reversed(_PREFIXES):
                if text.endswith(prefix):
                    self._kept = prefix
                    text = text[: -len(prefix)]
                    break
        return text, found

    def flush(self) -> str:
        """What was kept back, now taken as input after all (no more of it came)."""
        kept, self._kept = self._kept, ""
        return kept


def frame_spans(frame: str) -> list[Span] | None:
    """The spans of the screen a frame paints, or None when that cannot be told.

    Textual writes each changed piece of a line as a cursor move followed by the piece's
    text; a frame that writes anything before its first move is taken as unknown.
    """
    pieces = _MOVE.split(frame)
    if _ESCAPE.sub("", pieces[0]).strip("\r\n"):
        return None
    spans: list[Span] = []
    for index in range(1, len(pieces), 3):
        row, column, chunk = int(pieces[index]), int(pieces[index + 1]), pieces[index + 2]
        visible = _ESCAPE.sub("", chunk).replace("\r", "").replace("\n", "")
        width = cell_len(visible)
        if width:
            spans.append((row - 1, column - 1, column - 1 + width))
    return spans


def merge_spans(spans: list[Span]) -> list[Span]:
    """The same cells as ``spans``, with spans that touch on a row made one."""
    merged: list[Span] = []
    for row, start, end in sorted(spans):
        if merged and merged[-1][0] == row and start <= merged[-1][2]:
            last = merged[-1]
            merged[-1] = (row, last[1], max(last[2], end))
        else:
            merged.append((row, start, end))
    return merged


def repaint(screen: Screen[Any], spans: list[Span] | None) -> None:
    """Have ``screen`` paint ``spans`` (None: all of it) again at its next update.

    The spans go straight to the compositor's dirty regions. ``screen.refresh(*regions)``
    would not do: a screen asked to repaint drops the widgets already waiting for their
    own repaint, whose changes outside those regions would then never be sent.
    """
    from textual.geometry import Region

    compositor = getattr(screen, "_compositor", None)
    dirty_widgets = getattr(screen, "_dirty_widgets", None)
    dirty_regions = getattr(compositor, "_dirty_regions", None)
    if compositor is None or dirty_widgets is None or dirty_regions is None:
        screen.refresh()  # not the Textual this was written for: the whole screen
        return
    if spans is None:
        dirty_regions.add(compositor.size.region)
    else:
        dirty_regions.update(Region(start, row, end - start, 1) for row, start, end in spans)
    dirty_widgets.add(screen)
    screen.check_idle()


class PacedDriver(WatchfulDriver):
    """A driver that writes a frame only once the terminal has taken the one before it.

    Subclasses write a frame with :meth:`paced_write`; :meth:`encode` is what a frame
    becomes on the wire.
    """

    #: writes smaller than this are mode switches (pointer shape, cursor), not frames
    FRAME_BYTES = 256

    def __init__(self, app: App, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._answers = AnswerFilter()
        #: None: not known yet whether the terminal answers; then True or False
        self.pacing: bool | None = None
        #: questions asked and not answered yet
        self._asked = 0
        #: the regions of frames held back, or None for the whole screen
        self._held: list[Span] | None = []
        self._holding_frames = False
        self._misses = 0
        self._timer: TimerHandle | None = None
        #: when the terminal last answered (``time.monotonic()``)
        self._last_answer = 0.0
        #: when frames started being held for typed keys, or None
        self._typing_since: float | None = None
        self._typing_timer: TimerHandle | None = None
        #: a hold for typed keys has lasted TYPING_HOLD: the next frame goes
        self._typing_pass = False

    # -- output (the app's event loop) -------------------------------------------------
    def encode(self, data: str) -> str:
        return data

    def paced_write(self, data: str) -> None:
        """Write ``data`` now, or note its regions if the terminal is behind or more typed
        keys are on their way."""
        big = len(data) >= self.FRAME_BYTES
        if not big and not frame_spans(data):  # a mode switch, a cursor move
            WatchfulDriver.write(self, self.encode(data))
            return
        if self._hold_for_typing():
            self._hold(data)
            return
        if self.pacing and self._asked and big:
            self._hold(data)
            return
        if self.pacing and big:
            self._asked += 1
            self._start_timer()
            WatchfulDriver.write(self, self.encode(data) + STATUS_REQUEST)
        else:
            WatchfulDriver.write(self, self.encode(data))
        if not self._asked:
            self._release()  # frames held for typed keys: the keys have all been handled

    def _typing_ahead(self) -> bool:
        """Letters wait behind the key being handled, and they go to a text box: what it
        shows now is about to change again. (Keys for anything else are commands, whose
        effects are shown as they come.)"""
        gate = getattr(self._app, "key_gate", None)
        if gate is None or not gate.typing_ahead():
            return False
        from textual.widgets import Input, TextArea

        return isinstance(getattr(self._app, "focused", None), (Input, TextArea))

    def _hold_for_typing(self) -> bool:
        """Whether a frame is held because typed keys wait (for TYPING_HOLD at most)."""
        if not self._typing_ahead() or self._typing_pass:
            self._typing_pass = False
            return False
        now = time.monotonic()
        if self._typing_since is None:
            self._typing_since = now
        elif now - self._typing_since >= TYPING_HOLD:
            self._typing_since = None  # this frame goes, to show how far the keys got
            return False
        if self._typing_timer is None:
            with contextlib.suppress(RuntimeError):
                self._typing_timer = self._loop.call_later(TYPING_LOOK, self._typing_look)
        return True

    def _typing_look(self) -> None:
        """Release what was held for typed keys once they are all handled (or the hold
        has lasted TYPING_HOLD), unless the terminal is still behind."""
        self._typing_timer = None
        since = self._typing_since
        if since is not None and self._typing_ahead():
            if time.monotonic() - since < TYPING_HOLD:
                with contextlib.suppress(RuntimeError):
                    self._typing_timer = self._loop.call_later(TYPING_LOOK, self._typing_look)
                return
            self._typing_pass = True  # the repaint below shows how far the keys got
        self._typing_since = None
        if not self._asked:
            self._release()

    def _hold(self, data: str) -> None:
        self._holding_frames = True
        spans = frame_spans(data)
        if spans is None or self._held is None:
            self._held = None
        else:
            self._held = merge_spans(self._held + spans)

    def _release(self) -> None:
        """Repaint what held frames would have painted, from the screen as it is now."""
        if not self._holding_frames:
            return
        held, self._held, self._holding_frames = self._held, [], False
        with contextlib.suppress(Exception):  # no screen any more: the app is closing
            repaint(self._app.screen, held)

    def ask_status(self) -> None:
        """Ask whether the terminal answers at all (at start-up, before any frame)."""
        self._asked += 1
        WatchfulDriver.write(self, STATUS_REQUEST)
        self.flush()
        self._start_timer()

    def _start_timer(self) -> None:
        if self._timer is None:
            with contextlib.suppress(RuntimeError):
                self._timer = self._loop.call_later(ANSWER_TIMEOUT, self._timed_out)

    def _timed_out(self) -> None:
        self._timer = None
        if not self._asked:
            return
        if time.monotonic() - self._last_answer < ANSWER_TIMEOUT:
            self._start_timer()
            return
        self._asked = 0
        self._misses += 1
        if not self.pacing or self._misses >= GIVE_UP_AFTER:
            self.pacing = False
        self._release()

    def _answered(self, count: int) -> None:
        self._last_answer = time.monotonic()
        self._misses = 0
        self.pacing = True  # it answers (a late answer to the first question too)
        self._asked = max(0, self._asked - count)
        if not self._asked:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._typing_timer is None:  # else the typed keys' hold ends it
                self._release()

    def reset_pacing(self) -> None:
        """The terminal is set up afresh (start, resume): nothing is asked or held."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._typing_timer is not None:
            self._typing_timer.cancel()
            self._typing_timer = None
        self._asked = 0
        self._typing_since, self._typing_pass = None, False
        self._held, self._holding_frames = [], False

    # -- input (the input thread) ------------------------------------------------------
    def filter_input(self, text: str) -> str:
        text, found = self._answers.feed(text, expecting=self._asked > 0)
        if found:
            with contextlib.suppress(RuntimeError):  # the app's loop has closed
                self._loop.call_soon_threadsafe(self._answered, found)
        return text

    def input_idle(self) -> str:
        return self._answers.flush()

    @property
    def input_kept(self) -> bool:
        return self._answers.keeping
