"""tests/data/test_customers_repo.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_customers_repo import *  # noqa: F403
