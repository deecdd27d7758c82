"""The Customer Centre's first count, taken while the interface is still loading.

Counting a million customers takes a twentieth of a second (a quarter on PostgreSQL);
importing Textual and building the screen takes several times that, on one core. Started
in a thread on its own connection just after the database is opened (SQLite lets go of
the GIL while it counts, psycopg while the server does), the count is ready when the
Centre first asks for it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from xoro_tui.data.postgres.pg_url import PgUrl


class EarlyCount:
    """Counts the Customer Centre's unfiltered list in the background; ``result()`` waits."""

    def __init__(self, path: Path | PgUrl) -> None:
        self._count: int | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="early-count", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path | PgUrl) -> None:
        from xoro_tui.data.customers.customer_list import customer_spec
        from xoro_tui.data.search.list_query import Filter, WindowQuery
        from xoro_tui.data.store.connection import connect

        try:
            db = connect(path)
            try:
                self._count = WindowQuery(db.conn, customer_spec()).count(Filter())
            finally:
                db.conn.close()
        except Exception:  # noqa: BLE001 - the Centre then counts for itself
            self._count = None

    def result(self, timeout: float = 10.0) -> int | None:
        """The count of active customers with no filter, or None if it could not be taken."""
        self._thread.join(timeout)
        return self._count
