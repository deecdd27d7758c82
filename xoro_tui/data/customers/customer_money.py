"""Each customer's money, as the Customer Centre's Open Balance, Unapplied Credits and Last
Activity columns show it, kept in summary tables by triggers on documents and refunds.

What each one is (amounts per currency, in minor units; the very sums the Customer Info
summary shows, so the list and the customer's own screen never disagree):

* **Open balance**: the sum of the ``balance`` of the customer's invoices, that is each
  invoice's total less the payments and credits applied to it. Estimates and sales orders
  owe nothing yet, sales receipts are paid when made, and deposits and credit memos are
  money the customer has, not owes: none of them counts. A status alone changes nothing
  (an invoice's balance says what is owed). Customer Info: "Open balance".
* **Unapplied credits**: for each customer deposit and credit memo, its total less the
  refunds made from it that are not voided: what is left to apply or to refund. One fully
  refunded counts nothing. Customer Info: "Deposits" plus "Credits".
* **Last activity**: the latest date of any of the customer's documents or refunds.

``customer_balances`` holds a row per customer and currency they have any document or
refund in; ``customer_money`` one row per customer (every customer has one), with the
amounts of *the customer's currency*: the one holding money (open or unapplied not zero),
else the one most of their documents and refunds are in (ties: alphabetical order).
``currencies`` counts the currencies holding money; a customer with more than one is
marked in the list, and Customer Info shows each.

Every change is applied as a difference (the old row's part taken away, the new row's
added), so a save costs a few index look-ups however many documents the customer has, and
a merge moving many documents costs the same per document. Only a change to the latest
document or refund re-reads the customer's dates.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.search import search_sync
from xoro_tui.data.search.list_query import Filter, where_sql
from xoro_tui.data.store.connection import is_postgres

CREDIT_TYPES = "('customer_deposit', 'credit_memo')"
STATES = ("active", "deleted", "merged", "archived")

#: created after the backfill (one sort instead of a million inserts into each)
INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS customer_money_open ON customer_money(open_key)",
    "CREATE INDEX IF NOT EXISTS customer_money_unapplied ON customer_money(unapplied_key)",
    "CREATE INDEX IF NOT EXISTS customer_money_open_major ON customer_money(open_major)",
    "CREATE INDEX IF NOT EXISTS customer_money_unapplied_major ON customer_money(unapplied_major)",
    "CREATE INDEX IF NOT EXISTS customer_money_last ON customer_money(last_activity)",
    "CREATE INDEX IF NOT EXISTS customer_money_last_key ON customer_money(last_key)",
)


def _open(row: str) -> str:
    """What one document adds to its customer's open balance."""
    return f"(CASE WHEN {row}.doc_type = 'invoice' THEN {row}.balance ELSE 0 END)"


def _refunded(document_id: str) -> str:
    return (
        f"coalesce((SELECT sum(x.amount) FROM refunds x WHERE x.source_document_id = "
        f"{document_id} AND x.status != 'Voided'), 0)"
    )


def _unapplied(row: str) -> str:
    """What one document adds to its customer's unapplied credits."""
    return (
        f"(CASE WHEN {row}.doc_type IN {CREDIT_TYPES} "
        f"THEN {row}.total - {_refunded(f'{row}.id')} ELSE 0 END)"
    )


def _add(select: str) -> str:
    """Add ``select``'s (customer_id, currency, open_balance, unapplied, items) to the
    customer's row for that currency (``select`` ends in a WHERE, as an upsert needs)."""
    return (
        "INSERT INTO customer_balances(customer_id, currency, open_balance, unapplied, items) "
        f"{select} ON CONFLICT(customer_id, currency) DO UPDATE SET "
        "open_balance = customer_balances.open_balance + excluded.open_balance, "
        "unapplied = customer_balances.unapplied + excluded.unapplied, "
        "items = customer_balances.items + excluded.items;"
    )


def _document(row: str, sign: str) -> str:
    return _add(
        f"SELECT {row}.customer_id, {row}.currency, {sign}{_open(row)}, {sign}{_unapplied(row)}, "
        f"{sign}1 WHERE 1"
    )


def _refund_item(row: str, sign: str) -> str:
    return _add(f"SELECT {row}.customer_id, {row}.currency, 0, 0, {sign}1 WHERE 1")


def _refund_source(row: str, sign: str) -> str:
    """A refund that is not voided takes its amount off its deposit's or credit memo's
    unapplied credit (``sign`` ``-``: the refund arrives; ``+``: it goes)."""
    return _add(
        f"SELECT d.customer_id, d.currency, 0, {sign}{row}.amount, 0 FROM documents d "
        f"WHERE d.id = {row}.source_document_id AND d.doc_type IN {CREDIT_TYPES} "
        f"AND {row}.status != 'Voided'"
    )


