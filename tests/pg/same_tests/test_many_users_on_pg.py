"""tests/robustness/test_many_users.py on PostgreSQL (see this folder's conftest): eight
processes writing at once lose no update, refuse stale edits and print cheques with
unique consecutive numbers."""

import pytest

from tests.robustness.test_many_users import *  # noqa: F403

pytestmark = pytest.mark.slow  # child processes, as in tests/robustness
