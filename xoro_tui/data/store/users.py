"""Users and roles: clerk, approver, admin. No roles at all means single-user mode."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import sqlite_utils
from pydantic import BaseModel

from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import database_file, write_tx
from xoro_tui.data.store.errors import Invalid, Refused

ROLES = ("clerk", "approver", "admin")


def valid_login(name: str) -> bool:
    """A login name as the OS spells it: no spaces, no control or format characters."""
    return 0 < len(name) <= 64 and not any(
        ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for ch in name
    )


def may_add_first_user(database: Path | None) -> bool:
    """On a database with no roles, only its file's owner or root gives the first one:
    otherwise any login that can write the file could make itself admin."""
    if os.geteuid() == 0 or database is None:
        return True
    try:
        return database.stat().st_uid == os.geteuid()
    except OSError:
        return False


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
        if not valid_login(name):
            raise Invalid(
                "name", "a login name of up to 64 characters, without spaces or control characters"
            )
        actor = os_user()
        with write_tx(self.db) as conn:
            count = conn.execute("SELECT count(*) FROM users").fetchone()[0]
            if count == 0 and role != "admin":
                raise Refused("the first user added must be an admin (--role admin)")
            if count == 0 and not may_add_first_user(database_file(self.db)):
                raise Refused(
                    "no roles yet: only the database file's owner or root adds the first admin"
                )
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
