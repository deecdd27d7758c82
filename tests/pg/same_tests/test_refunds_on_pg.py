"""tests/data/test_refunds.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_refunds import *  # noqa: F403
