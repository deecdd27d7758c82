"""Migrations: an empty file, an older schema, a newer one, and many starts at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from xoro_tui.data.store.connection import connect, create_private_file
from xoro_tui.data.store.errors import DatabaseOpenError
from xoro_tui.data.store.migrations import LATEST, MIGRATIONS, migrate, schema_version
from xoro_tui.data.store.opening import open_database


def test_new_file_gets_every_migration_recorded(db_path: Path) -> None:
    db = open_database(db_path, create=True)
    assert schema_version(db) == LATEST
    versions = [r[0] for r in db.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [m.version for m in MIGRATIONS]  # numbers need not be contiguous
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def _unindexed_foreign_keys(conn: sqlite3.Connection) -> list[str]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
        " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
    missing = []
    for table in tables:
        leading = {
            info[2]
            for index in conn.execute(f'PRAGMA index_list("{table}")')
            for info in conn.execute(f'PRAGMA index_info("{index[1]}")')
            if info[0] == 0
        }
        for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
            if fk[3] not in leading:
                missing.append(f"{table}.{fk[3]} -> {fk[2]}")
    return missing


def test_every_foreign_key_has_an_index(db_path: Path) -> None:
    """Deleting a parent row looks for its children: without an index, that is a scan of
    the child table for every row (a site delete scanned every document)."""
    db = open_database(db_path, create=True)
    assert _unindexed_foreign_keys(db.conn) == []
    plan = " ".join(
        r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN DELETE FROM sites WHERE id = 1")
    )
    assert "SCAN documents" not in plan


def test_seeded_database_indexes_every_foreign_key(tmp_path: Path) -> None:
    from xoro_tui.data.seed.seeder import seed_database

    path = tmp_path / "seeded.sqlite"
    seed_database(path, customers=20, refunds=20, seed=3)
    assert _unindexed_foreign_keys(connect(path).conn) == []


def test_older_database_is_upgraded_and_keeps_its_rows(db_path: Path) -> None:
    create_private_file(db_path)
    old = connect(db_path, fresh=True)
    migrate(old, upto=1)
    assert schema_version(old) == 1
    old.conn.execute(
        "INSERT INTO customers(account_number, name, created_at, updated_at) "
        "VALUES ('C-1', 'Ålborg Fisk', 'x', 'x')"
    )
    old.conn.execute(
        "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency, status,"
        " payment_method, created_at, updated_at) VALUES ('RF-1', 1, '2026-01-01', 100, 'USD',"
        " 'Draft', 'Cash', 'x', 'x')"
    )
    old.conn.close()

    db = open_database(db_path)
    assert schema_version(db) == LATEST
    assert db.conn.execute("SELECT name FROM customers").fetchone()[0] == "Ålborg Fisk"
    hit = db.conn.execute("SELECT rowid FROM refund_fts WHERE refund_fts MATCH '\"alborg\"'")
    assert hit.fetchall() == [(1,)]


def test_newer_database_is_refused_with_a_clear_message(db_path: Path) -> None:
    db = open_database(db_path, create=True)
    db.conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.conn.close()
    with pytest.raises(DatabaseOpenError, match="newer xoro-tui"):
        open_database(db_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"this is not a database at all" * 100, "not a SQLite database")],
)
def test_not_sqlite_is_refused(db_path: Path, content: bytes, message: str) -> None:
    db_path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match=message):
        open_database(db_path)


def test_missing_file_is_not_created_unless_asked(db_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="no database at"):
        open_database(db_path)
    assert not db_path.exists()


def test_database_file_is_private(db_path: Path) -> None:
    open_database(db_path, create=True)
    assert db_path.stat().st_mode & 0o777 == 0o600


def _start(path: str) -> str:
    try:
        db = open_database(path, create=True)
        db.conn.execute("SELECT count(*) FROM customers").fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - the test reports every failure
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.slow  # eight processes at once load the machine: left out by `make test-quick`
def test_eight_instances_starting_at_once_all_succeed(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = pool.map(_start, [path] * 16)
    assert results == ["ok"] * 16
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
