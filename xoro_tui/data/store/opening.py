"""Open a database ready for use: connected, checked and migrated.

A new database is built in a temporary file beside the target and linked into place once
migrated: the link fails if the target appeared meanwhile, and the process then opens the
one that won. No process ever sees a half-made file, and the migration is recorded once,
however many processes start on a missing file at the same moment.
"""

from __future__ import annotations

import errno
import os
import secrets
import sqlite3
from contextlib import suppress
from pathlib import Path

import sqlite_utils

from xoro_tui.data.postgres.pg_url import SCHEMES, PgUrl, url_scheme
from xoro_tui.data.store.connection import connect, create_private_file, describe_open_error
from xoro_tui.data.store.errors import DatabaseOpenError
from xoro_tui.data.store.migrations import Progress, migrate


def open_database(
    path: Path | str | PgUrl, *, create: bool = False, progress: Progress | None = None
) -> sqlite_utils.Database:
    """Connect and bring the schema up to date; every failure is a DatabaseOpenError.
    An upgrade that rebuilds a large table reports to ``progress``.

    A PostgreSQL URL is only opened: no command but ``init`` makes or changes its schema;
    one given as text (a worker process handed ``str(url)``) is read as a URL, not a path."""
    if isinstance(path, str) and url_scheme(path) in SCHEMES:
        path = PgUrl.parse(path)
    if isinstance(path, PgUrl):
        from xoro_tui.data.postgres.pg_schema import open_postgres

        return open_postgres(path)
    if create and str(path) != ":memory:" and not Path(path).exists():
        create_database(Path(path))
    db = connect(path)
    try:
        migrate(db, progress=progress)
    except sqlite3.DatabaseError as exc:
        db.conn.close()
        raise DatabaseOpenError(describe_open_error(Path(path), exc)) from None
    except DatabaseOpenError:
        db.conn.close()
        raise
    return db


def create_database(path: Path) -> None:
    """Build a migrated database at ``path`` unless another process gets there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.creating-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        create_private_file(building)
        db = connect(building, fresh=True)
        try:
            migrate(db)
        finally:
            db.conn.close()
        try:
            os.link(building, path)
        except FileExistsError:
            pass  # another process made it meanwhile: open theirs
        except OSError as exc:  # no hard links here (some network or FAT file systems)
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            if not path.exists():
                os.replace(building, path)
    finally:
        for leftover in (building, *(Path(f"{building}{s}") for s in ("-wal", "-shm"))):
            with suppress(OSError):
                leftover.unlink()