def _source_customer(row: str) -> str:
    return f"(SELECT customer_id FROM documents WHERE id = {row}.source_document_id)"


def _tidy(customers: str) -> str:
    return (
        f"DELETE FROM customer_balances WHERE customer_id IN ({customers}) "
        "AND items = 0 AND open_balance = 0 AND unapplied = 0;"
    )


_CHOSEN = (
    "(SELECT cur, o, u FROM (SELECT b.currency AS cur, b.open_balance AS o, b.unapplied AS u, "
    "CASE WHEN b.open_balance != 0 OR b.unapplied != 0 THEN 1 ELSE 0 END AS holds, "
    "b.items AS n FROM customer_balances b "
    "WHERE b.customer_id = customer_money.customer_id "
    "UNION ALL SELECT NULL, 0, 0, -1, -1 ORDER BY 4 DESC, 5 DESC, 1 LIMIT 1))"
)


def _refresh(customers: str) -> str:
    """Re-derive the customers' row from their per-currency rows (a few rows each)."""
    return (
        f"UPDATE customer_money SET (currency, open_balance, unapplied) = {_CHOSEN}, "
        "currencies = (SELECT count(*) FROM customer_balances b "
        "WHERE b.customer_id = customer_money.customer_id "
        "AND (b.open_balance != 0 OR b.unapplied != 0)) "
        f"WHERE customer_id IN ({customers});"
    )


LAST_ACTIVITY = (
    "(SELECT max(day) FROM (SELECT max(doc_date) AS day FROM documents "
    "WHERE customer_id = customer_money.customer_id UNION ALL SELECT max(refund_date) "
    "FROM refunds WHERE customer_id = customer_money.customer_id))"
)


def _later(customer: str, day: str) -> str:
    return (
        f"UPDATE customer_money SET last_activity = max(coalesce(last_activity, ''), {day}) "
        f"WHERE customer_id = {customer};"
    )


def _reread_dates(customer: str, day: str, when: str | None = None) -> str:
    """The customer's latest date again, only when the row gone was the latest one."""
    also = f" AND ({when})" if when else ""
    return (
        f"UPDATE customer_money SET last_activity = {LAST_ACTIVITY} "
        f"WHERE customer_id = {customer} AND last_activity <= {day}{also};"
    )


def _to_totals(row: str, sign: str) -> str:
    return (
        "INSERT INTO customer_money_totals(currency, open_balance, unapplied) "
        f"SELECT {row}.currency, {sign}{row}.open_balance, {sign}{row}.unapplied WHERE 1 "
        "ON CONFLICT(currency) DO UPDATE SET open_balance = "
        "customer_money_totals.open_balance + excluded.open_balance, "
        "unapplied = customer_money_totals.unapplied + excluded.unapplied;"
    )


def _totals_triggers() -> list[str]:
    """``customer_money_totals`` follows every change of ``customer_balances``."""
    return [
        "CREATE TRIGGER customer_money_totals_insert AFTER INSERT ON customer_balances BEGIN\n"
        f"  {_to_totals('NEW', '')}\nEND",
        "CREATE TRIGGER customer_money_totals_delete AFTER DELETE ON customer_balances BEGIN\n"
        f"  {_to_totals('OLD', '-')}\nEND",
        "CREATE TRIGGER customer_money_totals_update AFTER UPDATE ON customer_balances BEGIN\n"
        f"  {_to_totals('OLD', '-')}\n  {_to_totals('NEW', '')}\nEND",
    ]


