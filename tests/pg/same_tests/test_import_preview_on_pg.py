"""tests/data/test_import_preview.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_import_preview import *  # noqa: F403
