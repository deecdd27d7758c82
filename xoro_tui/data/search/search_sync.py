"""The triggers that keep the folded search copies in step with the rows they index."""

from __future__ import annotations

import json
import sqlite3

from xoro_tui.data.store.connection import is_postgres

#: the search tables' columns as migration 1 made them (its triggers name these)
V1_COLUMNS: tuple[str, ...] = ("name", "email", "phone", "type_name", "postal", "refs")
#: every text a customer can be found by, since migration 11 (``schema_v11.sql``): one
#: column per field the quick-search chooser offers; ``refs`` holds the references only
SEARCH_COLUMNS: tuple[str, ...] = (
    "name", "email", "phone", "type_name", "postal", "refs", "account",
    "ship_line1", "ship_city", "ship_state", "ship_country",
    "bill_line1", "bill_city", "bill_state", "bill_postal", "bill_country",
    "sales_rep", "payment_terms", "customer_group", "order_type", "shipping_terms",
    "payment_method", "tags", "brands", "portal_status", "portal_email",
    "portal_email_status", "mandate_status",
)  # fmt: skip
#: the customer columns a search row is made from (an update of any other one reindexes nothing)
WATCHED_CUSTOMER_COLUMNS: tuple[str, ...] = (
    "name", "email", "phone", "type_name", "account_number", "bill_to_line1", "bill_to_city",
    "bill_to_state", "bill_to_postal_code", "bill_to_country", "sales_rep", "payment_terms",
    "customer_group", "order_type", "default_shipping_terms", "default_payment_method",
    "portal_status", "portal_email", "portal_email_status", "mandate_status",
)  # fmt: skip
_COLUMNS = ", ".join(SEARCH_COLUMNS)
#: a customer's lists whose every row is searched: (table, its value column)
_CHILDREN = (("customer_references", "reference"), ("customer_tags", "tag"),
             ("customer_brands", "brand"))  # fmt: skip


def reindex_customer(id_expr: str, columns: str = _COLUMNS) -> str:
    """Statements (for a trigger body) that re-derive one customer's search rows."""
    return f"""
  INSERT INTO customer_words(customer_words, rowid, {columns})
    SELECT 'delete', rowid, {columns} FROM customer_fts WHERE rowid = {id_expr};
  DELETE FROM customer_fts WHERE rowid = {id_expr};
  INSERT INTO customer_fts(rowid, {columns})
    SELECT id, {columns} FROM customer_search_source WHERE id = {id_expr};
  INSERT INTO customer_words(rowid, {columns})
    SELECT rowid, {columns} FROM customer_fts WHERE rowid = {id_expr};"""


def _delete_trigger(columns: str) -> str:
    return f"""CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
  INSERT INTO customer_words(customer_words, rowid, {columns})
    SELECT 'delete', rowid, {columns} FROM customer_fts WHERE rowid = old.id;
  DELETE FROM customer_fts WHERE rowid = old.id;
END"""


def customer_search_triggers_v1() -> list[str]:
    """The triggers migration 1 made, for its six search columns (migration 11 replaces them)."""
    columns = ", ".join(V1_COLUMNS)
    watched = "name, email, phone, type_name, account_number"

    def reindex(id_expr: str) -> str:
        return reindex_customer(id_expr, columns)

    return [
        f"CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN"
        f"{reindex('new.id')}\nEND",
        _delete_trigger(columns),
        f"CREATE TRIGGER customers_search_update AFTER UPDATE OF {watched} ON customers BEGIN"
        f"{reindex('new.id')}\nEND",
        f"CREATE TRIGGER sites_search_insert AFTER INSERT ON sites BEGIN"
        f"{reindex('new.customer_id')}\nEND",
        f"CREATE TRIGGER sites_search_update AFTER UPDATE OF postal_code, customer_id ON sites BEGIN"
        f"{reindex('old.customer_id')}{reindex('new.customer_id')}\nEND",
        f"CREATE TRIGGER sites_search_delete AFTER DELETE ON sites BEGIN"
        f"{reindex('old.customer_id')}\nEND",
        f"CREATE TRIGGER refs_search_insert AFTER INSERT ON customer_references BEGIN"
        f"{reindex('new.customer_id')}\nEND",
        f"CREATE TRIGGER refs_search_delete AFTER DELETE ON customer_references BEGIN"
        f"{reindex('old.customer_id')}\nEND",
    ]


