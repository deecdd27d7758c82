"""tests/data/test_portal.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_portal import *  # noqa: F403
