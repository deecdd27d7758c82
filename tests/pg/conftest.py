"""Fixtures for the PostgreSQL tests: a new database per test on the private cluster."""

from __future__ import annotations

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
    from xoro_tui.data.store.clock import os_user
    from xoro_tui.data.store.pg_schema import grant_app_role, init_postgres
    from xoro_tui.data.store.pg_url import PgUrl

    url = PgUrl.parse(pg_cluster.url(pg_name))
    init_postgres(url, os_user())
    grant_app_role(url, APP_ROLE)
    return url


def xoro(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "xoro_tui", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env={**os.environ, **(env or {})},
    )  # fmt: skip
