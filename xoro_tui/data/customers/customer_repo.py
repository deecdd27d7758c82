"""The customer repository: read one, create, save with a version check, delete, restore."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import sqlite_utils
from pydantic import ValidationError

from xoro_tui.data.customers.customer_writes import insert_customer, snapshot, update_customer
from xoro_tui.data.models.entities import Card, CardIn, Customer, CustomerIn, Site
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound, Refused, StaleEdit
from xoro_tui.data.store.rows import inserted_id
from xoro_tui.data.store.sequences import next_account_number

TABLE = "customers"


def _customer(conn: sqlite3.Connection, customer_id: int) -> Customer:
    data = snapshot(conn, customer_id)
    if not data:
        raise NotFound(f"customer {customer_id} does not exist")
    fields = _for_model(data)
    try:
        return Customer.model_validate(fields)
    except ValidationError as exc:
        return _as_stored(fields, exc)


_TEXT = (str, str | None, list[str])


def _as_stored(fields: dict[str, Any], exc: ValidationError) -> Customer:
    """An older row may hold what today's input rules refuse (a control character, an
    email the check rejects): read its text as stored, so it can be shown and corrected
    (saving it again applies the rules); a value of another type that fails is dropped."""
    bad = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")}
    stand_in = {f: "?" if Customer.model_fields[f].is_required() else None for f in bad}
    customer = Customer.model_validate({**fields, **stand_in})
    raw = {f: fields[f] for f in bad if Customer.model_fields[f].annotation in _TEXT}
    return customer.model_copy(update=raw)


def _for_model(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None or k in {"tags", "brands", "references"}}


def reserved_reason(conn: sqlite3.Connection, account_number: str) -> str | None:
    """Why an account number cannot be reused: ``merged into X`` or ``deleted; restore it first``."""
    row = conn.execute(
        "SELECT c.state, p.account_number FROM customers c "
        "LEFT JOIN customers p ON p.id = c.merged_into WHERE c.account_number = ?",
        (account_number,),
    ).fetchone()
    if row is None or row[0] == "active":
        return None
    if row[0] == "merged":
        return f"merged into {row[1]}"
    return "deleted; restore it first"


class CustomerRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def get(self, customer_id: int) -> Customer:
        return _customer(self.conn, customer_id)

    def find_by_account(self, account_number: str) -> Customer | None:
        row = self.conn.execute(
            "SELECT id FROM customers WHERE account_number = ?", (account_number,)
        ).fetchone()
        return _customer(self.conn, row[0]) if row else None

    def create(self, data: CustomerIn) -> Customer:
        with write_tx(self.db) as conn:
            exists = conn.execute(
                "SELECT state FROM customers WHERE account_number = ?", (data.account_number,)
            ).fetchone()
            if exists:
                reason = reserved_reason(conn, data.account_number) or "already used"
                raise Invalid("account_number", reason)
            customer_id = insert_customer(conn, data)
            after = snapshot(conn, customer_id)
            audit.record(conn, TABLE, data.account_number, "insert", audit.diff({}, after))
            return _customer(conn, customer_id)

    def update(self, customer_id: int, version: int, data: CustomerIn) -> Customer:
        """Save a form: refused with :class:`StaleEdit` when someone saved in between."""
        with write_tx(self.db) as conn:
            before = snapshot(conn, customer_id)
            if not before or before["state"] != "active":
                raise NotFound("this customer was deleted or merged by someone else")
            if before["version"] != version:
                raise StaleEdit(
                    "changed by someone else since you opened it; reload to see their changes",
                    changes_since(
                        conn, TABLE, before["account_number"], before["version"] - version
                    ),
                )
            if data.account_number.casefold() != before["account_number"].casefold():
                taken = conn.execute(
                    "SELECT 1 FROM customers WHERE account_number = ? AND id != ?",
                    (data.account_number, customer_id),
                ).fetchone()
                if taken:
                    raise Invalid(
                        "account_number",
                        reserved_reason(conn, data.account_number) or "already used",
                    )
            update_customer(conn, customer_id, data)
            after = snapshot(conn, customer_id)
            audit.record(conn, TABLE, after["account_number"], "update", audit.diff(before, after))
            return _customer(conn, customer_id)

    def duplicate(self, customer_id: int) -> Customer:
        """A copy as a new customer with a new account number."""
        with write_tx(self.db) as conn:
            source = _customer(conn, customer_id)
            fields = source.model_dump(include=set(CustomerIn.model_fields))
            fields["account_number"] = next_account_number(conn)
            fields["name"] = f"{source.name} (copy)"[:255]
            copy = CustomerIn.model_validate(fields)
            new_id = insert_customer(conn, copy)
            audit.record(
                conn,
                TABLE,
                copy.account_number,
                "insert",
                {"duplicated_from": (None, source.account_number)},
            )
            return _customer(conn, new_id)

    def delete(self, customer_id: int, version: int) -> None:
        """Move a customer out of the Centre; it stays restorable."""
        with write_tx(self.db) as conn:
            row = conn.execute(
                "SELECT account_number, version, state FROM customers WHERE id = ?",
                (customer_id,),
            ).fetchone()
            if row is None or row[2] != "active":
                raise NotFound("this customer was already deleted or merged")
            if row[1] != version:
                raise StaleEdit("changed by someone else since you looked; refresh and try again")
            stamp = now_iso()
            conn.execute(
                "UPDATE customers SET state = 'deleted', deleted_at = ?, updated_at = ?,"
                " version = version + 1 WHERE id = ?",
                (stamp, stamp, customer_id),
            )
            audit.record(conn, TABLE, row[0], "delete", {"state": ("active", "deleted")})

    def restore(self, customer_id: int) -> None:
        with write_tx(self.db) as conn:
            row = conn.execute(
                "SELECT account_number, state FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
            if row is None or row[1] != "deleted":
                raise Refused("only a deleted customer can be restored")
            conn.execute(
                "UPDATE customers SET state = 'active', deleted_at = NULL, updated_at = ?,"
                " version = version + 1 WHERE id = ?",
                (now_iso(), customer_id),
            )
            audit.record(conn, TABLE, row[0], "restore", {"state": ("deleted", "active")})

    def related_counts(self, customer_id: int) -> dict[str, int]:
        """What goes with a customer: documents by type, refunds, cards, sites, messages."""
        conn = self.conn
        out: dict[str, int] = {}
        for doc_type, count in conn.execute(
            "SELECT doc_type, count(*) FROM documents WHERE customer_id = ? GROUP BY doc_type",
            (customer_id,),
        ):
            out[doc_type] = count
        for label, table in (
            ("refunds", "refunds"),
            ("saved_cards", "saved_cards"),
            ("sites", "sites"),
            ("communications", "communications"),
        ):
            out[label] = conn.execute(
                f"SELECT count(*) FROM {table} WHERE customer_id = ?", (customer_id,)
            ).fetchone()[0]
        return out

    def sites(self, customer_id: int) -> list[Site]:
        rows = self.db.query(
            "SELECT * FROM sites WHERE customer_id = ? ORDER BY is_default DESC, id",
            (customer_id,),
        )
        return [Site.model_validate({k: v for k, v in r.items() if v is not None}) for r in rows]

    def cards(self, customer_id: int) -> list[Card]:
        rows = self.db.query(
            "SELECT * FROM saved_cards WHERE customer_id = ? ORDER BY exp_year, exp_month",
            (customer_id,),
        )
        return [Card.model_validate({k: v for k, v in r.items() if v is not None}) for r in rows]

    def add_card(self, customer_id: int, card: CardIn) -> Card:
        with write_tx(self.db) as conn:
            account = conn.execute(
                "SELECT account_number FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
            if account is None:
                raise NotFound("customer does not exist")
            cursor = conn.execute(
                "INSERT INTO saved_cards(customer_id, brand, last4, exp_month, exp_year,"
                " cardholder, provider_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    customer_id,
                    card.brand,
                    card.last4,
                    card.exp_month,
                    card.exp_year,
                    card.cardholder,
                    card.provider_token,
                    now_iso(),
                ),
            )
            audit.record(
                conn,
                "saved_cards",
                account[0],
                "insert",
                {
                    "card": (
                        None,
                        f"{card.brand} …{card.last4} {card.exp_month:02d}/{card.exp_year}",
                    )
                },
            )
            card_id = inserted_id(cursor)
        return next(c for c in self.cards(customer_id) if c.id == card_id)

    def next_account_number(self) -> str:
        with write_tx(self.db) as conn:
            return next_account_number(conn)


def changes_since(conn: sqlite3.Connection, table: str, record_key: str, edits: int) -> list[str]:
    """Readable lines of the last ``edits`` changes others saved on a record, oldest first."""
    rows = conn.execute(
        "SELECT at, user, changes FROM audit_log WHERE table_name = ? AND record_key = ? "
        "ORDER BY id DESC LIMIT ?",
        (table, record_key, max(edits, 1)),
    ).fetchall()
    lines: list[str] = []
    for at, user, changes in reversed(rows):
        for field, (old, new) in json.loads(changes).items():
            lines.append(f"{at[:16].replace('T', ' ')} {user}: {field} {old!r} → {new!r}")
    return lines
