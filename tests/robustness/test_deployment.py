"""A shared deployment's promises that need no second login: files that are not ours are
refused and left as they were, `check` sees missing protections, commands check roles,
backups finish under writers and leave nothing half-made, and private files stay private.

The two-login half is ``test_os_logins.py``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import customer
from tests.robustness.test_open_failures import assert_one_clear_line, make_database, run_cli
from xoro_tui.data.store import app_settings
from xoro_tui.data.store.errors import Refused, StorageError
from xoro_tui.data.store.maintenance import backup, integrity_check
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.store.permissions import require
from xoro_tui.data.store.users import UserRepository

#: every command that opens an existing database, with the arguments it needs
COMMANDS = {
    "app": lambda p, tmp: ("--db", str(p)),
    "check": lambda p, tmp: ("check", "--db", str(p)),
    "audit": lambda p, tmp: ("audit", "--db", str(p)),
    "users list": lambda p, tmp: ("users", "list", "--db", str(p)),
    "users add": lambda p, tmp: ("users", "add", "ann", "--role", "admin", "--db", str(p)),
    "backup": lambda p, tmp: ("backup", "--db", str(p), "--out", str(tmp / "b.sqlite")),
    "purge": lambda p, tmp: ("purge", "--db", str(p)),
    "export": lambda p, tmp: (
        "export",
        "customers",
        "--format",
        "csv",
        "--out",
        str(tmp / "e.csv"),
        "--db",
        str(p),
    ),  # fmt: skip
    "settings": lambda p, tmp: ("settings", "retention-days", "40", "--db", str(p)),
    "import": lambda p, tmp: ("import", "customers", str(tmp / "none.csv"), "--db", str(p)),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('keep me')")
    conn.commit()
    conn.close()
    return path


def _truncated(path: Path, tmp: Path) -> Path:
    whole = make_database(tmp / "whole.sqlite", customers=200)
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    return path


FILES = {
    "empty": (lambda p, tmp: (p.write_bytes(b""), p)[1], "is not an xoro-tui database"),
    "foreign": (lambda p, tmp: _foreign(p), "is not an xoro-tui database"),
    "text": (lambda p, tmp: (p.write_text("name,email\n" * 300), p)[1], "is not an xoro-tui"),
    "truncated": (_truncated, "restore it from a backup"),
}


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_that_is_not_ours_is_refused_and_left_unchanged(
    tmp_path: Path, kind: str, command: str
) -> None:
    make, message = FILES[kind]
    path = make(tmp_path / "target.sqlite", tmp_path)
    before = _digest(path)
    result = run_cli(*COMMANDS[command](path, tmp_path))
    assert_one_clear_line(result, message)
    assert _digest(path) == before
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()


def test_opening_again_keeps_the_locks_of_the_open_connections(db_path: Path) -> None:
    """The app opens readers beside its main connection. Closing any descriptor of a file
    drops every POSIX lock the process holds on it: had opening looked at the file outside
    SQLite, another login closing its connection would think it the last one and delete
    the -wal and -shm under the open app."""
    from xoro_tui.data.store.connection import connect

    first = open_database(db_path, create=True)
    customer(first, name="Kept")
    reader = connect(db_path)
    reader.conn.execute("SELECT count(*) FROM customers").fetchone()
    reader.conn.close()
    other = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM customers').fetchone(); c.close()", str(db_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()
    first.conn.close()


def test_check_reports_missing_protections(db_path: Path) -> None:
    db = open_database(db_path, create=True)
    customer(db, name="Audited")
    customer(db, name="Audited too")
    assert integrity_check(db) == []
    db.conn.execute("DROP TRIGGER audit_log_no_delete")
    db.conn.execute("DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)")
    customer(db, name="Audited three")
    problems = integrity_check(db)
    assert "the audit log's append-only trigger on DELETE is missing" in problems
    db.conn.execute("DROP TABLE users")
    db.conn.close()
    result = run_cli("check", "--db", str(db_path))
    assert result.returncode == 1
    assert "the users table (roles) is missing" in result.stdout
    assert "audit log rows were deleted: 1 missing" in result.stdout


def test_commands_that_change_data_check_roles(db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xoro_tui.data.store.users.os_user", lambda: "root")
    users = UserRepository(db)
    users.add("boss", "admin")
    monkeypatch.setattr("xoro_tui.data.store.users.os_user", lambda: "boss")
    users.add("clara", "clerk")
    users.add("abe", "approver")
    for user, command, allowed in [
        ("clara", "import customers", True),
        ("abe", "import customers", True),
        ("nobody-here", "import customers", False),
        ("clara", "purge", False),
        ("abe", "settings", False),
        ("boss", "purge", True),
        ("clara", "users add", False),
        ("clara", "export", True),
    ]:
        if allowed:
            require(db, command, user)
        else:
            with pytest.raises(Refused, match=f"{command} needs the"):
                require(db, command, user)


def test_retention_is_a_database_setting_the_environment_only_lengthens(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app_settings.retention_days(db.conn) == 30
    app_settings.set_retention_days(db, 45)
    assert app_settings.retention_days(db.conn) == 45
    monkeypatch.setenv("XORO_TUI_RETENTION_DAYS", "0")
    assert app_settings.retention_days(db.conn) == 45
    monkeypatch.setenv("XORO_TUI_RETENTION_DAYS", "90")
    assert app_settings.retention_days(db.conn) == 90
    changes = db.conn.execute(
        "SELECT changes FROM audit_log WHERE table_name = 'app_settings'"
    ).fetchall()
    assert changes == [('{"value": [30, 45]}',)]


def test_purge_with_a_zero_variable_keeps_the_restore_window(tmp_path: Path) -> None:
    path = make_database(tmp_path / "x.sqlite", customers=3)
    db = open_database(path)
    db.conn.execute(
        "UPDATE customers SET state = 'deleted', deleted_at = '2000-01-01T00:00:00+00:00'"
    )
    db.conn.execute(
        "UPDATE customers SET deleted_at = ? WHERE id = 1",
        (time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 5 * 86400)),),
    )
    db.conn.close()
    result = run_cli("purge", "--db", str(path), env={"XORO_TUI_RETENTION_DAYS": "0"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("purged 2,")  # deleted 5 days ago: still restorable


def test_users_add_refuses_control_characters_and_lists_show_placeholders(db_path: Path) -> None:
    make_database(db_path, customers=1)
    osc52 = "mallory\x1b]52;c;aGVsbG8=\x07"
    result = run_cli("users", "add", osc52, "--role", "admin", "--db", str(db_path))
    assert_one_clear_line(result, "control characters")
    assert "\x1b" not in result.stderr
    db = open_database(db_path)
    with db.conn:
        db.conn.execute(
            "INSERT INTO audit_log(at, user, table_name, record_key, action) "
            "VALUES ('2026-01-01', ?, 'customers', 'X', 'insert')",
            (osc52,),
        )
    db.conn.close()
    audit = run_cli("audit", "--db", str(db_path))
    assert audit.returncode == 0
    assert "\x1b" not in audit.stdout and "\x07" not in audit.stdout
    assert "mallory␛]52;c;aGVsbG8=␇" in audit.stdout


# -- backup


def _writer(path: str, seconds: float, counter) -> None:
    """A writer as fast as one process goes: one short transaction per save."""
    from xoro_tui.data.store.connection import connect

    conn = connect(path).conn
    stop = time.monotonic() + seconds
    done = 0
    while time.monotonic() < stop:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE customers SET phone = ?, version = version + 1 WHERE id = ?",
            (f"+44 20 7946 {done % 10000:04d}", 1 + done % 50),
        )
        conn.execute("COMMIT")
        done += 1
    with counter.get_lock():
        counter.value += done
    conn.close()


def _wait_for_a_write(path: Path, timeout: float = 60) -> None:
    """Until some writer has saved (the sum of the customers' versions moved)."""
    reader = open_database(path)
    try:
        total = "SELECT total(version) FROM customers"
        before = reader.conn.execute(total).fetchone()[0]
        deadline = time.monotonic() + timeout
        while reader.conn.execute(total).fetchone()[0] == before:
            assert time.monotonic() < deadline, "no writer saved anything"
            time.sleep(0.01)
    finally:
        reader.conn.close()


def test_backup_finishes_while_three_writers_keep_writing(tmp_path: Path) -> None:
    path = make_database(tmp_path / "busy.sqlite", customers=3000)
    idle_start = time.monotonic()
    backup(open_database(path), tmp_path / "idle.sqlite")
    idle = time.monotonic() - idle_start
    ctx = multiprocessing.get_context("spawn")
    counter = ctx.Value("i", 0)
    writers = [ctx.Process(target=_writer, args=(str(path), 8.0, counter)) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        _wait_for_a_write(path)  # the writers are under way before the backup starts
        started = time.monotonic()
        out = tmp_path / "loaded.sqlite"
        backup(open_database(path), out)
        loaded = time.monotonic() - started
    finally:
        for writer in writers:
            writer.join(30)
    assert counter.value > 100, "the writers never wrote"
    assert loaded < max(4 * idle, 5.0)
    copy = open_database(out)
    assert integrity_check(copy) == []
    assert copy.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 3000


def test_a_failed_backup_leaves_no_file_and_blocks_no_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_database(tmp_path / "x.sqlite", customers=5)
    out = tmp_path / "out.sqlite"
    # a killed earlier run left its temporary file behind
    stale = tmp_path / ".out.sqlite.partial-999999"
    stale.write_bytes(b"half a copy")
    db = open_database(path)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("xoro_tui.data.store.maintenance._check_copy", full)
    with pytest.raises(StorageError, match="the disk holding the backup is full"):
        backup(db, out)
    assert not [p.name for p in tmp_path.iterdir() if "out.sqlite" in p.name]
    monkeypatch.undo()
    backup(db, out)
    assert integrity_check(open_database(out)) == []


# -- starting together and private files


def _start(path: str) -> str:
    try:
        db = open_database(path, create=True)
        db.conn.execute("SELECT count(*) FROM customers").fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - the test reports every failure
        return f"{type(exc).__name__}: {exc}"


def _spin(seconds: float) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        pass


def test_sixteen_starts_on_a_missing_file_while_both_cores_are_busy(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    spinners = [ctx.Process(target=_spin, args=(60.0,)) for _ in range(2)]
    for spinner in spinners:
        spinner.start()
    try:
        for attempt in range(3):
            path = str(tmp_path / f"shared{attempt}.sqlite")
            with ctx.Pool(16) as pool:
                results = pool.map(_start, [path] * 16, chunksize=1)
            assert results == ["ok"] * 16
            conn = sqlite3.connect(path)
            versions = conn.execute("SELECT version FROM schema_migrations").fetchall()
            conn.close()
            assert len(versions) == len(set(versions))
            assert not [p for p in tmp_path.iterdir() if ".creating-" in p.name]
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.join()


def test_log_and_seed_temporaries_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xoro_tui.config import log_path
    from xoro_tui.errorlog import log_exception

    monkeypatch.setattr("xoro_tui.errorlog._logger", None)  # a logger on this test's home
    log_exception(RuntimeError("x"))
    assert stat.S_IMODE(log_path().stat().st_mode) == 0o600
    old = os.umask(0o022)
    try:
        from xoro_tui.data.seed.seeder import seed_database, temporary_paths

        target = tmp_path / "seeded.sqlite"
        for leftover in temporary_paths(target):  # a killed seed's temporaries
            leftover.write_bytes(b"old")
        seed_database(target, customers=50, refunds=10)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert not any(p.exists() for p in temporary_paths(target))
    finally:
        os.umask(old)