def triggers() -> list[str]:
    """The triggers that keep ``customer_balances`` and ``customer_money`` exact."""
    doc_watched = "doc_type, customer_id, currency, total, balance, doc_date"
    refund_watched = "customer_id, currency, amount, status, source_document_id, refund_date"
    moved_refund = (
        f"OLD.customer_id, NEW.customer_id, {_source_customer('OLD')}, {_source_customer('NEW')}"
    )
    return [
        *_totals_triggers(),
        "CREATE TRIGGER customer_money_customer_insert AFTER INSERT ON customers BEGIN\n"
        "  INSERT OR IGNORE INTO customer_money(customer_id) VALUES (NEW.id);\nEND",
        "CREATE TRIGGER customer_money_customer_delete AFTER DELETE ON customers BEGIN\n"
        "  DELETE FROM customer_money WHERE customer_id = OLD.id;\n"
        "  DELETE FROM customer_balances WHERE customer_id = OLD.id;\nEND",
        "CREATE TRIGGER customer_money_document_insert AFTER INSERT ON documents BEGIN\n"
        f"  {_document('NEW', '')}\n  {_refresh('NEW.customer_id')}\n"
        f"  {_later('NEW.customer_id', 'NEW.doc_date')}\nEND",
        "CREATE TRIGGER customer_money_document_delete AFTER DELETE ON documents BEGIN\n"
        f"  {_document('OLD', '-')}\n  {_tidy('OLD.customer_id')}\n"
        f"  {_refresh('OLD.customer_id')}\n  {_reread_dates('OLD.customer_id', 'OLD.doc_date')}\n"
        "END",
        f"CREATE TRIGGER customer_money_document_update AFTER UPDATE OF {doc_watched} "
        "ON documents BEGIN\n"
        f"  {_document('OLD', '-')}\n  {_document('NEW', '')}\n"
        f"  {_tidy('OLD.customer_id')}\n  {_refresh('OLD.customer_id, NEW.customer_id')}\n"
        f"  {_later('NEW.customer_id', 'NEW.doc_date')}\n"
        f"  {_reread_dates('OLD.customer_id', 'OLD.doc_date', 'OLD.customer_id != NEW.customer_id OR OLD.doc_date != NEW.doc_date')}\n"  # noqa: E501
        "END",
        "CREATE TRIGGER customer_money_refund_insert AFTER INSERT ON refunds BEGIN\n"
        f"  {_refund_item('NEW', '')}\n  {_refund_source('NEW', '-')}\n"
        f"  {_refresh('NEW.customer_id, ' + _source_customer('NEW'))}\n"
        f"  {_later('NEW.customer_id', 'NEW.refund_date')}\nEND",
        "CREATE TRIGGER customer_money_refund_delete AFTER DELETE ON refunds BEGIN\n"
        f"  {_refund_item('OLD', '-')}\n  {_refund_source('OLD', '+')}\n"
        f"  {_tidy('OLD.customer_id, ' + _source_customer('OLD'))}\n"
        f"  {_refresh('OLD.customer_id, ' + _source_customer('OLD'))}\n"
        f"  {_reread_dates('OLD.customer_id', 'OLD.refund_date')}\nEND",
        f"CREATE TRIGGER customer_money_refund_update AFTER UPDATE OF {refund_watched} "
        "ON refunds BEGIN\n"
        f"  {_refund_item('OLD', '-')}\n  {_refund_item('NEW', '')}\n"
        f"  {_refund_source('OLD', '+')}\n  {_refund_source('NEW', '-')}\n"
        f"  {_tidy(moved_refund)}\n  {_refresh(moved_refund)}\n"
        f"  {_later('NEW.customer_id', 'NEW.refund_date')}\n"
        f"  {_reread_dates('OLD.customer_id', 'OLD.refund_date', 'OLD.customer_id != NEW.customer_id OR OLD.refund_date != NEW.refund_date')}\n"  # noqa: E501
        "END",
    ]


def rebuild(conn: sqlite3.Connection) -> None:
    """Derive the tables from every document and refund at once (the migration, and a
    seed that loads documents with the triggers set aside): set-based, a few passes over
    the documents and refunds, with the indexes made afterwards."""
    for statement in INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
    kept = search_sync.drop_triggers(conn, "tbl_name = 'customer_balances'")
    for table in ("customer_balances", "customer_money", "customer_money_totals"):
        conn.execute(f"DELETE FROM {table}")
    # one pass over each table, read in file order (through an index it would be a random
    # read per row): each customer's amounts and latest date per currency
    conn.execute("DROP TABLE IF EXISTS temp.money_rows")
    conn.execute(
        "CREATE TEMP TABLE money_rows AS "
        "SELECT customer_id, currency, sum(o) AS o, sum(u) AS u, sum(n) AS n, max(day) AS day"
        " FROM ("
        f" SELECT d.customer_id, d.currency, {_open('d')} AS o,"
        f" CASE WHEN d.doc_type IN {CREDIT_TYPES} THEN d.total ELSE 0 END AS u, 1 AS n,"
        " d.doc_date AS day FROM documents d NOT INDEXED"
        " UNION ALL SELECT r.customer_id, r.currency, 0, 0, 1, r.refund_date"
        " FROM refunds r NOT INDEXED"
        " UNION ALL SELECT d.customer_id, d.currency, 0, -r.amount, 0, NULL"
        " FROM refunds r NOT INDEXED JOIN documents d ON d.id = r.source_document_id"
        f" WHERE r.status != 'Voided' AND d.doc_type IN {CREDIT_TYPES}"
        ") GROUP BY customer_id, currency"
    )
    conn.execute(
        "INSERT INTO customer_balances(customer_id, currency, open_balance, unapplied, items) "
        "SELECT customer_id, currency, o, u, n FROM temp.money_rows"
    )
    conn.execute(
        "INSERT INTO customer_money_totals(currency, open_balance, unapplied) "
        "SELECT currency, sum(o), sum(u) FROM temp.money_rows GROUP BY currency"
    )
    # the customer's currency as _CHOSEN picks it, for every customer at once
    conn.execute("DROP TABLE IF EXISTS temp.money_chosen")
    conn.execute(
        "CREATE TEMP TABLE money_chosen(customer_id INTEGER PRIMARY KEY, currency TEXT,"
        " o INTEGER, u INTEGER, holding INTEGER, day TEXT)"
    )
    conn.execute(
        "INSERT INTO temp.money_chosen SELECT customer_id, currency, o, u, holding, last"
        " FROM (SELECT customer_id, currency, o, u,"
        "  row_number() OVER (PARTITION BY customer_id ORDER BY"
        "   (o != 0 OR u != 0) DESC, n DESC, currency) AS rank,"
        "  sum(o != 0 OR u != 0) OVER (PARTITION BY customer_id) AS holding,"
        "  max(day) OVER (PARTITION BY customer_id) AS last"
        "  FROM temp.money_rows) WHERE rank = 1"
    )
    conn.execute(
        "INSERT INTO customer_money(customer_id, currency, open_balance, unapplied, currencies,"
        " last_activity) "
        "SELECT c.id, r.currency, coalesce(r.o, 0), coalesce(r.u, 0), coalesce(r.holding, 0),"
        " r.day FROM (SELECT id FROM customers WHERE state IN"
        f" ({', '.join(repr(s) for s in STATES)}) ORDER BY id) c"  # an index, not the table
        " LEFT JOIN temp.money_chosen r ON r.customer_id = c.id"
    )
    conn.execute("DROP TABLE temp.money_rows")
    conn.execute("DROP TABLE temp.money_chosen")
    for statement in (*INDEXES, *kept):
        conn.execute(statement)
    # statistics from a sample: enough to tell the planner the keys are unique
    limit = conn.execute("PRAGMA analysis_limit").fetchone()[0]
    conn.execute("PRAGMA analysis_limit = 2000")
    conn.execute("ANALYZE customer_money")
    conn.execute(f"PRAGMA analysis_limit = {int(limit)}")


