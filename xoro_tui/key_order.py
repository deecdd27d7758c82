"""Keys in the order they were typed: each is handled with the screen settled after the last.

On a slow link several keypresses arrive in one read. Textual routes every key to the
widget focused *when the key is taken from the App's queue*; a key that moves focus or
opens a screen takes effect a few messages later, so the keys behind it in the same burst
went to the old widget (``/quokka`` typed into the table instead of the search box).

:class:`KeyGate` holds input events in the App and lets the next one through only once
the previous one has been handled and what it set off has settled: every message pump of
the current screen and the App has drained its queue and its after-refresh callbacks,
focus and the screen stack have stopped changing, the screen has been laid out again,
and the screen says nothing the next key acts on is still coming (:meth:`keys_wait`,
e.g. the rows of a search just asked for). A count still running in the background holds no key back.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: the longest one key may hold the next back (a key that starts something that never
#: finishes must not freeze the keyboard)
SETTLE_LIMIT = 5.0
#: how often a screen that is waiting for rows is asked again
POLL = 0.004


class KeyGate:
    """Hands the App's input events on one at a time, each after the last has settled."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._held: deque[events.Event] = deque()
        #: events let through by the gate, by id: the App handles these as usual
        self._passing: dict[int, events.Event] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        """No key is held back and none is settling."""
        return not self._held and (self._task is None or self._task.done())

    def take(self, event: events.Event) -> bool:
        """True when the gate keeps ``event`` for later; False: the App handles it now."""
        if self._passing.pop(id(event), None) is not None:
            return False
        if not _gated(event):
            return False
        if isinstance(event, events.MouseMove) and self.idle:
            return False  # hovering while nothing is held changes nothing a key acts on
        self._held.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return True

    async def _run(self) -> None:
        try:
            while self._held:
                event = self._held.popleft()
                self._passing[id(event)] = event
                if not self.app.post_message(event):
                    self._passing.pop(id(event), None)
                    self._held.clear()
                    return
                await settle(self.app)
        except Exception as exc:  # noqa: BLE001 - never lose the keyboard over a wait
            self._held.clear()
            from xoro_tui.errorlog import log_exception

            log_exception(exc, "waiting for a key to settle")


def _gated(event: events.Event) -> bool:
    if event.is_forwarded:
        return False
    return isinstance(event, (events.Key, events.Paste, events.MouseEvent))


def _pumps(app: App) -> list[MessagePump]:
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
        return [app]
    return [app, *screen.walk_children(with_self=True)]


def _busy(pumps: list[MessagePump]) -> bool:
    for pump in pumps:
        if not pump._message_queue.empty() or pump._next_callbacks:  # noqa: SLF001
            return True
        if getattr(pump, "_callbacks", None):  # a Screen's after-refresh callbacks
            return True
    return False


def _layout_pending(app: App) -> bool:
    try:
        return bool(app.screen._layout_required)  # noqa: SLF001
    except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
        return False


async def _barrier(pumps: list[MessagePump], deadline: float) -> None:
    """Return once every pump has handled what was in its queue when this was called."""
    left = 0
    done = asyncio.Event()

    def one_more() -> None:
        nonlocal left
        left -= 1
        if left <= 0:
            done.set()

    for pump in pumps:
        if pump.call_later(one_more):
            left += 1
    if not left:
        return
    timeout = max(0.0, deadline - time.monotonic())
    try:
        await asyncio.wait_for(done.wait(), timeout)
    except TimeoutError:
        return


async def settle(app: App) -> None:
    """Wait until the last key's effects are done: see the module's docstring."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline and app.is_running:
        stack = tuple(app.screen_stack)
        focused = app.focused
        pumps = _pumps(app)
        await _barrier(pumps, deadline)
        if tuple(app.screen_stack) != stack or app.focused is not focused:
            continue
        if _busy(_pumps(app)):
            await asyncio.sleep(0)
            continue
        if _layout_pending(app):
            # a widget shown or hidden moves the others on the screen's next update: a key
            # that places something by them (the row menu by its row) waits for it
            await asyncio.sleep(POLL)
            continue
        waits = getattr(app.screen, "keys_wait", None)
        if callable(waits) and waits():
            await asyncio.sleep(POLL)
            continue
        return
