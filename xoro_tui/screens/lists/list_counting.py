"""Counting a filter and reading what more a Centre shows about it, off the UI thread.

The rows and the count of a new filter are read in a worker on a reader connection of its
own, and a newer keystroke interrupts the older query; a Centre's counts per status and
totals are read the same way on a second reader. The UI thread only paints.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, TypeVar

import sqlite_utils
from textual import work
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.list_parts import ListParts
from xoro_tui.widgets.table_source import TableRow

#: "as many rows as there may be": where the rows of a filter not yet counted are read from
ROWS_UNKNOWN = 1 << 62

T = TypeVar("T")


#: how long a read keeps trying past interrupts meant for older reads
READ_RETRY_SECONDS = 10.0


def read_past_interrupts(
    worker: Worker[Any], read: Callable[[], T], lock: threading.Lock | None = None
) -> T | None:
    """``read()`` under ``lock``, again while it is interrupted and ``worker`` is still
    wanted; None when the worker was cancelled (a newer filter took over).

    Workers of one group share a reader connection: ``lock`` keeps their statements from
    overlapping, so the interrupt meant for an older query is over by the time the newer
    one starts. SQLite still interrupts a statement started while an interrupted one has
    not yet stopped; such a read is tried again after a short pause (spinning at once
    would only meet the same interrupt), and the newest filter is never dropped.
    """
    pause = 0.001
    deadline = time.monotonic() + READ_RETRY_SECONDS
    while True:
        try:
            with lock if lock is not None else nullcontext():
                return read()
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            if worker.is_cancelled or time.monotonic() > deadline:
                return None
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


class ListCounting(ListParts):
    """The count and details workers of a list screen."""

    def __init__(self) -> None:
        super().__init__()
        self._reader: sqlite_utils.Database | None = None
        self._details_reader: sqlite_utils.Database | None = None
        #: one statement at a time on each shared reader (see read_past_interrupts)
        self._reader_lock = threading.Lock()
        self._details_lock = threading.Lock()
        #: the filter last asked for while its count runs (the source has the one shown)
        self._wanted: Filter | None = None
        #: the newest filter asked for: a count of an older one that comes back later is
        #: not shown over it
        self._latest: Filter | None = None

    def keys_wait(self) -> bool:
        """Whether a key typed now would act on rows not yet shown (see key_order).

        A filter just asked for has its rows on the way: a key for the table (``m``, space,
        Enter) waits for them, as it would have if typed after they appeared. Keys typed
        into the search box do not wait, and a count still running holds nothing back."""
        if self._wanted is None or isinstance(self.app.focused, Input):
            return False
        return any(
            worker.node is self and worker.group == "count" and not worker.is_finished
            for worker in self.workers
        )

    def apply_filter(self, flt: Filter) -> None:
        """Count in a worker; a newer call interrupts the older query."""
        counting = self.workers.cancel_group(self, "count")
        if self._reader is not None and counting:
            # cancelled first: the older count stops at the interrupt rather than reading
            # its filter again
            self._reader.conn.interrupt()
        self.keep_checks()
        self._wanted = self._latest = flt
        self._count_worker(flt)

    @work(thread=True, exclusive=True, group="count")
    def _count_worker(self, flt: Filter) -> None:
        """The rows the table will show and the count, read on a connection of its own: the
        UI thread only paints them.

        A search is counted first (its index counts it in a few ms, and the count chooses
        how its rows are read). Conditions may need every row read to be counted, while
        their first rows seldom do: those rows are shown first, with the count to follow.
        """
        worker = get_current_worker()
        read_past_interrupts(worker, lambda: self._count_once(flt, worker), self._reader_lock)

    def _count_once(self, flt: Filter, worker: Worker[None]) -> None:
        if self._reader is None:
            self._reader = xoro_app(self).open_reader()
        assert self.source is not None
        post = self.app.call_from_thread
        query = WindowQuery(self._reader.conn, self.source.query.spec)
        layout = self.source.layout()
        if flt.conditions or flt.extras:
            offset, limit = self.table.window_after_reload(ROWS_UNKNOWN)
            rows = self.source.read_window(query, flt, None, offset, limit)
            if rows or not offset:
                seen, exact = offset + len(rows), len(rows) < limit
                if worker.is_cancelled:
                    return
                post(self._filter_counted, flt, seen, (layout, offset, rows), not exact)
                if not exact:
                    count = query.count(flt)
                    if not worker.is_cancelled:
                        post(self._count_known, flt, count)
                return
        count = query.count(flt)
        offset, limit = self.table.window_after_reload(count)
        rows = self.source.read_window(query, flt, count, offset, limit)
        if not worker.is_cancelled:
            post(self._filter_counted, flt, count, (layout, offset, rows))

    def _filter_counted(
        self,
        flt: Filter,
        count: int,
        ahead: tuple[object, int, list[TableRow]] | None = None,
        counting: bool = False,
    ) -> None:
        assert self.source is not None
        if not self.is_running:  # the count came back after the screen closed (app exit)
            return
        if self._latest is not None and flt is not self._latest:
            return  # an older filter's count, overtaken by a newer one already shown
        if flt is self._wanted:
            self._wanted = None
        self.source.set_filter(flt, count, counting=counting)
        window = None
        if ahead is not None and ahead[0] == self.source.layout():
            window = ahead[1], ahead[2]
        self.table.reload(keep_key=False, count=count, window=window)
        self.update_filter_line()
        self.update_status()
        self.filter_applied()

    def _count_known(self, flt: Filter, count: int) -> None:
        assert self.source is not None
        if not self.is_running or self.source.filter is not flt or not self.source.counting:
            return  # a newer filter, a write or a refresh came in between
        self.source.set_count(count)
        self.table.set_row_count(count)
        self.update_status()

    # -- more about the filter (counts per status, totals), read off the UI thread
    def filter_details(self, conn: sqlite3.Connection, flt: Filter) -> object:
        """Hook: read what a Centre shows about its filter besides the rows; runs in a
        worker on a connection of its own, so it may take a full scan."""
        return None

    def show_filter_details(self, details: object) -> None:
        """Hook: show what :meth:`filter_details` read."""

    def show_filter_at_once(self, flt: Filter) -> None:
        """Show ``flt`` now, on the UI thread (a saved view on the first screen): no count
        worker, and one still running is for another filter."""
        assert self.source is not None
        self.keep_checks()
        self._wanted = None
        self._latest = flt
        self.workers.cancel_group(self, "count")  # a count still running is for another filter
        self.source.set_filter(flt)
        self.table.reload(keep_key=False)

    def filter_applied(self) -> None:
        """The filter changed or the data did: read its details again, in a worker."""
        if type(self).filter_details is ListCounting.filter_details:
            return
        assert self.source is not None
        stopped = self.workers.cancel_group(self, "details")
        if self._details_reader is not None and stopped:
            self._details_reader.conn.interrupt()
        self._details_worker(self.source.filter)

    @work(thread=True, exclusive=True, group="details")
    def _details_worker(self, flt: Filter) -> None:
        worker = get_current_worker()
        if self._details_reader is None:
            self._details_reader = xoro_app(self).open_reader()
        reader = self._details_reader
        try:
            details = read_past_interrupts(
                worker, lambda: self.filter_details(reader.conn, flt), self._details_lock
            )
        except (sqlite3.OperationalError, sqlite3.ProgrammingError) as exc:
            if "closed" in str(exc):
                return  # the screen went away
            raise
        if details is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._details_read, flt, details)

    def _details_read(self, flt: Filter, details: object) -> None:
        if self.is_running and self.source is not None and self.source.filter == flt:
            self.show_filter_details(details)

    def on_unmount(self) -> None:
        for reader in (self._reader, self._details_reader):
            if reader is not None:
                reader.conn.interrupt()
