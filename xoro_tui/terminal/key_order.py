"""Keys in the order they were typed: each is handled with the screen settled after the last.

On a slow link several keypresses arrive in one read. Textual routes every key to the
widget focused *when the key is taken from the App's queue*; a key that moves focus or
opens a screen takes effect a few messages later, so the keys behind it in the same burst
went to the old widget (``/quokka`` typed into the table instead of the search box).

:class:`KeyGate` holds input events in the App and lets the next one through only once
the previous one has been handled and what it set off has settled: every message pump of
the current screen and the App has drained its queue and its after-refresh callbacks and
waits for its next message, the screen has been laid out again, and the screen says
nothing the next key acts on is still coming (:meth:`keys_wait`, e.g. the rows of a
search just asked for). A count still running in the background holds no key back.

The gate is lazy, because it runs for every key every user types: a key passes at once
when what the key before it set off has settled already (:func:`settled`, one look at
each pump, no messages), which is so for any key typed after a pause. Only a key that
comes while the last one's effects are still under way is held, and then the gate waits
for just the pumps that are still at work (:func:`settle`), not for every widget.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual._queue import Queue
    from textual.app import App
    from textual.message_pump import MessagePump

#: the longest one key may hold the next back (a key that starts something that never
#: finishes must not freeze the keyboard)
SETTLE_LIMIT = 5.0
#: how often a screen that is waiting for rows or a layout is asked again
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

    def typing_ahead(self) -> bool:
        """A printable key is held behind the one being handled: the text box it goes to
        is about to change again, so what the text so far would show can be skipped."""
        ahead = self._held[0] if self._held else None
        return isinstance(ahead, events.Key) and ahead.is_printable

    def take(self, event: events.Event) -> bool:
        """True when the gate keeps ``event`` for later; False: the App handles it now.

        Called by the App as it takes ``event`` from its queue."""
        if self._passing.pop(id(event), None) is not None:
            return False
        if not _gated(event):
            return False
        if self.idle and (isinstance(event, events.MouseMove) or self._settled_now()):
            # nothing held, and the last key's effects are done (or only the pointer
            # moved, which changes nothing a key acts on): handled now, as if typed slowly
            return False
        self._held.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return True

    def _settled_now(self) -> bool:
        """Whether the App, taking an input event from its queue now, finds everything the
        events before it set off done. The App itself is at work (on this event): what
        counts for it is anything else it still has to do."""
        app = self.app
        if app._next_callbacks:  # noqa: SLF001
            return False
        queued: Iterable[object] = app._message_queue.values  # noqa: SLF001
        for message in queued:
            if id(message) in self._passing or not _gated(message):
                return False
        return settled(app, [pump for pump in _pumps(app) if pump is not app])

    async def _run(self) -> None:
        try:
            while self._held:
                await settle(self.app)
                event = self._held.popleft()
                self._passing[id(event)] = event
                if not self.app.post_message(event):
                    self._passing.pop(id(event), None)
                    self._held.clear()
                    return
            # the last key is not waited for here: the next one, if it comes before the
            # last one's effects are done, is held by take() and waits then
        except Exception as exc:  # noqa: BLE001 - never lose the keyboard over a wait
            self._held.clear()
            from xoro_tui.errorlog import log_exception

            log_exception(exc, "waiting for a key to settle")


def _gated(event: object) -> bool:
    if not isinstance(event, (events.Key, events.Paste, events.MouseEvent)):
        return False
    return not event.is_forwarded


def _pumps(app: App) -> list[MessagePump]:
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
        return [app]
    return [app, *screen.walk_children(with_self=True)]


def _resting(pump: MessagePump) -> bool:
    """Whether ``pump`` has nothing left to do: nothing queued, no callback to make, and
    its loop is waiting for the next message (not in the middle of one, not yet started).

    Reads Textual's message pump (8.x): its queue's ``ready_event`` has a waiter exactly
    while the pump's loop waits for a message (tests/app/test_key_gate.py checks this)."""
    if pump._closed:  # noqa: SLF001 - a closed pump does nothing more
        return True
    queue: Queue[object] = pump._message_queue  # noqa: SLF001
    if not queue.empty() or pump._pending_message is not None or pump._next_callbacks:  # noqa: SLF001
        return False
    if getattr(pump, "_callbacks", None):  # a Screen's after-refresh callbacks
        return False
    task = pump._task  # noqa: SLF001
    if task is not None and task.done():
        return True  # a pump whose loop ended (it failed) does nothing more either
    return any(not waiter.done() for waiter in queue.ready_event._waiters)  # noqa: SLF001


def _layout_pending(app: App) -> bool:
    try:
        return bool(app.screen._layout_required)  # noqa: SLF001
    except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
        return False


def _keys_wait(app: App) -> bool:
    try:
        waits = getattr(app.screen, "keys_wait", None)
    except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
        return False
    return bool(callable(waits) and waits())


def settled(app: App, pumps: list[MessagePump]) -> bool:
    """Whether ``pumps`` rest, the screen is laid out and waits for nothing a key acts on."""
    return all(_resting(p) for p in pumps) and not _layout_pending(app) and not _keys_wait(app)


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
    """Wait until the last key's effects are done: see the module's docstring.

    Each round looks at every pump of the screen and the App, and waits only for those at
    work (a callback put behind what each has queued); with none at work, it waits a
    moment for the screen's layout or the rows a key acts on."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline and app.is_running:
        working = [pump for pump in _pumps(app) if not _resting(pump)]
        if working:
            await _barrier(working, deadline)
            continue
        if _layout_pending(app) or _keys_wait(app):
            # a widget shown or hidden moves the others on the screen's next update: a key
            # that places something by them (the row menu by its row) waits for it
            await asyncio.sleep(POLL)
            continue
        return
