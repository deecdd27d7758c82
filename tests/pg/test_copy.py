"""``xoro-tui copy``: SQLite to PostgreSQL and back, every table, counts and checksums."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from tests.pg.conftest import xoro
from tests.pg_cluster import APP_ROLE


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite"
    made = xoro("seed", "--db", str(path), "--customers", "400", "--refunds", "300")
    assert made.returncode == 0, made.stderr
    return path


def _tables_and_counts(result_stdout: str) -> dict[str, tuple[int, int]]:
    out = {}
    for line in result_stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[2] == "→":
            out[parts[0]] = (int(parts[1].replace(",", "")), int(parts[3].replace(",", "")))
    return out


def test_copy_to_postgresql_and_back_keeps_every_row(
    pg_cluster, pg_name: str, seeded: Path, tmp_path: Path
) -> None:
    owner = pg_cluster.url(pg_name)
    assert xoro("init", "--db", owner, "--admin", "root", "--app-role", APP_ROLE).returncode == 0
    there = xoro("copy", "--from", str(seeded), "--to", owner)
    assert there.returncode == 0, there.stderr
    assert "every row count and checksum agrees" in there.stdout
    assert "copying" in there.stderr  # progress on the way
    counts = _tables_and_counts(there.stdout)
    assert counts["customers"] == (400, 400)
    assert counts["refunds"] == (300, 300)
    with sqlite3.connect(seeded) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"customers", "refunds", "audit_log", "cheque_register", "documents"} <= set(counts)
    assert set(counts) <= tables
    with psycopg.connect(owner) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 400
        # new ids continue above the copied ones
        high = conn.execute("SELECT max(id) FROM customers").fetchone()[0]
        conn.execute(
            "INSERT INTO customers(account_number, name, created_at, updated_at) "
            "VALUES ('NEW-1', 'New', 'x', 'x')"
        )
        assert conn.execute("SELECT max(id) FROM customers").fetchone()[0] == high + 1
        conn.rollback()
        # the indexes dropped for the load are built again
        assert (
            conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname IN"
                " ('customers_name_trgm', 'refunds_memo_trgm', 'customer_money_open')"
            ).fetchone()[0]
            == 3
        )
        # the money triggers set aside for the copy are back: a new invoice counts
        cid, owed = conn.execute(
            "SELECT customer_id, open_balance FROM customer_money WHERE currency = 'USD' LIMIT 1"
        ).fetchone()
        conn.execute(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
            " balance, created_at) VALUES ('invoice', 'PG-NEW', %s, '2030-01-01', 'USD',"
            " 12345, 12345, 'x')",
            (cid,),
        )
        assert conn.execute(
            "SELECT open_balance, last_activity FROM customer_money WHERE customer_id = %s",
            (cid,),
        ).fetchone() == (owed + 12345, "2030-01-01")
        conn.rollback()
    back = tmp_path / "back.sqlite"
    home = xoro("copy", "--from", pg_cluster.tcp_url(pg_name), "--to", str(back))
    assert home.returncode == 0, home.stderr
    assert "s3cret" not in home.stdout + home.stderr
    assert _tables_and_counts(home.stdout) == counts
    assert xoro("check", "--db", str(back)).stdout.strip() == "ok"
    assert xoro("check", "--db", owner).stdout.strip() == "ok"


def test_copy_refuses_a_target_holding_data_and_leaves_it(
    pg_cluster, pg_name: str, seeded: Path
) -> None:
    owner = pg_cluster.url(pg_name)
    assert xoro("init", "--db", owner, "--admin", "root").returncode == 0
    assert xoro("copy", "--from", str(seeded), "--to", owner).returncode == 0
    with psycopg.connect(owner) as conn:
        before = conn.execute("SELECT count(*), max(updated_at) FROM customers").fetchone()
    again = xoro("copy", "--from", str(seeded), "--to", owner)
    assert again.returncode == 1
    assert "the target is not empty" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    with psycopg.connect(owner) as conn:
        assert conn.execute("SELECT count(*), max(updated_at) FROM customers").fetchone() == before
    to_file = xoro("copy", "--from", owner, "--to", str(seeded))
    assert to_file.returncode == 1
    assert "the target is not empty" in to_file.stderr


def test_copy_needs_init_on_postgresql(pg_cluster, pg_name: str, seeded: Path) -> None:
    result = xoro("copy", "--from", str(seeded), "--to", pg_cluster.url(pg_name))
    assert result.returncode == 1
    assert "xoro-tui init --db URL --admin LOGIN" in result.stderr


def test_backup_of_postgresql_calls_pg_dump_and_says_so(pg_cluster, pg_url, tmp_path: Path) -> None:
    out = tmp_path / "xoro.dump"
    result = xoro("backup", "--db", pg_cluster.tcp_url(pg_url.dbname), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "pg_dump" in result.stderr and "pg_dump" in result.stdout
    assert "s3cret" not in result.stdout + result.stderr
    assert out.read_bytes()[:5] == b"PGDMP"
    assert [p.name for p in tmp_path.iterdir()] == ["xoro.dump"]