def customer_search_triggers() -> list[str]:
    """The triggers of every row a customer's search text is made from (migration 11 on)."""
    watched = ", ".join(WATCHED_CUSTOMER_COLUMNS)
    site_columns = "line1, city, state, postal_code, country, customer_id"
    out = [
        f"CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN"
        f"{reindex_customer('new.id')}\nEND",
        _delete_trigger(_COLUMNS),
        f"CREATE TRIGGER customers_search_update AFTER UPDATE OF {watched} ON customers BEGIN"
        f"{reindex_customer('new.id')}\nEND",
        f"CREATE TRIGGER sites_search_insert AFTER INSERT ON sites BEGIN"
        f"{reindex_customer('new.customer_id')}\nEND",
        f"CREATE TRIGGER sites_search_update AFTER UPDATE OF {site_columns} ON sites BEGIN"
        f"{reindex_customer('old.customer_id')}{reindex_customer('new.customer_id')}\nEND",
        f"CREATE TRIGGER sites_search_delete AFTER DELETE ON sites BEGIN"
        f"{reindex_customer('old.customer_id')}\nEND",
    ]
    for table, column in _CHILDREN:
        short = {"customer_references": "refs", "customer_tags": "tags"}.get(table, "brands")
        out += [
            f"CREATE TRIGGER {short}_search_insert AFTER INSERT ON {table} BEGIN"
            f"{reindex_customer('new.customer_id')}\nEND",
            f"CREATE TRIGGER {short}_search_update AFTER UPDATE OF {column}, customer_id "
            f"ON {table} BEGIN"
            f"{reindex_customer('old.customer_id')}{reindex_customer('new.customer_id')}\nEND",
            f"CREATE TRIGGER {short}_search_delete AFTER DELETE ON {table} BEGIN"
            f"{reindex_customer('old.customer_id')}\nEND",
        ]
    return out


def build_customer_search(conn: sqlite3.Connection) -> None:
    """Fill both search tables from scratch (after a bulk load, or a migration that changes
    their columns), in large segments."""
    _hashsize(conn, BULK_HASHSIZE)
    try:
        conn.execute("DELETE FROM customer_fts")
        conn.execute(
            f"INSERT INTO customer_fts(rowid, {_COLUMNS}) "
            f"SELECT id, {_COLUMNS} FROM customer_search_source ORDER BY id"
        )
        conn.execute("INSERT INTO customer_words(customer_words) VALUES ('delete-all')")
        conn.execute(
            f"INSERT INTO customer_words(rowid, {_COLUMNS}) "
            f"SELECT rowid, {_COLUMNS} FROM customer_fts ORDER BY rowid"
        )
    finally:
        _hashsize(conn, DEFAULT_HASHSIZE)


#: FTS5's in-memory limit before it writes a segment (its default), and the one for a bulk
#: reindex: 100,000 customers then make one segment per index instead of dozens, which
#: the background merging would take in all at once, in slow steps
DEFAULT_HASHSIZE = 1024 * 1024
BULK_HASHSIZE = 64 * 1024 * 1024
_BULK_FROM = 1000


def reindex_customers(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Re-derive the search rows of many customers in four set-wise statements (after a bulk
    write with the search triggers suspended; row by row costs ten times as much)."""
    if not ids:
        return
    bulk = len(ids) >= _BULK_FROM
    if bulk:
        _hashsize(conn, BULK_HASHSIZE)
    try:
        _reindex(conn, ids)
    finally:
        if bulk:
            _hashsize(conn, DEFAULT_HASHSIZE)


def _hashsize(conn: sqlite3.Connection, size: int) -> None:
    for table in ("customer_fts", "customer_words"):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (size,))


def _reindex(conn: sqlite3.Connection, ids: list[int]) -> None:
    chosen = "IN (SELECT value FROM json_each(?))"
    args = (json.dumps(sorted(set(ids))),)
    conn.execute(
        f"INSERT INTO customer_words(customer_words, rowid, {_COLUMNS}) "
        f"SELECT 'delete', rowid, {_COLUMNS} FROM customer_fts WHERE rowid {chosen}",
        args,
    )
    conn.execute(f"DELETE FROM customer_fts WHERE rowid {chosen}", args)
    conn.execute(
        f"INSERT INTO customer_fts(rowid, {_COLUMNS}) "
        f"SELECT id, {_COLUMNS} FROM customer_search_source WHERE id {chosen} ORDER BY id",
        args,
    )
    conn.execute(
        f"INSERT INTO customer_words(rowid, {_COLUMNS}) "
        f"SELECT rowid, {_COLUMNS} FROM customer_fts WHERE rowid {chosen} ORDER BY rowid",
        args,
    )


def suspend_customer_search(conn: sqlite3.Connection) -> list[str]:
    """Drop the triggers that keep customer search in step; return their SQL to restore.

    Called inside the caller's write transaction, so no other connection ever sees them
    missing. A bulk write then re-derives the search rows set-wise, in rowid order: row by
    row, FTS5 flushes a segment whenever a rowid repeats or goes back, and the merges that
    follow cost seconds on a million customers.
    On PostgreSQL there are none (its trigram indexes follow the rows): nothing to do.
    """
    if is_postgres(conn):
        return []
    return drop_triggers(conn, "sql LIKE '%customer_fts%'")


def drop_triggers(conn: sqlite3.Connection, where: str, args: tuple[str, ...] = ()) -> list[str]:
    """Drop the triggers matching ``where`` (SQL over ``sqlite_master``); return the
    statements that put them back exactly as they were."""
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND {where}", args
    ).fetchall()
    for name, _sql in found:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in found]


def resume_customer_search(conn: sqlite3.Connection, triggers: list[str], ids: list[int]) -> None:
    """Re-derive the search rows of ``ids`` (removed for customers that are gone) and put the
    triggers back."""
    if is_postgres(conn):
        return
    reindex_customers(conn, ids)
    for sql in triggers:
        conn.execute(sql)
