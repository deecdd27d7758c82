"""tests/data/test_card_numbers.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_card_numbers import *  # noqa: F403
