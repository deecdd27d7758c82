"""Integrity check (the file, its foreign keys, every cheque register), online backup and the purge of deleted customers."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

import sqlite_utils

from xoro_tui.data.refunds import cheque_register
from xoro_tui.data.store.connection import create_private_file, database_file, is_postgres
from xoro_tui.data.store.errors import Refused, StorageError
from xoro_tui.data.store.redaction import find_card_numbers
from xoro_tui.data.store.schema_info import schema_of, trigger_names


def integrity_check(db: sqlite_utils.Database) -> list[str]:
    """Empty when the file is sound; otherwise what SQLite found wrong, and any of the
    database's protections (the users table, the audit log's append-only triggers, audit
    rows) that are missing."""
    try:
        rows = [r[0] for r in db.conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:  # too damaged to even walk
        return [f"the file is corrupt ({exc}); restore it from a backup"]
    problems = [] if rows == ["ok"] else rows
    try:
        problems += [
            f"foreign key: {table} row {rowid} points at a missing {parent}"
            for table, rowid, parent, _ in db.conn.execute("PRAGMA foreign_key_check").fetchall()
        ]
    except sqlite3.DatabaseError as exc:  # a damaged page stops the foreign key walk
        problems.append(f"the foreign key check could not finish ({exc})")
    try:
        problems += cheque_register.problems(db.conn)
    except sqlite3.DatabaseError as exc:
        problems.append(f"the cheque register check could not finish ({exc})")
    try:
        found = [f.line() for f in find_card_numbers(db)]
    except sqlite3.DatabaseError as exc:
        found = [f"the card number search could not finish ({exc})"]
    if found and not found[0].startswith("the card number search"):
        found.append("mask them with: xoro-tui redact (an admin)")
    return problems + found + missing_protections(db.conn)


#: what stops a login with write access from rewriting history
PROTECTIONS = {
    ("table", "users"): "the users table (roles) is missing",
    ("table", "audit_log"): "the audit log is missing",
    ("trigger", "audit_log_no_update"): "the audit log's append-only trigger on UPDATE is missing",
    ("trigger", "audit_log_no_delete"): "the audit log's append-only trigger on DELETE is missing",
}


def missing_protections(conn: sqlite3.Connection) -> list[str]:
    schema = schema_of(conn)
    present = {("table", name) for name in schema.table_names()}
    present |= {("trigger", name) for name in trigger_names(schema)}
    problems = [why for key, why in PROTECTIONS.items() if key not in present]
    if ("table", "audit_log") in present and not is_postgres(conn):
        # SQLite gives ids in order from 1 and a rolled-back insert gives its id back, so a
        # hole means deleted rows (the newest rows' deletion alone leaves no trace here).
        # PostgreSQL's sequence keeps the ids a rolled-back insert took (a refused import, a
        # killed session): a hole there is normal, and its triggers and revoked DELETE are
        # what keep the rows
        count, high = conn.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
        if count and high != count:
            problems.append(
                f"audit log rows were deleted: {high - count:,} missing below id {high}"
            )
    return problems


#: names of backups being written, beside the target: ``.NAME.partial-PID``
_PARTIAL = ".{name}.partial-{pid}"


def backup(db: sqlite_utils.Database, out: Path) -> None:
    """A consistent copy while others keep working, renamed into place only once whole.

    ``VACUUM INTO`` copies one snapshot in one read transaction: writers carry on beside it
    and cannot make it start again (the online backup API restarts after every write by
    another connection, and under steady writes never finishes). The copy is written to a
    temporary file beside ``out``, checked, and linked into place; on any failure the
    temporary file is removed and ``out`` is never created.
    """
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise Refused(f"{out} exists already; choose a new file name")
    if not out.parent.is_dir():
        raise Refused(f"no folder {out.parent} to write the backup in")
    _remove_abandoned_partials(out)
    partial = out.with_name(_PARTIAL.format(name=out.name, pid=os.getpid()))
    source = database_file(db)
    try:
        create_private_file(partial, like=source)
        db.conn.execute("VACUUM INTO ?", (str(partial),))
        _check_copy(partial)
        try:
            os.link(partial, out)
        except FileExistsError:
            raise Refused(f"{out} appeared while backing up; it was not replaced") from None
    except sqlite3.OperationalError as exc:
        raise StorageError(f"backup not written: {_why(exc)}") from None
    finally:
        for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-journal", "-wal", "-shm"))):
            with suppress(OSError):
                leftover.unlink()


def _why(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "full" in text:
        return "the disk holding the backup is full; free some space or choose another disk"
    if "unable to open" in text or "readonly" in text:
        return "the backup file could not be written there; check the folder's permissions"
    return text


def _check_copy(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if verdict != "ok":
        raise StorageError(f"backup not written: the copy did not check out ({verdict})")


def _remove_abandoned_partials(out: Path) -> None:
    """A killed backup's temporary file blocks nothing: the next run removes it."""
    for partial in out.parent.glob(_PARTIAL.format(name=out.name, pid="*")):
        pid = partial.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            with suppress(OSError):
                partial.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
