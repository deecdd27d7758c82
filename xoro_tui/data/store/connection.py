"""Opening the SQLite file the way many users on one file need it.

WAL, a long busy timeout, foreign keys on, autocommit mode so that every write is an
explicit ``BEGIN IMMEDIATE`` transaction taken with :func:`write_tx`. Plain ``BEGIN``
(what ``sqlite_utils.Database.atomic`` uses) lets two readers both try to upgrade to a
writer, and one of them fails with "database is locked" instead of waiting.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlite_utils

from xoro_tui.data.postgres.pg_url import PgUrl
from xoro_tui.data.search.folding import fold
from xoro_tui.data.store import files
from xoro_tui.data.store.errors import DatabaseOpenError, StorageError
from xoro_tui.settings_env import env_settings

DEFAULT_BUSY_TIMEOUT_MS = 30_000


def busy_timeout_ms() -> int:
    """The busy timeout; tests shorten it with ``XORO_TUI_BUSY_TIMEOUT_MS``."""
    configured = env_settings().busy_timeout_ms
    return DEFAULT_BUSY_TIMEOUT_MS if configured is None else configured


def file_mode() -> int:
    """Owner-only, or owner and group when ``XORO_TUI_GROUP`` names a shared group."""
    return files.SHARED_BITS if env_settings().group else 0o600


def secure_file(path: Path, like: Path | None = None) -> None:
    """Give a file this process created the mode and group of ``like`` (the database), or
    without ``like`` the deployment's. Another login's file is never touched."""
    if like is not None:
        files.match_file(path, like)
        return
    with suppress(OSError):
        if path.stat().st_uid != os.geteuid():
            return
        gid = files.deployment_gid()
        if gid is not None:
            with suppress(OSError):
                os.chown(path, -1, gid)
        os.chmod(path, file_mode())


def create_private_file(path: Path, like: Path | None = None) -> None:
    """Create an empty file with restricted permissions before SQLite writes to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    files.create_file(path, like=like)


def not_ours(path: Path, why: str = "") -> DatabaseOpenError:
    return DatabaseOpenError(f"{path} is not an xoro-tui database" + (f" ({why})" if why else ""))


def check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite database some other program made: every one of ours records its
    migrations. Only reads, so a foreign file is left byte for byte as it was."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if row is None:
        raise not_ours(path, "another program's SQLite database")


def connect(path: Path | str | PgUrl, *, fresh: bool = False) -> sqlite_utils.Database:
    """Open an existing database file with the settings every connection needs.

    ``fresh``: the empty file was just made by this process, to build a database in.
    Raises :class:`DatabaseOpenError` with one clear sentence for every way a file
    can be unusable, and for a file that is not one of ours; never a bare ``sqlite3`` error.
    """
    if isinstance(path, PgUrl):
        from xoro_tui.data.postgres.pg_connection import connect as connect_postgres

        return connect_postgres(path)  # type: ignore[return-value]
    path = Path(path)
    if str(path) != ":memory:":
        if not path.exists():
            raise DatabaseOpenError(f"no database at {path} (check the path)")
        if path.is_dir():
            raise DatabaseOpenError(f"{path} is a directory, not a database file")
        if not os.access(path, os.R_OK):
            raise DatabaseOpenError(f"cannot read {path}: permission denied")
        # never open the file itself outside SQLite: closing any descriptor of a file drops
        # every POSIX lock this process holds on it, the locks of its other connections too
        if not fresh and path.stat().st_size == 0:
            raise not_ours(path, "the file is empty")
    try:
        conn = sqlite3.connect(
            str(path),
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms() / 1000,
        )
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"cannot open {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        conn.execute("PRAGMA schema_version").fetchone()
        if not fresh and str(path) != ":memory:":
            check_ours(conn, path)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and os.access(path, os.W_OK):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        # a big sort (an export, a sort on a column with no index) may use a second core
        conn.execute("PRAGMA threads = 2")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # garbage in a corrupt schema
        conn.close()
        raise DatabaseOpenError(describe_open_error(path, exc)) from None
    except DatabaseOpenError:
        conn.close()
        raise
    conn.create_function("xoro_fold", 1, fold, deterministic=True)
    if str(path) != ":memory:":
        files.follow_database(path)
    return sqlite_utils.Database(conn)


def describe_open_error(path: Path, exc: sqlite3.Error | UnicodeDecodeError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"{path} is corrupt: its schema is unreadable; restore it from a backup"
    text = str(exc)
    if "not a database" in text:
        return f"{path} is not an xoro-tui database (it is not a SQLite database, or it is encrypted or corrupt)"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program; try again when it has finished"
    if "malformed" in text or "corrupt" in text:
        return f"{path} is corrupt: {text}; restore it from a backup"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only; ask for write access to it and its folder"
    return f"cannot open {path}: {text}"


def is_postgres(db: object) -> bool:
    """Whether ``db`` (a database or a connection) is on PostgreSQL (see pg_connection.py)."""
    return getattr(db, "engine", "sqlite") == "postgres"


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file behind a connection (None in memory or on PostgreSQL)."""
    if is_postgres(db):
        return None
    for _, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


@contextmanager
def write_tx(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One user action: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error.

    On PostgreSQL (``db`` a ``PgDatabase``) the same statements become ``BEGIN`` …
    ``COMMIT`` at the seam (pg_translate.py): one action is one transaction there too."""
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (disk full, I/O)
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as exc:
        reason = _storage_reason(str(exc))
        if reason is None or isinstance(exc, StorageError):
            raise
        raise StorageError(f"not saved: {reason} ({exc})") from exc


def _storage_reason(text: str) -> str | None:
    """A sentence for the ways a write fails because of the file, not the data."""
    if "disk is full" in text:
        return "the disk holding the database is full; free some space and try again"
    if "readonly" in text:
        return "the database is read-only here; ask for write access to it and its folder"
    if "disk I/O error" in text:
        return "the database file could not be written; check the disk and try again"
    return None


@contextmanager
def read_tx(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """A consistent snapshot for several reads that must agree with each other."""
    conn = db.conn
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def data_version(db: sqlite_utils.Database) -> int:
    """Changes when another connection commits: a cheap way to notice others' edits."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def change_mark(db: sqlite_utils.Database) -> int:
    """The newest audit row: moves with every change a user makes (each writes one) and not
    with housekeeping such as the search index's background merging, which also commits."""
    return int(db.conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])
