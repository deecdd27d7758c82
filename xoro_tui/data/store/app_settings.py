"""Settings of the whole database, set by an admin and audited: the retention period."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid
from xoro_tui.settings_env import env_settings

DEFAULT_RETENTION_DAYS = 30
RETENTION_KEY = "retention_days"


def stored_retention_days(conn: sqlite3.Connection) -> int:
    try:
        row = conn.execute(
            "SELECT value FROM app_settings WHERE key = ?", (RETENTION_KEY,)
        ).fetchone()
    except sqlite3.OperationalError:  # a file not yet migrated
        row = None
    return int(row[0]) if row and str(row[0]).isdigit() else DEFAULT_RETENTION_DAYS


def retention_days(conn: sqlite3.Connection) -> int:
    """How long deleted customers stay restorable: the stored value, or
    ``XORO_TUI_RETENTION_DAYS`` where that is longer (the variable can only lengthen it,
    so no login can end the restore window by setting it)."""
    stored = stored_retention_days(conn)
    configured = env_settings().retention_days
    return stored if configured is None else max(stored, configured)


def set_retention_days(db: sqlite_utils.Database, days: int) -> None:
    if days < 1 or days > 36_500:
        raise Invalid("retention-days", "a whole number of days from 1 to 36500")
    with write_tx(db) as conn:
        before = stored_retention_days(conn)
        conn.execute(
            "INSERT INTO app_settings(key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (RETENTION_KEY, str(days), now_iso(), os_user()),
        )
        audit.record(conn, "app_settings", RETENTION_KEY, "update", {"value": (before, days)})
