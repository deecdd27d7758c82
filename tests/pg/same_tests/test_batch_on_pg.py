"""tests/data/test_batch.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_batch import *  # noqa: F403
