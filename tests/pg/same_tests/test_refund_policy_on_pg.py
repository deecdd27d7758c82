"""tests/data/test_refund_policy.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_refund_policy import *  # noqa: F403
