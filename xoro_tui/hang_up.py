"""A dropped terminal: hear of it, and keep what the user was typing.

A dropped SSH link sends SIGHUP, but only to the terminal's session leader; when that is
``make`` or a shell ignoring it, the driver (:mod:`xoro_tui.terminal.terminal_watch`) finds the
terminal gone and calls the app's ``hang_up`` itself. Either way open forms are kept as
drafts before the app ends with :data:`HANG_UP_STATUS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App

from xoro_tui.errorlog import log_exception

#: exit status after a hang-up: 128 + SIGHUP, as a shell reports a process it ended
HANG_UP_STATUS = 129


def on_sighup(callback: Callable[[], None]) -> None:
    """Call ``callback`` on the running loop when SIGHUP arrives (where signals can be heard)."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, callback)


def keep_drafts(screens: Iterable[object]) -> None:
    """Every screen that can keep a draft keeps it, the top one first; one failing is
    logged and the rest still keep theirs."""
    for screen in screens:
        keep = getattr(screen, "keep_draft", None)
        if callable(keep):
            try:
                keep()
            except Exception as exc:  # noqa: BLE001 - the link is gone; log and go on
                log_exception(exc, "keeping a draft on hang-up")


class HangsUpCleanly(App[None]):
    """An app that, once its terminal has gone, keeps drafts, ends, and reports to no one."""

    #: the terminal has gone: drafts are kept and the app is ending
    hung_up = False

    def hang_up(self) -> None:
        """The terminal has gone (SIGHUP, or the driver found it dead): drafts, then exit.

        Called once or twice (a signal and the driver may both report it); acts once."""
        if self.hung_up:
            return
        self.hung_up = True
        keep_drafts(reversed(self.screen_stack))
        self.exit(return_code=HANG_UP_STATUS)

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``callback`` on the UI thread; dropped (returning None) once the app is ending.

        An action running in a thread (a batch update, a merge, an export, a print) reports
        progress and its result through here, some of it from inside its transaction. After
        a hang-up there is no screen to report to: the report is dropped, so the action
        commits as a whole (or rolls back on its own error) and the process waits for it
        before it ends, instead of the report failing inside the transaction."""
        if self.hung_up or not self.is_running:
            return None
        return super().call_from_thread(callback, *args, **kwargs)
