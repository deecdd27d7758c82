"""tests/data/test_cheque_register.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_cheque_register import *  # noqa: F403
