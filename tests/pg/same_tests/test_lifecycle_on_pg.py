"""tests/data/test_lifecycle.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_lifecycle import *  # noqa: F403
