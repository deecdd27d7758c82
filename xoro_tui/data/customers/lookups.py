"""Lookup lists (customer types, sales reps, terms, …): created on first use, matched in any case."""

from __future__ import annotations

import sqlite3

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
