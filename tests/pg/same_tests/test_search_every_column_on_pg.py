"""tests/data/test_search_every_column.py on PostgreSQL (see this folder's conftest): each
text column found through Any Field and its own field, and kept exact through saves."""

from tests.data.test_search_every_column import *  # noqa: F403
