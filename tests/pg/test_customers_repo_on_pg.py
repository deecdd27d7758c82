"""tests/data/test_customers_repo.py run again on PostgreSQL: the same test functions, with ``db``
a database on the private cluster instead of a SQLite file (one set of repositories, one
set of tests, both engines)."""

from __future__ import annotations

import pytest

from tests.data.test_customers_repo import *  # noqa: F403


@pytest.fixture
def db(pg_db):
    return pg_db


@pytest.fixture
def db_path(pg_db_url):
    """Other connections (threads standing for other sessions) open the same database."""
    return pg_db_url
