"""tests/data/test_card_report.py on PostgreSQL (see this folder's conftest)."""

from tests.data.test_card_report import *  # noqa: F403
