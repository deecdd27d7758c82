"""A PostgreSQL connection that quacks like the ``sqlite3`` one the repositories use.

Repositories take a ``sqlite_utils.Database`` and call ``db.conn.execute(sql, params)``,
``executemany``, ``in_transaction``, ``db.query(...)``; on PostgreSQL they get a
:class:`PgDatabase` with the same surface. Each statement goes through
:func:`~xoro_tui.data.postgres.pg_translate.translate` (the whole translation table is there),
and psycopg's errors come out as the ``sqlite3`` exception classes the repositories already
catch, with SQLite's words where the repositories read them ("UNIQUE constraint failed: t.c").

The connection is in autocommit mode, as SQLite's is here: every action's transaction is an
explicit ``BEGIN`` … ``COMMIT`` taken by ``write_tx``, so one action is one transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from xoro_tui.data.postgres.pg_translate import translate, translate_unbound
from xoro_tui.data.postgres.pg_url import PgUrl, hide_passwords
from xoro_tui.data.store.errors import DatabaseOpenError

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


class _JsonAsText(Loader):
    """A ``json`` value (pg_compat.sql's ``json_array``, ``json_group_array`` …) read back as
    its text, as SQLite gives JSON: the repositories parse it themselves."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


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

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

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

    def close(self) -> None:
        self._cursor.close()


#: SQLite's ``BEGIN IMMEDIATE`` (write_tx): one writer at a time, as on SQLite. A user
#: action reads, checks (a version, the next cheque or sequence number) and writes; under
#: PostgreSQL's READ COMMITTED two servers could both read the same version and both write.
#: The transaction-scoped advisory lock keeps every such check true until the commit,
#: across servers, with no repository written twice; reads (read_tx, lists) never take it.
_WRITE_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\s*;?\s*$", re.I)
WRITE_LOCK = "SELECT pg_advisory_xact_lock(7834190)"

_OR_REPLACE = re.compile(
    r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+\"?(?P<table>\w+)\"?\s*\((?P<cols>[^)]*)\)", re.I
)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\"?(\w+)", re.I)


class PgConnection:
    """The part of ``sqlite3.Connection`` the repositories use, over psycopg."""

    engine = ENGINE

    def __init__(self, raw: psycopg.Connection[Any], url: PgUrl) -> None:
        self.raw = raw
        self.url = url
        raw.adapters.register_dumper(bool, _BoolAsInt)
        raw.adapters.register_loader("numeric", _NumericAsNumber)
        raw.adapters.register_loader("json", _JsonAsText)
        raw.adapters.register_loader("jsonb", _JsonAsText)
        self._identity: frozenset[str] | None = None
        #: whether the database orders text by code point (see ordered_by_characters)
        self.character_order: bool | None = None

    def _run(self, sql: str, params: Sequence[Any] | dict[str, Any] | None) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        try:
            if params:
                cursor.execute(translate(sql), params)
            else:
                cursor.execute(translate_unbound(sql))
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc
        return cursor

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        """Run one statement. An INSERT into a table keyed by an ``id`` returns it, so that
        ``lastrowid`` is the row's id as on SQLite (not a trigger's or a later insert's)."""
        if _WRITE_BEGIN.match(sql):
            cursor = self._run("BEGIN", None)
            self._run(WRITE_LOCK, None)
            return PgCursor(cursor)
        sql = self._replace_as_upsert(sql)
        inserted = _INSERT_INTO.match(sql)
        if inserted and inserted[1].lower() in self._id_tables() and "RETURNING" not in sql.upper():
            cursor = self._run(sql.rstrip().rstrip(";") + " RETURNING id", params)
            ids = cursor.fetchall()
            return PgCursor(self.raw.cursor(), int(ids[-1][0]) if ids else None)
        return PgCursor(self._run(sql, params))

    def _replace_as_upsert(self, sql: str) -> str:
        """``INSERT OR REPLACE INTO t(cols) …``: PostgreSQL's upsert on t's primary key
        (it needs the key named, so this one rule is here, where the catalogue is known)."""
        found = _OR_REPLACE.match(sql)
        if found is None:
            return sql
        table = found["table"]
        keys = [r[1] for r in self.raw.execute(translate(f"PRAGMA table_info({table})")) if r[5]]
        cols = [c.strip().strip('"') for c in found["cols"].split(",")]
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in keys)
        conflict = ", ".join(f'"{k}"' for k in keys)
        rest = sql[found.end() :].rstrip().rstrip(";")
        head = f'INSERT INTO "{table}" ({found["cols"]}){rest} ON CONFLICT ({conflict}) '
        return head + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING")

    def _id_tables(self) -> frozenset[str]:
        """Tables whose ``id`` the database numbers (SQLite's INTEGER PRIMARY KEY)."""
        if self._identity is None:
            rows = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                "AND is_identity = 'YES' AND table_schema = current_schema()"
            ).fetchall()
            self._identity = frozenset(r[0] for r in rows)
        return self._identity

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(translate(sql), list(rows))
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc
        return PgCursor(cursor)

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

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def __enter__(self) -> PgConnection:
        """``with conn:`` as sqlite3's: the open transaction is committed at the end, or
        rolled back on an exception; the connection stays open."""
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


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


def estimated_rows(conn: Any, sql: str, params: Sequence[Any] = ()) -> float:
    """How many rows the planner expects ``sql`` (SQLite's words) to give: its plan, from
    the tables' statistics, without running it."""
    plan = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchone()[0]
    return float(json.loads(plan)[0]["Plan"]["Plan Rows"])


#: collations ordering text by its characters' code points (the order SQLite's is)
_CHARACTER_ORDER = ("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic")


def ordered_by_characters(conn: PgConnection) -> bool:
    """Whether the database orders text by its characters (a ``C`` collation), so that the
    values starting with some letters lie in one range of an index (asked once)."""
    if conn.character_order is None:
        row = conn.raw.execute(
            "SELECT datlocprovider = 'c' AND datcollate = ANY(%s) FROM pg_database "
            "WHERE datname = current_database()",
            (list(_CHARACTER_ORDER),),
        ).fetchone()
        conn.character_order = bool(row and row[0])
    return conn.character_order


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
