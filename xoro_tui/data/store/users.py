"""Users and roles: clerk, approver, admin. No roles at all means single-user mode."""

from __future__ import annotations

import sqlite_utils
from pydantic import BaseModel

from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, Refused

ROLES = ("clerk", "approver", "admin")


class User(BaseModel):
    name: str
    role: str


class UserRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def list(self) -> list[User]:
        rows = self.db.conn.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        return [User(name=n, role=r) for n, r in rows]

    def role_of(self, name: str) -> str | None:
        row = self.db.conn.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def single_user_mode(self) -> bool:
        return self.db.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0

    def can(self, user: str, role: str) -> bool:
        """Whether ``user`` holds ``role`` (an admin holds every role)."""
        if self.single_user_mode():
            return True
        mine = self.role_of(user)
        return mine == "admin" or mine == role

    def add(self, name: str, role: str) -> None:
        """The first user must be an admin; after that only admins change roles."""
        if role not in ROLES:
            raise Invalid("role", f"use one of: {', '.join(ROLES)}")
        name = name.strip()
        if not name or any(ch.isspace() for ch in name):
            raise Invalid("name", "a login name without spaces")
        actor = os_user()
        with write_tx(self.db) as conn:
            count = conn.execute("SELECT count(*) FROM users").fetchone()[0]
            if count == 0 and role != "admin":
                raise Refused("the first user added must be an admin (--role admin)")
            if count:
                mine = conn.execute("SELECT role FROM users WHERE name = ?", (actor,)).fetchone()
                if not mine or mine[0] != "admin":
                    raise Refused(f"only an admin changes roles, and {actor} is not one")
            before = conn.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
            conn.execute(
                "INSERT INTO users(name, role, created_at, created_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET role = excluded.role",
                (name, role, now_iso(), actor),
            )
            audit.record(
                conn,
                "users",
                name,
                "update" if before else "insert",
                {"role": (before[0] if before else None, role)},
            )
