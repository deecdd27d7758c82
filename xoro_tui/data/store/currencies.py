"""The ``currencies`` table: each ISO 4217 code's exponent, for SQL that needs it.

``data/models/money.py`` is the source of truth; this table is its copy in the database,
so a query (the Refund Centre's amount filter) and the ``sqlite3`` shell see the same
exponents. Migration 15 creates it; when money.py's table changes, add a migration that
calls :func:`sync_currencies` again.

Where SQLite allows no subquery (a generated column: ``customer_money.minor_units``), the
same table is written into the SQL as a ``CASE`` by :func:`minor_units_case`, so it too
comes from money.py and is never copied by hand.
"""

from __future__ import annotations

import sqlite3

from xoro_tui.data.models import money
from xoro_tui.data.models.money import EXPONENTS

CREATE_SQL = (
    "CREATE TABLE IF NOT EXISTS currencies ("
    " code TEXT PRIMARY KEY,"
    " exponent INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 4),"
    # 10 ** exponent: SQLite has no power function in every build
    " minor_units INTEGER NOT NULL CHECK (minor_units = CASE exponent WHEN 0 THEN 1"
    " WHEN 1 THEN 10 WHEN 2 THEN 100 WHEN 3 THEN 1000 ELSE 10000 END)"
    ") WITHOUT ROWID"
)


def major_units_sql(amount: str, currency: str) -> str:
    """SQL for the ``amount`` column (minor units) of ``currency`` in major units, as REAL;
    a code the table does not hold counts in hundredths."""
    return (
        f"({amount} / COALESCE((SELECT CAST(c.minor_units AS REAL) FROM currencies c"
        f" WHERE c.code = {currency}), 100.0))"
    )


def minor_units_case(currency: str) -> str:
    """SQL for one major unit of ``currency`` in minor units, as REAL, from money.py's
    exponents (a code money.py does not know counts in hundredths), written out as a
    ``CASE`` for where the ``currencies`` table cannot be read."""
    by_places: dict[int, list[str]] = {}
    for code, places in money.EXPONENTS.items():
        by_places.setdefault(places, []).append(code)
    whens = [
        f"WHEN {currency} IN ({','.join(repr(code) for code in sorted(codes))})"
        f" THEN {float(10**places)!r}"
        for places, codes in sorted(by_places.items())
        if places != 2
    ]
    return f"(CASE {' '.join(whens)} ELSE 100.0 END)"


def sync_currencies(conn: sqlite3.Connection) -> None:
    """Make the table hold exactly money.py's exponents (inside the caller's transaction)."""
    conn.execute(CREATE_SQL)
    conn.executemany(
        "INSERT INTO currencies(code, exponent, minor_units) VALUES (?, ?, ?)"
        " ON CONFLICT(code) DO UPDATE SET exponent = excluded.exponent,"
        " minor_units = excluded.minor_units",
        [(code, places, 10**places) for code, places in EXPONENTS.items()],
    )
    placeholders = ", ".join("?" * len(EXPONENTS))
    conn.execute(f"DELETE FROM currencies WHERE code NOT IN ({placeholders})", list(EXPONENTS))
