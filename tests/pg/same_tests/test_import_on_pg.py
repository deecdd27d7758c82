"""tests/data/test_import.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_import import *  # noqa: F403
