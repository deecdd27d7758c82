"""Per-user UI settings and named views, kept in the database (``ui_settings``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sqlite_utils

from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import NotFound, Refused

if TYPE_CHECKING:
    from xoro_tui.data.models.views import View

VIEW_PREFIX = "view:"
ACTIVE_VIEW = "active_view"
#: the view a Centre opens with (``BUILTIN_VIEW``: its own layout); unset: the last used
DEFAULT_VIEW = "default_view"
#: the name of a Centre's own layout, always offered and never saved over
BUILTIN_VIEW = "Default"


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
        """Delete a view; a Centre that opened with it opens with its own layout."""
        with write_tx(self.db) as conn:
            conn.execute(
                "DELETE FROM ui_settings WHERE user = ? AND screen = ? AND name = ?",
                (self.user, screen, VIEW_PREFIX + name),
            )
            conn.execute(
                "DELETE FROM ui_settings WHERE user = ? AND screen = ? AND name IN (?, ?) "
                "AND value = ?",
                (
                    self.user,
                    screen,
                    ACTIVE_VIEW,
                    DEFAULT_VIEW,
                    json.dumps(name, ensure_ascii=False),
                ),
            )

    def rename_view(self, screen: str, old: str, new: str) -> None:
        """Rename a view (and what points at it); refused when ``new`` is taken."""
        taken = new == BUILTIN_VIEW or new in self.views(screen)
        if taken:
            raise Refused(f"a view named {new!r} exists already")
        with write_tx(self.db) as conn:
            moved = conn.execute(
                "UPDATE ui_settings SET name = ?, updated_at = ? "
                "WHERE user = ? AND screen = ? AND name = ?",
                (VIEW_PREFIX + new, now_iso(), self.user, screen, VIEW_PREFIX + old),
            ).rowcount
            if not moved:
                raise NotFound(f"no view named {old!r}")
            conn.execute(
                "UPDATE ui_settings SET value = ? WHERE user = ? AND screen = ? "
                "AND name IN (?, ?) AND value = ?",
                (
                    json.dumps(new, ensure_ascii=False),
                    self.user,
                    screen,
                    ACTIVE_VIEW,
                    DEFAULT_VIEW,
                    json.dumps(old, ensure_ascii=False),
                ),
            )

    def default_view(self, screen: str) -> str | None:
        """The view chosen to open first (``BUILTIN_VIEW`` for the Centre's own), or None."""
        name = self.get(screen, DEFAULT_VIEW)
        return name if isinstance(name, str) and name else None

    def opening_view(self, screen: str) -> View | None:
        """The view a Centre opens with: the default one, else the last used; None for
        the Centre's own layout."""
        chosen = self.default_view(screen)
        if chosen == BUILTIN_VIEW:
            return None
        if chosen:
            try:
                return self.load_view(screen, chosen)
            except NotFound:
                pass
        return self.active_view(screen)
