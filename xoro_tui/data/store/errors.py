"""The typed errors the data layer raises; screens and the CLI turn them into messages."""

from __future__ import annotations

import sqlite3


class DataError(Exception):
    """Base of every error the data layer means a user to read."""


class DatabaseOpenError(DataError):
    """The database file cannot be used: missing, unreadable, locked, corrupt, too new."""


class StaleEdit(DataError):
    """The row changed since the form read it; ``changes`` says what changed and by whom."""

    def __init__(self, message: str, changes: list[str] | None = None) -> None:
        super().__init__(message)
        self.changes = changes or []


class StorageError(DataError, sqlite3.OperationalError):
    """A write failed because the file cannot take it (disk full, read-only, I/O error);
    the action was rolled back. Still a ``sqlite3.OperationalError`` for older handlers."""


class Invalid(DataError):
    """A value is wrong; ``field`` names the field it belongs to."""

    #: where the value came from, when a bulk action knows better than the field's name
    detail: str | None = None

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Refused(DataError):
    """The action is not allowed now (lifecycle, role, nothing selected, too large)."""


class NotFound(DataError):
    """A record named by the user does not exist."""
