"""``xoro-tui init --db URL --admin LOGIN``: the schema, the first admin, the audit log's
grants; with the owner's credentials, on the real private cluster."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg.conftest import xoro
from tests.pg_cluster import APP_ROLE
from xoro_tui.data.store.migrations import LATEST


def test_init_makes_the_schema_and_the_first_admin(pg_cluster, pg_name: str) -> None:
    owner = pg_cluster.url(pg_name)
    result = xoro("init", "--db", owner, "--admin", "alice", "--app-role", APP_ROLE)
    assert result.returncode == 0, result.stderr
    assert f"schema {LATEST}, made" in result.stdout
    app = pg_cluster.tcp_url(pg_name)
    listed = xoro("users", "list", "--db", app)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "alice\tadmin"
    assert "s3cret" not in result.stdout + listed.stdout
    with psycopg.connect(owner) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
        tables = {t for (t,) in conn.execute("SELECT tablename FROM pg_tables "
                                             "WHERE schemaname = 'public'")}  # fmt: skip
    assert max(versions) == LATEST
    assert {"customers", "refunds", "audit_log", "cheque_register", "users"} <= tables
    again = xoro("init", "--db", owner, "--admin", "alice")
    assert again.returncode == 1
    assert "holds an xoro-tui database already" in again.stderr


def test_init_on_postgresql_refuses_group(pg_cluster, pg_name: str) -> None:
    result = xoro("init", "--db", pg_cluster.url(pg_name), "--admin", "a", "--group", "staff")
    assert result.returncode == 2
    assert "--group does not apply to a PostgreSQL database" in result.stderr


def test_the_audit_log_is_append_only_by_trigger_and_by_grant(pg_cluster, pg_url) -> None:
    name = pg_url.dbname
    with psycopg.connect(pg_cluster.url(name), autocommit=True) as owner:
        assert owner.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            owner.execute("UPDATE audit_log SET \"user\" = 'someone else'")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            owner.execute("DELETE FROM audit_log")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            owner.execute("TRUNCATE audit_log")
    with psycopg.connect(pg_cluster.tcp_url(name), autocommit=True) as app:
        app.execute(
            'INSERT INTO audit_log(at, "user", table_name, record_key, action, changes) '
            "VALUES ('2026-01-01T00:00:00+00:00', 'x', 't', 'k', 'insert', '{}')"
        )
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        assert app.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 2
