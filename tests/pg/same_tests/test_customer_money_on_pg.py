"""tests/data/test_customer_money.py on PostgreSQL: the same triggers, written once in
SQLite's words and given to PostgreSQL as PL/pgSQL (data/postgres/pg_triggers.py), keep
each customer's Open Balance, Unapplied Credits and Last Activity exact after any edits,
merges and undos."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, Phase, given, settings

from tests.data.test_customer_money import (
    check_after,
    operations,
    test_open_balance_and_credits_match_customer_info,  # noqa: F401
    test_open_balance_filter_sort_and_totals,  # noqa: F401
)

_COPIES = itertools.count(1)


# no shrinking: each example is a database of its own, and a shrink here takes minutes;
# the SQLite test beside it shrinks the same operations
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(ops=operations)
def test_summary_equals_a_recomputation_after_any_edits_on_pg(pg_cluster, pg_template, ops) -> None:
    from xoro_tui.data.postgres.pg_url import PgUrl
    from xoro_tui.data.store.opening import open_database

    name = f"{pg_template}_money_{next(_COPIES)}"
    pg_cluster.sql(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    db = open_database(PgUrl.parse(pg_cluster.url(name)))
    try:
        check_after(db, ops, rebuild=False)  # rebuild() is SQLite's migration
    finally:
        db.conn.close()
        pg_cluster.drop_database(name)
