"""Per-user UI settings and named views, kept in the database (``ui_settings``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sqlite_utils

from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import NotFound

if TYPE_CHECKING:
    from xoro_tui.data.models.views import View

VIEW_PREFIX = "view:"
ACTIVE_VIEW = "active_view"


class SettingsRepository:
    """Settings of one user (the OS login by default) for one screen."""

    def __init__(self, db: sqlite_utils.Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or os_user()

    def get(self, screen: str, name: str, default: Any = None) -> Any:
        row = self.db.conn.execute(
            "SELECT value FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
            (self.user, screen, name),
        ).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, screen: str, name: str, value: Any) -> None:
        with write_tx(self.db) as conn:
            conn.execute(
                "INSERT INTO ui_settings(user, screen, name, value, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user, screen, name) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (self.user, screen, name, json.dumps(value, ensure_ascii=False), now_iso()),
            )

    def views(self, screen: str) -> list[str]:
        rows = self.db.conn.execute(
            "SELECT name FROM ui_settings WHERE user = ? AND screen = ? AND name LIKE 'view:%' "
            "ORDER BY name",
            (self.user, screen),
        ).fetchall()
        return [r[0][len(VIEW_PREFIX) :] for r in rows]

    def save_view(self, screen: str, name: str, view: View, *, make_active: bool = True) -> None:
        self.put(screen, VIEW_PREFIX + name, view.model_dump(mode="json"))
        if make_active:
            self.put(screen, ACTIVE_VIEW, name)

    def load_view(self, screen: str, name: str, owner: str | None = None) -> View:
        user = owner or self.user
        row = self.db.conn.execute(
            "SELECT value FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
            (user, screen, VIEW_PREFIX + name),
        ).fetchone()
        if row is None:
            raise NotFound(f"no view named {name!r} for {user}")
        from xoro_tui.data.models.views import View

        return View.model_validate(json.loads(row[0]))

    def active_view(self, screen: str) -> View | None:
        name = self.get(screen, ACTIVE_VIEW)
        if not name:
            return None
        try:
            return self.load_view(screen, name)
        except NotFound:
            return None

    def delete_view(self, screen: str, name: str) -> None:
        with write_tx(self.db) as conn:
            conn.execute(
                "DELETE FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
                (self.user, screen, VIEW_PREFIX + name),
            )
