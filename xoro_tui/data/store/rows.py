"""Rows as dicts from a bare connection, without touching its row factory.

Where a ``sqlite_utils.Database`` is at hand, read with its ``db.query()`` instead; these
serve the code inside a write transaction (``write_tx``), which holds only the connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any


def fetch_one(
    conn: sqlite3.Connection, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()
) -> dict[str, Any] | None:
    cursor = conn.execute(sql, args)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def fetch_all(
    conn: sqlite3.Connection, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()
) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an ``INSERT`` just made (DB-API types it as optional)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return rowid
