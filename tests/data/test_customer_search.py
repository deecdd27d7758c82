"""Quick-search counts: the fast count (index count less customers not in the Centre)
is the exact count of the Centre's list, whichever way it tests the few others."""

from __future__ import annotations

import pytest

from tests.factories import customer
from xoro_tui.data.customers import customer_list
from xoro_tui.data.customers.customer_list import customer_spec, search_count
from xoro_tui.data.search.list_query import Filter, WindowQuery, where_sql

NAMES = ["Andrew Adams", "Andrea Bell", "Sandra Andrews", "Zoë Ändrew", "Bob Stone", "Ann Lee"]
TERMS = ["andrew", "ANDREW", "ndr", "an", "a", "zz", "ston", "lee", "and re"]


@pytest.fixture
def mixed(db):
    """Every name in the Centre, and again deleted, merged and archived."""
    for state in ("active", "deleted", "merged", "archived"):
        for name in NAMES:
            made = customer(db, name=name)
            if state != "active":
                db.conn.execute("UPDATE customers SET state = ? WHERE id = ?", (state, made.id))
    return db


def exact(db, term: str, field: str = "any") -> int:
    where, args = where_sql(customer_spec(), Filter(search=term, search_field=field))
    return db.conn.execute(f"SELECT count(*) FROM customers c WHERE {where}", args).fetchone()[0]


@pytest.mark.parametrize("collect_below", [0, 1_000_000], ids=["test-each", "collect"])
@pytest.mark.parametrize("term", TERMS)
def test_fast_count_is_the_exact_count(mixed, monkeypatch, term: str, collect_below: int) -> None:
    monkeypatch.setattr(customer_list, "COLLECT_MATCHES_BELOW", collect_below)
    expected = exact(mixed, term)
    assert search_count(mixed.conn, term, "any") in (None, expected)
    assert WindowQuery(mixed.conn, customer_spec()).count(Filter(search=term)) == expected


def test_counts_only_customers_in_the_centre(mixed) -> None:
    assert search_count(mixed.conn, "andrew", "any") == 3  # Andrew, Andrews, Ändrew
    assert search_count(mixed.conn, "andrew", "name") == 3
    assert search_count(mixed.conn, "andrew", "email") == 0
    assert search_count(mixed.conn, "an", "any") == exact(mixed, "an") > 0
