"""The App: stylesheet, global keys, the two Centres, command palette entries. Kept thin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import sqlite_utils
from textual import events
from textual.actions import SkipAction
from textual.app import SystemCommand
from textual.screen import Screen

from xoro_tui.actions.registry import bindings
from xoro_tui.data.postgres.pg_url import PgUrl
from xoro_tui.data.search.early_count import EarlyCount
from xoro_tui.data.search.index_upkeep import IndexUpkeep
from xoro_tui.data.store.connection import connect
from xoro_tui.error_notice import ShowsErrorsInOneLine
from xoro_tui.hang_up import HangsUpCleanly, on_sighup
from xoro_tui.housekeeping import purge_at_start, start_index_upkeep
from xoro_tui.palette import system_commands
from xoro_tui.screens import centres
from xoro_tui.screens.user_keys import use_user_keys
from xoro_tui.terminal.focus_paint import repaint_only_what_focus_changes
from xoro_tui.terminal.key_order import KeyGate
from xoro_tui.terminal.render_cache import free_closed_widgets_render_caches
from xoro_tui.terminal.start_up_hold import StartUpHold, driver_class

if TYPE_CHECKING:
    from xoro_tui.screens.app_access import XoroServices

#: seconds after start-up before the search indexes' background merging begins
INDEX_UPKEEP_AFTER = 2.0


class XoroApp(HangsUpCleanly, ShowsErrorsInOneLine):
    """XoroERP's Customer Centre and Customer Refund Centre."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "xoro-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = bindings("XoroApp")

    def __init__(
        self,
        db: sqlite_utils.Database,
        db_path: Path | PgUrl,
        *,
        low_bandwidth: bool = False,
        early_count: EarlyCount | None = None,
    ) -> None:
        repaint_only_what_focus_changes()
        free_closed_widgets_render_caches()
        super().__init__(
            driver_class=driver_class(low_bandwidth=low_bandwidth), ansi_color=low_bandwidth
        )
        self.db = db
        # a SQLite file, or a PostgreSQL URL (shown and logged with its password masked)
        self.db_path = db_path if isinstance(db_path, PgUrl) else Path(db_path)
        self.low_bandwidth = low_bandwidth
        #: the Customer Centre's first count, taken while the app was loading
        self.early_count = early_count
        self.sub_title = str(self.db_path)
        if low_bandwidth:
            self.theme = "ansi-dark"
        self._start_up = StartUpHold(self)
        #: keys that arrive together are handled one at a time, each after the last settled
        self.key_gate = KeyGate(self)
        self._index_upkeep: IndexUpkeep | None = None

    def open_reader(self) -> sqlite_utils.Database:
        """A second connection for work done off the UI thread (counts, searches)."""
        return connect(self.db_path)

    #: each Centre is built (and its module imported) the first time it is shown
    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "customers": centres.customer_centre,
        "refunds": centres.refund_centre,
    }

    def on_mount(self) -> None:
        on_sighup(self.hang_up)
        use_user_keys(self)
        self.push_screen("customers")
        self._start_up.start()
        self.run_worker(lambda: purge_at_start(self.db_path), thread=True, group="housekeeping")
        self.set_timer(INDEX_UPKEEP_AFTER, self._start_index_upkeep)

    def _start_index_upkeep(self) -> None:
        if self._index_upkeep is None:
            self._index_upkeep = start_index_upkeep(self.db_path, self.open_reader)

    def on_unmount(self) -> None:
        if self._index_upkeep is not None:
            self._index_upkeep.stop()

    async def on_event(self, event: events.Event) -> None:
        if self.key_gate.take(event):
            return
        await super().on_event(event)

    def first_screen_ready(self) -> None:
        """The first Centre has its rows, count and keys: draw it, once (start_up_hold.py)."""
        self._start_up.ready()

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
        from xoro_tui.screens.dialogs.help_screen import toggle_help

        toggle_help(self)

    def action_help_unless_typed(self) -> None:
        """``?`` is help, but in a text field it is the character."""
        focused = self.focused
        if focused is not None and focused.check_consume_key("question_mark", "?"):
            raise SkipAction
        self.action_help()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return system_commands(self, screen)


def _offers_the_screens_their_services(app: XoroApp) -> XoroServices:
    """Never called: the type checker holds the app to what the screens expect of it."""
    return app
