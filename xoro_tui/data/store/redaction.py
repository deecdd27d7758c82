"""Card numbers stored in the database: find them (``check``) and mask them (``redact``).

Every text column of every table is searched, the audit log included; JSON texts (audit
changes, merge and batch journals, form drafts, saved reports) are walked so that the
fields where a long digit run is legitimate (phone, postal code, mandate reference: see
:data:`CARD_EXEMPT_FIELDS`) are left alone there too. Keys (account, refund and document
numbers) are not searched: they are codes, not free text. A finding names the table, the
row and the field, never the number.

A redaction masks each number to ``••••`` and its last four digits, moves the version of
a row that has one (an open form on it is then stale), and writes an audit row per masked
field. The audit log's update trigger (migration 7) allows exactly this change.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from xoro_tui.data.models.validators import (
    CARD_EXEMPT_FIELDS,
    looks_like_card_number,
    mask_card_numbers,
)
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import is_postgres, write_tx
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.schema_info import schema_of, user_tables

#: code columns: identifiers and bank account numbers, not free text
_KEYS = frozenset(
    {"account_number", "refund_number", "number", "record_key", "table_name", "bank_account"}
)
#: a cheap SQL filter every card number passes (and no date or time): four digits, the
#: first 2–6, then a digit or one separator, then four more digits
_GLOB = "*[2-6][0-9][0-9][0-9][0-9 .-][0-9][0-9][0-9][0-9]*"


@dataclass(frozen=True)
class Finding:
    table: str
    row: str
    field: str

    def line(self) -> str:
        return f"card number stored in {self.table}, row {self.row}, field {self.field}"


@dataclass
class RedactReport:
    masked: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    name: str
    key: tuple[str, ...]  # ("rowid",) or the primary key of a WITHOUT ROWID table
    columns: tuple[str, ...]
    versioned: bool
    stamped: bool


def _tables(conn: sqlite3.Connection) -> list[_Table]:
    """The searchable tables, parents before the tables that refer to them, the audit log
    last (a redaction writes to it)."""
    tables = {t.name: t for t in user_tables(schema_of(conn))}
    found: dict[str, _Table] = {}
    for name, table in tables.items():
        info = table.columns
        columns = tuple(
            c.name
            for c in info
            if (c.type or "").upper() in ("TEXT", "")
            and c.name not in CARD_EXEMPT_FIELDS
            and c.name not in _KEYS
        )
        if not columns:
            continue
        without_rowid = "WITHOUT ROWID" in (table.schema or "").upper()
        # PostgreSQL has no rowid: every table there is found by its primary key
        key = tuple(table.pks) if without_rowid or is_postgres(conn) else ()
        names = [c.name for c in info]
        found[name] = _Table(
            name, key or ("rowid",), columns, "version" in names, "updated_at" in names
        )
    ordered: list[_Table] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in found:
            return
        seen.add(name)
        for parent in {key.other_table for key in tables[name].foreign_keys}:
            visit(parent)
        ordered.append(found[name])

    for name in sorted(found):
        if name != "audit_log":
            visit(name)
    if "audit_log" in found:
        ordered.append(found["audit_log"])
    return ordered


def _mask_value(value: Any, key: str | None = None) -> tuple[Any, int]:
    """``value`` with card numbers masked; JSON structures walked, exempt keys skipped."""
    if key in CARD_EXEMPT_FIELDS or key in _KEYS:
        return value, 0
    if isinstance(value, str):
        return mask_card_numbers(value)
    if isinstance(value, list):
        total, out = 0, []
        for item in value:
            masked, count = _mask_value(item, key)
            out.append(masked)
            total += count
        return out, total
    if isinstance(value, dict):
        total, mapped = 0, {}
        for name, item in value.items():
            masked, count = _mask_value(item, str(name))
            mapped[name] = masked
            total += count
        return mapped, total
    return value, 0


def mask_text(text: str) -> tuple[str, int]:
    """A stored text with its card numbers masked (a JSON text stays valid JSON)."""
    if not looks_like_card_number(text):
        return text, 0
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict | list):
            masked, count = _mask_value(parsed)
            return (json.dumps(masked, ensure_ascii=False), count) if count else (text, 0)
    return mask_card_numbers(text)


def _candidates(conn: sqlite3.Connection, table: _Table) -> list[tuple[tuple, str, str]]:
    """(key, column, text) of every cell holding a card number: one scan of the table."""
    keys = [f'"{k}"' if k != "rowid" else "rowid" for k in table.key]
    cells = [f'"{c}"' for c in table.columns]
    where = " OR ".join(f"{c} GLOB :glob" for c in cells)
    out: list[tuple[tuple, str, str]] = []
    rows = conn.execute(
        f'SELECT {", ".join(keys + cells)} FROM "{table.name}" WHERE {where}', {"glob": _GLOB}
    )
    width = len(keys)
    for row in rows:
        key = tuple(row[:width])
        for column, text in zip(table.columns, row[width:], strict=True):
            if isinstance(text, str) and mask_text(text)[1]:
                out.append((key, column, text))
    return out


def _row_name(key: tuple) -> str:
    """The row's key as text; a key that is itself text (a tag) is shown masked."""
    return mask_card_numbers("/".join(str(k) for k in key))[0]


