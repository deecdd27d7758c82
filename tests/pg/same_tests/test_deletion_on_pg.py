"""tests/data/test_deletion.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_deletion import *  # noqa: F403
