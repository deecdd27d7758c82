"""Fetch rows as dicts without touching the shared connection's row factory."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any


def fetch_one(
    conn: sqlite3.Connection, sql: str, args: Sequence[Any] = ()
) -> dict[str, Any] | None:
    cursor = conn.execute(sql, args)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def fetch_all(conn: sqlite3.Connection, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
