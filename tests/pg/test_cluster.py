"""The private test cluster itself: it runs, on its own socket and port."""

from __future__ import annotations

import psycopg


def test_the_private_cluster_answers_on_its_socket_and_port(pg_cluster) -> None:
    with psycopg.connect(pg_cluster.url()) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        port = conn.execute("SHOW port").fetchone()[0]
    assert int(version) >= 150000
    assert int(port) == pg_cluster.port
    assert (pg_cluster.socket_dir / f".s.PGSQL.{pg_cluster.port}").exists()


def test_the_app_role_logs_in_over_tcp_with_its_password(pg_cluster) -> None:
    name = pg_cluster.new_database()
    with psycopg.connect(pg_cluster.tcp_url(name)) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == "xoro_app"


def test_no_server_skips_unless_required(monkeypatch) -> None:
    import pytest

    from tests import pg_cluster as pg

    def unavailable() -> pg.Cluster:
        raise pg.ClusterUnavailable("PostgreSQL's pg_ctl/initdb not found")

    monkeypatch.setattr(pg, "start_cluster", unavailable)
    monkeypatch.delenv("XORO_TUI_TEST_PG", raising=False)
    with pytest.raises(pytest.skip.Exception, match="pg_ctl/initdb not found"):
        next(pg.session_cluster())
    monkeypatch.setenv("XORO_TUI_TEST_PG", "required")
    with pytest.raises(pytest.fail.Exception, match="required but no PostgreSQL"):
        next(pg.session_cluster())
