"""The first screen, sent once: which driver holds its frames back, and when to let go.

Textual paints a starting screen in pieces, several times over (16 to 24 KB at 120x40).
:class:`~xoro_tui.terminal.driver.StartUpDriver` holds those frames back; once the first Centre is
ready (it calls the app's ``first_screen_ready``) and Textual has stopped painting for a
moment, :class:`StartUpHold` releases the driver and the finished screen goes in one frame.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.driver import Driver

    from xoro_tui.terminal.driver import StartUpDriver

#: seconds without a frame after which the first screen is taken as settled
START_UP_QUIET = 0.025
#: the longest the first screen is held back, whatever happens
START_UP_HOLD_LIMIT = 10.0


def driver_class(*, low_bandwidth: bool) -> type[Driver] | None:
    """The driver for this terminal: one that holds the first frames, or None off Linux."""
    if sys.platform.startswith("win"):
        return None
    from xoro_tui.terminal.driver import LowBandwidthDriver, StartUpDriver

    return LowBandwidthDriver if low_bandwidth else StartUpDriver


class StartUpHold:
    """Releases the app's driver once the first screen is whole and quiet, or at the limit."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        #: until the first Centre is whole, the driver sends nothing (see :meth:`ready`)
        self._starting = True

    def start(self) -> None:
        """Let go at the limit if the first Centre never says it is ready."""
        self._app.set_timer(START_UP_HOLD_LIMIT, self.ready)

    def ready(self) -> None:
        """The first Centre has its rows, count and keys: draw it, once."""
        if self._starting:
            self._starting = False
            self._release_when_quiet(time.monotonic() + START_UP_HOLD_LIMIT)

    def _release_when_quiet(self, deadline: float) -> None:
        driver = cast("StartUpDriver", self._app._driver)
        if not getattr(driver, "holding", False):
            return
        now = time.monotonic()
        painted = driver.last_held > 0.0 and now - driver.last_held >= START_UP_QUIET
        if painted or now >= deadline:
            driver.release()
            self._app.screen.refresh()
        else:
            self._app.set_timer(START_UP_QUIET / 2, lambda: self._release_when_quiet(deadline))
