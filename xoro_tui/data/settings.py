"""Per-user UI settings and named views, kept in the database (``ui_settings``)."""

from __future__ import annotations

import json
from collections.abc import Container
from typing import Any

import sqlite_utils
from pydantic import BaseModel, Field

from xoro_tui.data.clock import now_iso, os_user
from xoro_tui.data.db import write_tx
from xoro_tui.data.errors import NotFound
from xoro_tui.data.query import Condition, Filter

VIEW_PREFIX = "view:"
ACTIVE_VIEW = "active_view"


class ConditionModel(BaseModel):
    field: str
    op: str
    value: Any = None
    value2: Any = None


class View(BaseModel):
    """A saved layout: visible columns and their order, sort, search field and filter."""

    columns: list[str]
    sort: tuple[str, bool] | None = None
    search_field: str = "any"
    search: str = ""
    conditions: list[ConditionModel] = Field(default_factory=list)
    combine: str = "and"
    extras: dict[str, Any] = Field(default_factory=dict)

    def to_filter(self, fields: Container[str]) -> Filter:
        """The view's filter over a list with these fields (conditions on fields the list
        no longer has are dropped; list values become tuples, as filters hold them)."""
        conditions = tuple(
            Condition(c.field, c.op, _frozen(c.value), _frozen(c.value2))
            for c in self.conditions
            if c.field in fields
        )
        return Filter(
            search=self.search or "",
            search_field=self.search_field or "any",
            conditions=conditions,
            combine="or" if self.combine == "or" else "and",
            extras=tuple(
                (k, _frozen(v)) for k, v in self.extras.items() if v not in (None, "", [], ())
            ),
        )


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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