#: the key an audit row names a record by, where it is not the row id
_AUDIT_KEY = {"customers": "account_number", "refunds": "refund_number"}


def _audit_key(conn: sqlite3.Connection, table: _Table, key: tuple) -> str:
    column = _AUDIT_KEY.get(table.name)
    # the row id: SQLite's rowid, or the ``id`` key PostgreSQL finds every such row by
    if column and table.key in (("rowid",), ("id",)):
        where = "rowid" if table.key == ("rowid",) else '"id"'
        row = conn.execute(f'SELECT "{column}" FROM "{table.name}" WHERE {where} = ?', key)
        found = row.fetchone()
        if found:
            return str(found[0])
    return _row_name(key)


def find_card_numbers(db: sqlite_utils.Database) -> list[Finding]:
    """Every stored card number, as (table, row, field): never the number itself."""
    conn = db.conn
    return [
        Finding(table.name, _row_name(key), column)
        for table in _tables(conn)
        for key, column, _ in _candidates(conn, table)
    ]


def _check_admin(db: sqlite_utils.Database, user: str) -> None:
    from xoro_tui.data.store.users import UserRepository

    users = UserRepository(db)
    if users.single_user_mode():
        return
    role = users.role_of(user)
    if role != "admin":
        who = f"{user} is a {role}" if role else f"{user} has no role"
        raise Refused(f"redact is refused: it needs an admin ({who})")


def redact(db: sqlite_utils.Database, user: str | None = None) -> RedactReport:
    """Mask every stored card number in one transaction (an admin only, with roles)."""
    user = user or os_user()
    _check_admin(db, user)
    report = RedactReport()
    with write_tx(db) as conn:
        stamp = now_iso()
        for table in _tables(conn):
            where = " AND ".join(f'"{k}" = ?' if k != "rowid" else "rowid = ?" for k in table.key)
            for key, column, text in _candidates(conn, table):
                current = conn.execute(
                    f'SELECT "{column}" FROM "{table.name}" WHERE {where}', key
                ).fetchone()
                if current is None or current[0] != text:
                    continue  # moved by an ON UPDATE CASCADE of a parent already masked
                masked, _ = mask_text(text)
                finding = Finding(table.name, _row_name(key), column)
                changes = {column: ("a card number", "masked to its last 4 digits")}
                extra = ", version = version + 1" if table.versioned else ""
                extra += ", updated_at = ?" if table.stamped else ""
                args = (masked, *((stamp,) if table.stamped else ()), *key)
                conn.execute("SAVEPOINT redact_cell")
                try:
                    record_key = _audit_key(conn, table, key)
                    audit.record(conn, table.name, record_key, "redact", changes, user=user)
                    conn.execute(
                        f'UPDATE "{table.name}" SET "{column}" = ?{extra} WHERE {where}', args
                    )
                except sqlite3.IntegrityError as exc:
                    conn.execute("ROLLBACK TO redact_cell")
                    conn.execute("RELEASE redact_cell")
                    report.problems.append(f"{finding.line()}: not masked ({exc})")
                    continue
                conn.execute("RELEASE redact_cell")
                report.masked.append(finding)
    return report
