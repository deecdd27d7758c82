"""Drafts: the input of a form that was open when the link dropped, kept for that user and
offered back the next time the same form opens. A draft is never a save."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx


class DraftRepository:
    def __init__(self, db: sqlite_utils.Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or os_user()

    def save(self, form: str, record_key: str, data: dict[str, Any]) -> None:
        with write_tx(self.db) as conn:
            conn.execute(
                "INSERT INTO form_drafts(user, form, record_key, data, saved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user, form, record_key) "
                "DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
                (self.user, form, record_key, json.dumps(data, ensure_ascii=False), now_iso()),
            )

    def get(self, form: str, record_key: str) -> tuple[dict[str, Any], str] | None:
        """The draft and when it was kept, or None."""
        row = self.db.conn.execute(
            "SELECT data, saved_at FROM form_drafts WHERE user = ? AND form = ? AND record_key = ?",
            (self.user, form, record_key),
        ).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def discard(self, form: str, record_key: str) -> None:
        with write_tx(self.db) as conn:
            conn.execute(
                "DELETE FROM form_drafts WHERE user = ? AND form = ? AND record_key = ?",
                (self.user, form, record_key),
            )
