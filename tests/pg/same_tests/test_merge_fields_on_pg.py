"""tests/data/test_merge_fields.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_merge_fields import *  # noqa: F403
