"""What the database holds, read through sqlite-utils' introspection.

``check`` (the protections it looks for), ``redact`` (every text column of every table)
and the lookup clean-up (which tables refer to a lookup) ask what tables, columns, keys
and triggers exist; sqlite-utils answers that from ``sqlite_master`` and the ``PRAGMA``
tables, so none of them walks the catalogue by hand.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils


def schema_of(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over an open connection (also inside a write transaction): it sets no
    pragma on the connection and runs no plugin."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


#: PostgreSQL's search text (search/pg_search_doc.py): derived from the customers by
#: triggers, as SQLite's FTS5 tables are, and left out with them
SEARCH_TEXT_TABLES = ("customer_search",)


def user_tables(schema: sqlite_utils.Database) -> list[sqlite_utils.db.Table]:
    """Every table of the application: not SQLite's own, not a virtual table, not a
    virtual table's shadow tables (``customer_fts_data`` beside ``customer_fts``), not
    PostgreSQL's search text."""
    tables = [
        schema.table(n)
        for n in schema.table_names()
        if not n.startswith("sqlite_") and n not in SEARCH_TEXT_TABLES
    ]
    virtual = [t.name for t in tables if t.virtual_table_using]
    return [
        t
        for t in tables
        if t.name not in virtual and not any(t.name.startswith(f"{v}_") for v in virtual)
    ]


def trigger_names(schema: sqlite_utils.Database) -> set[str]:
    return {trigger.name for trigger in schema.triggers}


def referrers(schema: sqlite_utils.Database, table: str) -> list[tuple[str, str]]:
    """(table, column) of every foreign key that points at ``table``."""
    return [
        (other.name, column)
        for other in user_tables(schema)
        for key in other.foreign_keys
        if key.other_table == table
        for column in key.columns
    ]
