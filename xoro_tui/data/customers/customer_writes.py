"""Writing one customer with everything hanging off it (lookups, tags, brands, references,
default ship-to site). Shared by the form's save, Duplicate, the import and the merge;
callers own the transaction and the audit row."""

from __future__ import annotations

import sqlite3
from typing import Any

from xoro_tui.data.customers import lookups
from xoro_tui.data.models.choices import MandateStatus, PortalStatus
from xoro_tui.data.models.entities import CUSTOMER_LOOKUP_FIELDS, CustomerIn
from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.rows import fetch_one, inserted_id

#: customer fields stored as columns of the customers table
COLUMN_FIELDS: tuple[str, ...] = tuple(
    f
    for f in CustomerIn.model_fields
    if f not in {"tags", "brands", "references"} and not f.startswith("ship_to_")
)


def column_values(conn: sqlite3.Connection, data: CustomerIn) -> dict[str, Any]:
    """The customers-table values of ``data``, with lookups created and spelled as stored."""
    values: dict[str, Any] = {}
    for field in COLUMN_FIELDS:
        value = getattr(data, field)
        if field in CUSTOMER_LOOKUP_FIELDS:
            value = lookups.ensure(conn, CUSTOMER_LOOKUP_FIELDS[field], value)
        elif isinstance(value, bool):
            value = int(value)
        elif isinstance(value, PortalStatus | MandateStatus):
            value = value.value
        elif value is not None and not isinstance(value, str | int):
            value = str(value)
        values[field] = value
    return values


def snapshot(conn: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    """Every field of a stored customer as the import names them (for diffs and undo)."""
    out = fetch_one(conn, "SELECT * FROM customers WHERE id = ?", (customer_id,))
    if out is None:
        return {}
    site = fetch_one(
        conn,
        "SELECT line1, line2, city, state, postal_code, country FROM sites "
        "WHERE customer_id = ? AND is_default = 1",
        (customer_id,),
    )
    for key in ("line1", "line2", "city", "state", "postal_code", "country"):
        out[f"ship_to_{key}"] = site[key] if site else None
    out["tags"] = _multi(conn, "customer_tags", "tag", customer_id)
    out["brands"] = _multi(conn, "customer_brands", "brand", customer_id)
    out["references"] = _multi(conn, "customer_references", "reference", customer_id)
    return out


def _multi(conn: sqlite3.Connection, table: str, column: str, customer_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            f"SELECT {column} FROM {table} WHERE customer_id = ? ORDER BY {column} COLLATE NOCASE",
            (customer_id,),
        )
    ]


def set_multi(conn: sqlite3.Connection, customer_id: int, field: str, values: list[str]) -> None:
    """Replace a customer's tags, brands or references."""
    table, column, lookup = {
        "tags": ("customer_tags", "tag", "tags"),
        "brands": ("customer_brands", "brand", "brands"),
        "references": ("customer_references", "reference", None),
    }[field]
    current = set(_multi(conn, table, column, customer_id))
    wanted = [lookups.ensure(conn, lookup, v) if lookup else v for v in values]
    for gone in current - set(wanted):
        conn.execute(
            f"DELETE FROM {table} WHERE customer_id = ? AND {column} = ?", (customer_id, gone)
        )
    for value in wanted:
        if value not in current:
            conn.execute(
                f"INSERT OR IGNORE INTO {table}(customer_id, {column}) VALUES (?, ?)",
                (customer_id, value),
            )


def set_default_site(conn: sqlite3.Connection, customer_id: int, data: CustomerIn) -> None:
    """The import's and the form's ship-to fields fill the customer's default site."""
    address = data.ship_to
    row = conn.execute(
        "SELECT id, line1, line2, city, state, postal_code, country FROM sites "
        "WHERE customer_id = ? AND is_default = 1",
        (customer_id,),
    ).fetchone()
    fields = address.model_dump()
    if row is None:
        if address.is_empty():
            return
        conn.execute(
            "INSERT INTO sites(customer_id, name, line1, line2, city, state, postal_code, country,"
            " is_default, created_at) VALUES (?, 'Default', ?, ?, ?, ?, ?, ?, 1, ?)",
            (customer_id, *fields.values(), now_iso()),
        )
        return
    if tuple(row[1:]) != tuple(fields.values()):
        conn.execute(
            "UPDATE sites SET line1 = ?, line2 = ?, city = ?, state = ?, postal_code = ?,"
            " country = ?, version = version + 1 WHERE id = ?",
            (*fields.values(), row[0]),
        )


def insert_customer(conn: sqlite3.Connection, data: CustomerIn) -> int:
    values = column_values(conn, data)
    stamp = now_iso()
    columns = ", ".join([*values, "created_at", "updated_at"])
    marks = ", ".join("?" * (len(values) + 2))
    cursor = conn.execute(
        f"INSERT INTO customers({columns}) VALUES ({marks})", (*values.values(), stamp, stamp)
    )
    customer_id = inserted_id(cursor)
    write_children(conn, customer_id, data)
    return customer_id


def update_customer(conn: sqlite3.Connection, customer_id: int, data: CustomerIn) -> None:
    values = column_values(conn, data)
    assignments = ", ".join(f"{k} = ?" for k in values)
    conn.execute(
        f"UPDATE customers SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?",
        (*values.values(), now_iso(), customer_id),
    )
    write_children(conn, customer_id, data)


def write_children(conn: sqlite3.Connection, customer_id: int, data: CustomerIn) -> None:
    set_default_site(conn, customer_id, data)
    set_multi(conn, customer_id, "tags", data.tags)
    set_multi(conn, customer_id, "brands", data.brands)
    set_multi(conn, customer_id, "references", data.references)
