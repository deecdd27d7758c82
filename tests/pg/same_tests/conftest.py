"""The data layer's own tests run again on PostgreSQL: in this folder ``db`` is a database
on the private cluster instead of a SQLite file (one set of repositories, one set of tests,
both engines)."""

from __future__ import annotations

import pytest


@pytest.fixture
def db(pg_db):  # noqa: ANN001, ANN201
    return pg_db


@pytest.fixture
def db_path(pg_db_url):  # noqa: ANN001, ANN201
    """Other connections (threads standing for other sessions) open the same database."""
    return pg_db_url
