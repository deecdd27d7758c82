"""tests/robustness/test_kills.py on PostgreSQL (see this folder's conftest): a merge, a
batch update and cheque printing killed inside their transactions and at random moments
are wholly done or not at all. The killed seed builds a SQLite file and is not here."""

import pytest

from tests.robustness.test_kills import (  # noqa: F401
    test_batch_update_killed_inside_its_transaction_leaves_nothing,
    test_cheque_print_killed_after_the_number_was_taken,
    test_cheque_printing_killed_at_random_moments,
    test_merge_killed_inside_its_transaction_leaves_nothing,
    test_merges_and_undos_killed_at_random_moments_are_whole,
)

pytestmark = pytest.mark.slow  # child processes, as in tests/robustness