def install(conn: sqlite3.Connection) -> None:
    """Migration 10: the triggers, then every customer's row from what is there."""
    for statement in triggers():
        conn.execute(statement)
    rebuild(conn)


def totals(
    conn: sqlite3.Connection, flt: Filter, state: str = "active"
) -> list[tuple[str, int, int]]:
    """(currency, open balance, unapplied credits) of the filter's customers (those in
    ``state``), one row per currency that holds money, every currency of a customer
    counted (not only the one the list shows).

    The whole Centre is the kept sums less the few customers not in it: a few ms at a
    million customers. A filter adds up its own customers' rows.
    """
    if flt == Filter() and state == "active":
        others = ", ".join(f"'{s}'" for s in STATES if s != state)
        rows = conn.execute(
            "SELECT currency, sum(o), sum(u) FROM ("
            " SELECT currency, open_balance AS o, unapplied AS u FROM customer_money_totals"
            " UNION ALL SELECT b.currency, -b.open_balance, -b.unapplied"
            " FROM customers c CROSS JOIN customer_balances b ON b.customer_id = c.id"
            f" WHERE c.state IN ({others})) AS kept "  # PostgreSQL 15 needs the alias
            "GROUP BY currency HAVING sum(o) != 0 OR sum(u) != 0 ORDER BY currency"
        ).fetchall()
    else:
        where, args = where_sql(customer_spec(state), flt, postgres=is_postgres(conn))
        rows = conn.execute(
            "SELECT b.currency, sum(b.open_balance), sum(b.unapplied) "
            f"FROM customers c CROSS JOIN customer_balances b ON b.customer_id = c.id "
            f"WHERE {where} GROUP BY b.currency "
            "HAVING sum(b.open_balance) != 0 OR sum(b.unapplied) != 0 ORDER BY b.currency",
            args,
        ).fetchall()
    return [(str(cur), int(o), int(u)) for cur, o, u in rows]


def recompute(conn: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    """One customer's money read straight from the documents and refunds (for checks)."""
    per: dict[str, list[int]] = {}
    for cur, o, u in conn.execute(
        f"SELECT d.currency, {_open('d')}, {_unapplied('d')} FROM documents d "
        "WHERE d.customer_id = ?",
        (customer_id,),
    ):
        bucket = per.setdefault(cur, [0, 0])
        bucket[0] += o
        bucket[1] += u
    last = conn.execute(
        "SELECT max(day) FROM (SELECT max(doc_date) AS day FROM documents WHERE customer_id = ?"
        " UNION ALL SELECT max(refund_date) FROM refunds WHERE customer_id = ?)",
        (customer_id, customer_id),
    ).fetchone()[0]
    return {
        "balances": {c: (o, u) for c, (o, u) in per.items() if o or u},
        "last_activity": last,
    }
