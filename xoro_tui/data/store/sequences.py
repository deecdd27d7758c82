"""Numbering: documents per type, refunds, and account numbers that are never reused."""

from __future__ import annotations

import sqlite3


def take(conn: sqlite3.Connection, name: str, start: int = 1) -> int:
    """Take the next number of a sequence (inside the caller's write transaction)."""
    conn.execute(
        "INSERT INTO sequences(name, next_value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
        (name, start),
    )
    # the UPDATE first: on PostgreSQL it locks the row until the commit, so writers on other
    # servers wait here instead of reading the same number (SQLite's BEGIN IMMEDIATE
    # already lets one writer in at a time)
    conn.execute("UPDATE sequences SET next_value = next_value + 1 WHERE name = ?", (name,))
    row = conn.execute("SELECT next_value - 1 FROM sequences WHERE name = ?", (name,))
    return int(row.fetchone()[0])


def move_past(conn: sqlite3.Connection, name: str, used: int) -> None:
    """Make sure the sequence never hands out ``used`` again."""
    conn.execute(
        "INSERT INTO sequences(name, next_value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET next_value = max(sequences.next_value, excluded.next_value)",
        (name, used + 1),
    )


def next_account_number(conn: sqlite3.Connection) -> str:
    """A fresh ``C-nnnnnn`` that no customer (active, deleted or merged) has ever had."""
    while True:
        candidate = f"C-{take(conn, 'account_number', 100000):06d}"
        if not conn.execute(
            "SELECT 1 FROM customers WHERE account_number = ?", (candidate,)
        ).fetchone():
            return candidate
