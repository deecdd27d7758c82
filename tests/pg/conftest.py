"""Fixtures for the PostgreSQL tests: a new database per test on the private cluster."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def pg_name(pg_cluster) -> Iterator[str]:
    """An empty database (no schema) on the private cluster, dropped afterwards."""
    name = pg_cluster.new_database()
    yield name
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_url(pg_cluster, pg_name: str):
    """The owner's URL of a database made by ``init`` (admin: this login)."""
    from tests.pg_cluster import APP_ROLE
    from xoro_tui.data.postgres.pg_schema import grant_app_role, init_postgres
    from xoro_tui.data.postgres.pg_url import PgUrl
    from xoro_tui.data.store.clock import os_user

    url = PgUrl.parse(pg_cluster.url(pg_name))
    init_postgres(url, os_user())
    grant_app_role(url, APP_ROLE)
    return url


def xoro(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "xoro_tui", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A database with the schema and no users (single-user mode, as the SQLite ``db``
    fixture's): each test's database is a copy of it (CREATE DATABASE … TEMPLATE)."""
    from tests.pg_cluster import APP_ROLE
    from xoro_tui.data.postgres.pg_schema import create_schema, grant_app_role
    from xoro_tui.data.postgres.pg_url import PgUrl

    name = pg_cluster.new_database("xoro_template")
    url = PgUrl.parse(pg_cluster.url(name))
    create_schema(url)
    grant_app_role(url, APP_ROLE)
    return name


@pytest.fixture
def pg_db_url(pg_cluster, pg_template: str):
    """The owner's URL of a new migrated database with no users, dropped afterwards."""
    from xoro_tui.data.postgres.pg_url import PgUrl

    name = f"{pg_template}_{os.getpid()}_{next(_COPIES)}"
    pg_cluster.sql(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield PgUrl.parse(pg_cluster.url(name))
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_db(pg_db_url):
    """What the SQLite ``db`` fixture gives, on PostgreSQL."""
    from xoro_tui.data.store.opening import open_database

    database = open_database(pg_db_url)
    yield database
    database.conn.close()


_COPIES = itertools.count(1)
