"""``--db`` and ``XORO_TUI_DB`` take libpq URIs; the password is never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pg.conftest import xoro
from xoro_tui.config import DatabaseLocationError, database_location
from xoro_tui.data.postgres.pg_url import PgUrl, hide_passwords, mask_password


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://app:s3cret@db.example:5433/xoro?sslmode=require",
        "postgres://app:s3cret@/xoro?host=/run/postgresql",
        "postgresql:///xoro?host=/var/run/pg&sslmode=disable&password=s3cret",
        "postgresql://app:s3cret@h1:5432,h2:5432/xoro?target_session_attrs=read-write",
    ],
)
def test_any_libpq_uri_is_a_postgresql_location_shown_without_its_password(text: str) -> None:
    location = database_location(text)
    assert isinstance(location, PgUrl)
    assert location.conninfo == text
    for shown in (str(location), repr(location), f"{location}", location.masked):
        assert "s3cret" not in shown
        assert "***" in shown


@pytest.mark.parametrize(
    "text", ["mysql://app:s3cret@h/db", "https://app:s3cret@x/y", "sqlite://app:s3cret@/x"]
)
def test_other_schemes_are_refused_with_the_password_masked(text: str) -> None:
    with pytest.raises(DatabaseLocationError) as caught:
        database_location(text)
    assert "s3cret" not in str(caught.value)
    assert "give the path of a database file or a postgresql:// URL" in str(caught.value)


def test_an_unreadable_postgresql_url_is_refused_without_its_password() -> None:
    with pytest.raises(DatabaseLocationError, match="not a usable PostgreSQL URL") as caught:
        database_location("postgresql://app:s3cret@h/xoro?nonsense=1")
    assert "s3cret" not in str(caught.value)


def test_masking_covers_the_user_part_and_the_password_parameter() -> None:
    assert mask_password("postgresql://a:b@c/d?password=e&sslmode=require") == (
        "postgresql://a:***@c/d?password=***&sslmode=require"
    )
    assert hide_passwords("postgresql://a:pw9@c/d", 'password "pw9" rejected') == (
        'password "***" rejected'
    )


def test_a_missing_database_is_refused_naming_init(pg_cluster, tmp_path: Path) -> None:
    url = pg_cluster.tcp_url("no_such_database")
    result = xoro("users", "list", "--db", url, cwd=tmp_path)
    assert result.returncode == 1
    assert "xoro-tui init --db URL --admin LOGIN" in result.stderr
    assert pg_cluster.tcp_url("x").split(":")[2].split("@")[0] not in result.stderr  # password
    assert list(tmp_path.iterdir()) == []


def test_an_empty_database_is_refused_and_left_empty(pg_cluster, pg_name: str) -> None:
    """Only init makes the schema: every other command refuses, the app too."""
    import psycopg

    for args in (("check",), ("users", "list"), ("audit",), ("import", "customers", "x.csv")):
        result = xoro(*args, "--db", pg_cluster.tcp_url(pg_name))
        assert result.returncode == 1, args
        assert "holds no xoro-tui database yet" in result.stderr
        assert "xoro-tui init --db URL --admin LOGIN" in result.stderr
        assert "s3cret" not in result.stderr
    result = xoro(env={"XORO_TUI_DB": pg_cluster.tcp_url(pg_name)})
    assert "xoro-tui init --db URL --admin LOGIN" in result.stderr
    with psycopg.connect(pg_cluster.url(pg_name)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_a_wrong_password_is_one_line_without_the_password(pg_cluster, pg_name: str) -> None:
    result = xoro("users", "list", "--db", pg_cluster.tcp_url(pg_name, password="Wr0ng-pw"))
    assert result.returncode == 1
    assert "password authentication failed" in result.stderr
    assert "Wr0ng-pw" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
