"""tests/robustness/test_hostile_input.py on PostgreSQL (see this folder's conftest): empty,
long, markup, control characters, formulas, CJK and emoji through every data-layer route."""

from tests.robustness.test_hostile_input import *  # noqa: F403
