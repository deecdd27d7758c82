"""Open a database ready for use: connected, checked and migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from xoro_tui.data.store.connection import connect, describe_open_error
from xoro_tui.data.store.errors import DatabaseOpenError
from xoro_tui.data.store.migrations import migrate


def open_database(path: Path | str, *, create: bool = False) -> sqlite_utils.Database:
    """Connect and bring the schema up to date; every failure is a DatabaseOpenError."""
    db = connect(path, must_exist=not create)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        db.conn.close()
        raise DatabaseOpenError(describe_open_error(Path(path), exc)) from None
    except DatabaseOpenError:
        db.conn.close()
        raise
    return db
