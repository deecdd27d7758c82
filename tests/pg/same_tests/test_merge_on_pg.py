"""tests/data/test_merge.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_merge import *  # noqa: F403
