"""The App: stylesheet, global keys, the two Centres, command palette entries. Kept thin."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

import sqlite_utils
from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from xoro_tui.data.search.early_count import EarlyCount
from xoro_tui.data.search.index_upkeep import IndexUpkeep
from xoro_tui.data.store.connection import connect
from xoro_tui.errorlog import log_exception
from xoro_tui.focus_paint import repaint_only_what_focus_changes
from xoro_tui.key_order import KeyGate

if TYPE_CHECKING:
    from xoro_tui.driver import StartUpDriver
    from xoro_tui.screens.app_access import XoroServices

#: exit status after a hang-up: 128 + SIGHUP, as a shell reports a process it ended
HANG_UP_STATUS = 129
#: seconds without a frame after which the first screen is taken as settled
START_UP_QUIET = 0.025
#: the longest the first screen is held back, whatever happens
START_UP_HOLD_LIMIT = 10.0
#: seconds after start-up before the search indexes' background merging begins
INDEX_UPKEEP_AFTER = 2.0


def _log_upkeep_error(exc: Exception) -> None:
    """A step that waited too long for the lock (a long import) is simply tried later."""
    if "locked" not in str(exc):
        log_exception(exc, "search index upkeep")


class XoroApp(App[None]):
    """XoroERP's Customer Centre and Customer Refund Centre."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "xoro-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = [
        Binding("f2,C", "show_customers", "Customers", id="app.customers"),
        Binding("f3,R", "show_refunds", "Refunds", id="app.refunds"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        # F1 (and ctrl+o, for terminals that keep F1) open help from every screen and dialog,
        # text fields included; ? does too, except where it is typed into a text field
        Binding("f1,ctrl+o", "help", show=False, priority=True, id="app.help_anywhere"),
        Binding("question_mark", "help_unless_typed", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        db: sqlite_utils.Database,
        db_path: Path,
        *,
        low_bandwidth: bool = False,
        early_count: EarlyCount | None = None,
    ) -> None:
        repaint_only_what_focus_changes()
        super().__init__(
            driver_class=_driver_class(low_bandwidth=low_bandwidth),
            ansi_color=low_bandwidth,
        )
        self.db = db
        self.db_path = Path(db_path)
        self.low_bandwidth = low_bandwidth
        #: the Customer Centre's first count, taken while the app was loading
        self.early_count = early_count
        self.sub_title = str(self.db_path)
        if low_bandwidth:
            self.theme = "ansi-dark"
        #: until the first Centre is whole, the driver sends nothing (see first_screen_ready)
        self._starting = True
        #: the terminal has gone: drafts are kept and the app is ending
        self.hung_up = False
        #: keys that arrive together are handled one at a time, each after the last settled
        self.key_gate = KeyGate(self)
        self._index_upkeep: IndexUpkeep | None = None

    def open_reader(self) -> sqlite_utils.Database:
        """A second connection for work done off the UI thread (counts, searches)."""
        return connect(self.db_path)

    #: each Centre is built (and its module imported) the first time it is shown
    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "customers": lambda: _customer_centre(),
        "refunds": lambda: _refund_centre(),
    }

    def on_mount(self) -> None:
        self._watch_hangup()
        self.push_screen("customers")
        self.set_timer(START_UP_HOLD_LIMIT, self.first_screen_ready)  # if the Centre never says
        self.run_worker(self._housekeeping, thread=True, group="housekeeping")
        self.set_timer(INDEX_UPKEEP_AFTER, self._start_index_upkeep)

    def _start_index_upkeep(self) -> None:
        """Merge the search indexes in short steps in the background, so that no user's
        save has to (see :mod:`xoro_tui.data.search.index_upkeep`). A plain daemon
        thread: quitting never waits for it."""
        if self._index_upkeep is not None or not os.access(self.db_path, os.W_OK):
            return
        upkeep = IndexUpkeep(self.open_reader)
        self._index_upkeep = upkeep
        threading.Thread(
            target=upkeep.run, args=(_log_upkeep_error,), name="index-upkeep", daemon=True
        ).start()

    def on_unmount(self) -> None:
        if self._index_upkeep is not None:
            self._index_upkeep.stop()

    async def on_event(self, event: events.Event) -> None:
        if self.key_gate.take(event):
            return
        await super().on_event(event)

    def first_screen_ready(self) -> None:
        """The first Centre has its rows, count and keys: draw it, once.

        Textual paints a starting screen in pieces, several times over (16 to 24 KB at
        120x40). The driver holds those frames back; once the Centre is ready and Textual
        has stopped painting for a moment, the finished screen is sent in one frame."""
        if self._starting:
            self._starting = False
            self._release_when_quiet(time.monotonic() + START_UP_HOLD_LIMIT)

    def _release_when_quiet(self, deadline: float) -> None:
        driver = cast("StartUpDriver", self._driver)
        if not getattr(driver, "holding", False):
            return
        now = time.monotonic()
        painted = driver.last_held > 0.0 and now - driver.last_held >= START_UP_QUIET
        if painted or now >= deadline:
            driver.release()
            self.screen.refresh()
        else:
            self.set_timer(START_UP_QUIET / 2, lambda: self._release_when_quiet(deadline))

    def _housekeeping(self) -> None:
        """At start-up, off the UI thread: purge deleted customers past retention."""
        from xoro_tui.data.store.app_settings import retention_days
        from xoro_tui.data.store.maintenance import purge_deleted

        reader = connect(self.db_path)
        try:
            purge_deleted(reader, retention_days(reader.conn))
        except Exception as exc:  # noqa: BLE001 - housekeeping never stops the app
            log_exception(exc, "purge at start-up")
        finally:
            reader.conn.close()

    def _watch_hangup(self) -> None:
        """A dropped SSH link sends SIGHUP: keep open forms as drafts, then end cleanly.

        The signal reaches only the terminal's session leader; when that is ``make`` or a
        shell ignoring it, the driver (xoro_tui/terminal_watch.py) finds the terminal
        gone and calls :meth:`hang_up` itself."""
        import asyncio
        import signal

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)

    def hang_up(self) -> None:
        """The terminal has gone (SIGHUP, or the driver found it dead): drafts, then exit.

        Called once or twice (a signal and the driver may both report it); acts once."""
        if self.hung_up:
            return
        self.hung_up = True
        for screen in reversed(self.screen_stack):
            keep = getattr(screen, "keep_draft", None)
            if callable(keep):
                try:
                    keep()
                except Exception as exc:  # noqa: BLE001 - the link is gone; log and go on
                    log_exception(exc, "keeping a draft on hang-up")
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

    def action_show_customers(self) -> None:
        self._show("customers")

    def action_show_refunds(self) -> None:
        self._show("refunds")

    def _show(self, name: str) -> None:
        if self.screen is self.get_screen(name):
            return
        if len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.switch_screen(name)
        else:
            self.push_screen(name)

    def action_help(self) -> None:
        """Help for the screen or dialog on top; asked again, help closes."""
        from xoro_tui.screens.dialogs.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_help_unless_typed(self) -> None:
        """``?`` is help, but in a text field it is the character."""
        focused = self.focused
        if focused is not None and focused.check_consume_key("question_mark", "?"):
            raise SkipAction
        self.action_help()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Customer Centre", "Every customer", self.action_show_customers)
        yield SystemCommand(
            "Customer Refund Centre", "Every refund and its status", self.action_show_refunds
        )
        yield SystemCommand("Help", "Every key", self.action_help)
        yield from _import_commands(screen)
        yield from screen_commands(screen)
        yield SystemCommand("Quit", "Leave xoro-tui", self.exit)

    def _handle_exception(self, error: Exception) -> None:
        """Never a traceback on the user's screen: log it, say one line, keep going."""
        if self.is_headless:
            super()._handle_exception(error)
            return
        message = log_exception(error, "unhandled error in the app")
        try:
            self.notify(message, severity="error", markup=False, timeout=10)
        except Exception:  # noqa: BLE001 - the app may be shutting down
            super()._handle_exception(error)


def _driver_class(*, low_bandwidth: bool):  # noqa: ANN202 - a Driver class, or None off Linux
    import sys

    if sys.platform.startswith("win"):
        return None
    from xoro_tui.driver import LowBandwidthDriver, StartUpDriver

    return LowBandwidthDriver if low_bandwidth else StartUpDriver


def _customer_centre() -> Screen[Any]:
    from xoro_tui.screens.customers.customer_centre import CustomerCentre

    return CustomerCentre()


def _refund_centre() -> Screen[Any]:
    from xoro_tui.screens.refunds.refund_centre import RefundCentre

    return RefundCentre()


def _import_commands(screen: Screen) -> Iterable[SystemCommand]:
    from xoro_tui.screens.dialogs.import_screen import open_import

    for kind in ("customers", "refunds"):
        yield SystemCommand(f"Import {kind}", "From a CSV, .xlsx or .xls file, mapped column "
                            "by column", lambda k=kind: open_import(screen, k))  # fmt: skip


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    commands = getattr(screen, "palette_commands", None)
    if callable(commands):
        yield from commands()


def _offers_the_screens_their_services(app: XoroApp) -> XoroServices:
    """Never called: the type checker holds the app to what the screens expect of it."""
    return app
