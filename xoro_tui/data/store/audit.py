"""The append-only audit log: who changed what, when, old → new, in the action's transaction."""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Mapping
from typing import Any

from xoro_tui.data.store.clock import now_iso, os_user

Changes = Mapping[str, tuple[Any, Any]]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


#: the audit rows this process wrote (the newest few thousand), by database file: a list
#: that asks "did someone else change anything?" leaves these out
_OWN_ROWS: deque[tuple[str, int]] = deque(maxlen=4096)


def _file_of(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA database_list").fetchone()[2])


def written_elsewhere(conn: sqlite3.Connection, since: int) -> bool:
    """Whether an audit row newer than ``since`` was written by another process."""
    newer = [r[0] for r in conn.execute(
        "SELECT id FROM audit_log WHERE id > ? ORDER BY id LIMIT 5000", (since,)
    )]  # fmt: skip
    name = _file_of(conn)
    own = {row for file, row in _OWN_ROWS if file == name}
    return any(row not in own for row in newer)


BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version"})


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, as ``{field: (old, new)}``; bookkeeping columns and
    empty-to-empty changes (None and ``[]``) are left out."""
    out: dict[str, tuple[Any, Any]] = {}
    for key, value in new.items():
        if key in BOOKKEEPING:
            continue
        before = old.get(key)
        if (before in (None, []) and value in (None, [])) or _jsonable(before) == _jsonable(value):
            continue
        out[key] = (before, value)
    return out


def record(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    action: str,
    changes: Changes | None = None,
    *,
    user: str | None = None,
) -> None:
    payload = {
        field: [_jsonable(old), _jsonable(new)] for field, (old, new) in (changes or {}).items()
    }
    cursor = conn.execute(
        "INSERT INTO audit_log(at, user, table_name, record_key, action, changes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (now_iso(), user or os_user(), table, key, action, json.dumps(payload, ensure_ascii=False)),
    )
    if cursor.lastrowid is not None:
        _OWN_ROWS.append((_file_of(conn), cursor.lastrowid))


def history(conn: sqlite3.Connection, table: str, key: str, limit: int = 200) -> list[dict]:
    rows = conn.execute(
        "SELECT at, user, action, changes FROM audit_log WHERE table_name = ? AND record_key = ? "
        "ORDER BY id DESC LIMIT ?",
        (table, key, limit),
    ).fetchall()
    return [
        {"at": at, "user": user, "action": action, "changes": json.loads(changes)}
        for at, user, action, changes in rows
    ]


def query(
    conn: sqlite3.Connection,
    *,
    since: str | None = None,
    user: str | None = None,
    table: str | None = None,
    limit: int = 100,
) -> list[dict]:
    where, args = [], []
    if since:
        where.append("at >= ?")
        args.append(since)
    if user:
        where.append("user = ?")
        args.append(user)
    if table:
        where.append("table_name = ?")
        args.append(table)
    sql = "SELECT at, user, table_name, record_key, action, changes FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    rows = conn.execute(sql, (*args, limit)).fetchall()
    return [
        {
            "at": at,
            "user": u,
            "table": t,
            "key": k,
            "action": a,
            "changes": json.loads(c),
        }
        for at, u, t, k, a, c in rows
    ]


def _show(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, list):
        return "|".join(str(v) for v in value) or "∅"
    return str(value)


def format_line(entry: Mapping[str, Any]) -> str:
    """One line per change: time, user, table, record key, each field old → new."""
    changes = "; ".join(
        f"{field}: {_show(old)} → {_show(new)}" for field, (old, new) in entry["changes"].items()
    )
    head = f"{entry['at']}  {entry['user']}  {entry['table']}  {entry['key']}  {entry['action']}"
    return f"{head}  {changes}" if changes else head
