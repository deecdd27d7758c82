"""tests/data/test_table_order.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_table_order import *  # noqa: F403
