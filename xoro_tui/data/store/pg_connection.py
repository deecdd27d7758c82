"""A PostgreSQL connection that quacks like the ``sqlite3`` one the repositories use.

Repositories take a ``sqlite_utils.Database`` and call ``db.conn.execute(sql, params)``,
``executemany``, ``in_transaction``, ``db.query(...)``; on PostgreSQL they get a
:class:`PgDatabase` with the same surface. Each statement goes through
:func:`~xoro_tui.data.store.pg_translate.translate` (the whole translation table is there),
and psycopg's errors come out as the ``sqlite3`` exception classes the repositories already
catch, with SQLite's words where the repositories read them ("UNIQUE constraint failed: t.c").

The connection is in autocommit mode, as SQLite's is here: every action's transaction is an
explicit ``BEGIN`` … ``COMMIT`` taken by ``write_tx``, so one action is one transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from xoro_tui.data.store.errors import DatabaseOpenError
from xoro_tui.data.store.pg_translate import translate
from xoro_tui.data.store.pg_url import PgUrl, hide_passwords

ENGINE = "postgres"

#: the command that makes the schema, named whenever a database lacks it
INIT_HINT = "xoro-tui init --db URL --admin LOGIN"


class _BoolAsInt(Dumper):
    """Python ``True``/``False`` stored as 1/0, as SQLite stores them (flags are integers)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


class _NumericAsNumber(Loader):
    """``sum()`` of integers is ``numeric`` in PostgreSQL: give an int (or a float) back,
    as SQLite does, never a Decimal the money code does not expect."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


def _sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    """The ``sqlite3`` exception the repositories catch for ``exc``, in SQLite's words where
    they read them."""
    diag = exc.diag
    text = diag.message_primary or str(exc)
    if isinstance(exc, pg_errors.UniqueViolation):
        columns = re.findall(r"Key \((.+?)\)=", diag.message_detail or "")
        names = ", ".join(
            f"{diag.table_name}.{c.strip()}" for c in (columns[0].split(",") if columns else [])
        )
        return sqlite3.IntegrityError(f"UNIQUE constraint failed: {names or diag.constraint_name}")
    if isinstance(exc, pg_errors.NotNullViolation):
        return sqlite3.IntegrityError(
            f"NOT NULL constraint failed: {diag.table_name}.{diag.column_name}"
        )
    if isinstance(exc, pg_errors.ForeignKeyViolation):
        return sqlite3.IntegrityError("FOREIGN KEY constraint failed")
    if isinstance(exc, pg_errors.CheckViolation):
        return sqlite3.IntegrityError(f"CHECK constraint failed: {diag.constraint_name}")
    if isinstance(exc, pg_errors.RaiseException | psycopg.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, pg_errors.QueryCanceled):
        return sqlite3.OperationalError("interrupted")
    if isinstance(exc, pg_errors.DiskFull):
        return sqlite3.OperationalError(f"database or disk is full ({text})")
    if isinstance(exc, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
        return sqlite3.OperationalError(f"attempt to write a readonly database ({text})")
    if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
        return sqlite3.OperationalError(f"database is locked ({text})")
    if isinstance(exc, psycopg.OperationalError):
        return sqlite3.OperationalError(text)
    if isinstance(exc, psycopg.ProgrammingError | psycopg.DataError):
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


class PgCursor:
    """The part of ``sqlite3.Cursor`` the repositories use."""

    def __init__(self, owner: PgConnection, cursor: psycopg.Cursor[Any], inserted: bool) -> None:
        self._owner = owner
        self._cursor = cursor
        self._inserted = inserted

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self._cursor.description:
            yield from self._cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The id the last INSERT made (the session's last sequence value), as SQLite's."""
        if not self._inserted:
            return None
        return self._owner._lastval()

    def close(self) -> None:
        self._cursor.close()


class PgConnection:
    """The part of ``sqlite3.Connection`` the repositories use, over psycopg."""

    engine = ENGINE

    def __init__(self, raw: psycopg.Connection[Any], url: PgUrl) -> None:
        self.raw = raw
        self.url = url
        raw.adapters.register_dumper(bool, _BoolAsInt)
        raw.adapters.register_loader("numeric", _NumericAsNumber)

    def _run(self, sql: str, params: Sequence[Any] | None) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(translate(sql), params if params else None)
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc
        return cursor

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        cursor = self._run(sql, params)  # type: ignore[arg-type]
        return PgCursor(self, cursor, sql.lstrip()[:6].upper() == "INSERT")

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(translate(sql), list(rows))
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc
        return PgCursor(self, cursor, False)

    def _lastval(self) -> int | None:
        try:
            row = self.raw.execute("SELECT lastval()").fetchone()
        except psycopg.Error:
            return None
        return None if row is None else int(row[0])

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def total_changes(self) -> int:
        return 0

    def interrupt(self) -> None:
        self.raw.cancel_safe()

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """SQLite's Python functions are SQL functions on PostgreSQL (pg_compat.sql)."""

    def close(self) -> None:
        self.raw.close()

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")


class PgDatabase:
    """What repositories use of ``sqlite_utils.Database``: ``conn``, ``query``, ``execute``."""

    engine = ENGINE

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn

    @property
    def url(self) -> PgUrl:
        return self.conn.url

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d.name for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def close(self) -> None:
        self.conn.close()


def connect_raw(url: PgUrl, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A psycopg connection, or a DatabaseOpenError in one sentence with no password."""
    try:
        return psycopg.connect(url.conninfo, autocommit=autocommit, connect_timeout=15)
    except psycopg.OperationalError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        first = (lines or ["cannot connect"])[0]
        for prefix in ("connection failed: ", "connection is bad: "):
            first = first.removeprefix(prefix)
        if "does not exist" in first and "database" in first:
            raise DatabaseOpenError(
                f"{url}: no such PostgreSQL database; ask its administrator to create it, "
                f"then make its schema with {INIT_HINT}"
            ) from None
        raise DatabaseOpenError(
            f"cannot connect to {url}: {hide_passwords(url.conninfo, first)}"
        ) from None


def has_schema(raw: psycopg.Connection[Any]) -> bool:
    row = raw.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    return bool(row and row[0])


def connect(url: PgUrl) -> PgDatabase:
    """Open an xoro-tui database on PostgreSQL; refuse one without the schema (only init
    makes it)."""
    raw = connect_raw(url)
    if not has_schema(raw):
        raw.close()
        raise DatabaseOpenError(f"{url} holds no xoro-tui database yet; make it with {INIT_HINT}")
    return PgDatabase(PgConnection(raw, url))


@contextmanager
def owner_session(url: PgUrl) -> Iterator[psycopg.Connection[Any]]:
    """A plain psycopg connection for DDL (init), closed at the end."""
    raw = connect_raw(url)
    try:
        yield raw
    finally:
        raw.close()
