"""tests/data/test_new_documents.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_new_documents import *  # noqa: F403
