"""The app's background upkeep: purging deleted customers past retention at start-up, and
merging the search indexes in short steps so that no user's save has to."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from xoro_tui.data.postgres.pg_url import PgUrl
from xoro_tui.data.search.index_upkeep import IndexUpkeep
from xoro_tui.data.store.connection import connect
from xoro_tui.errorlog import log_exception


def _log_upkeep_error(exc: Exception) -> None:
    """A step that waited too long for the lock (a long import) is simply tried later."""
    if "locked" not in str(exc):
        log_exception(exc, "search index upkeep")


def start_index_upkeep(
    db_path: Path | PgUrl, open_reader: Callable[[], sqlite_utils.Database]
) -> IndexUpkeep | None:
    """Merge the search indexes in the background (see
    :mod:`xoro_tui.data.search.index_upkeep`); None for a file this login cannot write.
    A plain daemon thread: quitting never waits for it."""
    if not isinstance(db_path, Path) or not os.access(db_path, os.W_OK):
        return None  # PostgreSQL has no FTS5 segments to merge
    upkeep = IndexUpkeep(open_reader)
    threading.Thread(
        target=upkeep.run, args=(_log_upkeep_error,), name="index-upkeep", daemon=True
    ).start()
    return upkeep


def purge_at_start(db_path: Path | PgUrl) -> None:
    """At start-up, off the UI thread: purge deleted customers past retention."""
    from xoro_tui.data.customers.purge import purge_deleted
    from xoro_tui.data.store.app_settings import retention_days

    reader = connect(db_path)
    try:
        purge_deleted(reader, retention_days(reader.conn))
    except Exception as exc:  # noqa: BLE001 - housekeeping never stops the app
        log_exception(exc, "purge at start-up")
    finally:
        reader.conn.close()
