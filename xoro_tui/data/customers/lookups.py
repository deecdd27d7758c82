"""Lookup lists (customer types, sales reps, terms, …): created on first use, matched in any case."""

from __future__ import annotations

import sqlite3

from xoro_tui.data.store.schema_info import referrers as referrers_of
from xoro_tui.data.store.schema_info import schema_of

LOOKUP_TABLES: dict[str, str] = {
    "customer_types": "Customer Types",
    "sales_reps": "Sales Reps",
    "payment_terms": "Payment Terms",
    "customer_groups": "Customer Groups",
    "order_types": "Order Types",
    "shipping_terms": "Shipping Terms",
    "payment_methods": "Payment Methods",
    "tags": "Tags",
    "brands": "Brands",
}


def ensure(conn: sqlite3.Connection, table: str, name: str | None) -> str | None:
    """The stored spelling of ``name`` in a lookup table, adding it when it is new."""
    if name is None:
        return None
    if table not in LOOKUP_TABLES:
        raise ValueError(f"not a lookup table: {table}")
    conn.execute(f"INSERT INTO {table}(name) VALUES (?) ON CONFLICT(name) DO NOTHING", (name,))
    row = conn.execute(f"SELECT name FROM {table} WHERE name = ?", (name,)).fetchone()
    return row[0]


def names(conn: sqlite3.Connection, table: str) -> list[str]:
    if table not in LOOKUP_TABLES:
        raise ValueError(f"not a lookup table: {table}")
    return [r[0] for r in conn.execute(f"SELECT name FROM {table} ORDER BY name COLLATE NOCASE")]


def exists(conn: sqlite3.Connection, table: str, name: str) -> bool:
    if table not in LOOKUP_TABLES:
        raise ValueError(f"not a lookup table: {table}")
    return conn.execute(f"SELECT 1 FROM {table} WHERE name = ?", (name,)).fetchone() is not None


def remove_unused(conn: sqlite3.Connection, table: str, values: list[str]) -> list[str]:
    """Delete the values that no row refers to any more; returns those deleted."""
    if table not in LOOKUP_TABLES:
        raise ValueError(f"not a lookup table: {table}")
    referrers = referrers_of(schema_of(conn), table)
    removed: list[str] = []
    for value in values:
        used = any(
            conn.execute(f'SELECT 1 FROM "{t}" WHERE "{c}" = ? LIMIT 1', (value,)).fetchone()
            for t, c in referrers
        )
        if not used and conn.execute(f"DELETE FROM {table} WHERE name = ?", (value,)).rowcount:
            removed.append(value)
    return removed
