"""Each user's own keys: binding id -> keys (Textual key names, comma-separated), only
those moved from their defaults, kept in ``ui_settings`` (screen ``app``, name
``keymap``) for the OS login. Saving writes the row and an audit row in one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlite_utils

from xoro_tui.data.store import audit, clock
from xoro_tui.data.store.connection import write_tx

SCREEN = "app"
NAME = "keymap"


def load_keymap(db: sqlite_utils.Database, user: str | None = None) -> dict[str, str]:
    """The user's key map as stored (not yet checked against the actions of this version:
    ``actions.keymap.valid_keymap`` does that); a damaged value reads as none."""
    row = db.conn.execute(
        "SELECT value FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
        (user or clock.os_user(), SCREEN, NAME),
    ).fetchone()
    try:
        value = json.loads(row[0]) if row else {}
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def save_keymap(
    db: sqlite_utils.Database, keymap: Mapping[str, str], user: str | None = None
) -> None:
    """Replace the user's key map (empty: every key at its default again)."""
    who = user or clock.os_user()
    with write_tx(db) as conn:
        row = conn.execute(
            "SELECT value FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
            (who, SCREEN, NAME),
        ).fetchone()
        try:
            before = json.loads(row[0]) if row else {}
        except ValueError:
            before = {}
        before = before if isinstance(before, dict) else {}
        after = dict(sorted(keymap.items()))
        if after:
            conn.execute(
                "INSERT INTO ui_settings(user, screen, name, value, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user, screen, name) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (who, SCREEN, NAME, json.dumps(after, ensure_ascii=False), clock.now_iso()),
            )
        else:
            conn.execute(
                "DELETE FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
                (who, SCREEN, NAME),
            )
        changes = {
            action_id: (before.get(action_id), after.get(action_id))
            for action_id in sorted({*before, *after})
            if before.get(action_id) != after.get(action_id)
        }
        if changes:
            audit.record(conn, "ui_settings", f"{NAME}:{who}", "update", changes, user=who)
