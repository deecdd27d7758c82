"""The Credit Card Report: saved cards of customers in the Centre, and dated saved snapshots.

Only brand, last 4 digits, expiry and cardholder are ever shown or saved; a saved report
whose cells look like a full card number is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from xoro_tui.data.models.validators import looks_like_card_number
from xoro_tui.data.search.list_query import FieldDef, Filter, ListSpec, fields_by_key, like_escape
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound
from xoro_tui.data.store.rows import inserted_id

KIND = "card_report"
EXPIRED = "Expired"
EXPIRING = "Expires within 30 days"
VALID = "Valid"

#: a card is good through the last day of its expiry month
_LAST_DAY = "date(printf('%04d-%02d-01', k.exp_year, k.exp_month), '+1 month', '-1 day')"
_STATUS = (
    f"(CASE WHEN {_LAST_DAY} < date('now', 'localtime') THEN '{EXPIRED}' "
    f"WHEN {_LAST_DAY} < date('now', 'localtime', '+30 days') THEN '{EXPIRING}' "
    f"ELSE '{VALID}' END)"
)
_EXPIRY = "printf('%02d/%04d', k.exp_month, k.exp_year)"


FIELDS: dict[str, FieldDef] = fields_by_key(
    FieldDef("customer_name", "Customer Name", "c.name", width=30, not_null=True,
             sort_sql="c.name COLLATE NOCASE"),
    FieldDef("account_number", "Account #", "c.account_number", width=11, not_null=True,
             sort_sql="c.account_number COLLATE NOCASE"),
    FieldDef("brand", "Card Brand", "k.brand", kind="lookup", width=12, not_null=True),
    FieldDef("last4", "Last 4", "k.last4", width=6, not_null=True),
    FieldDef("expiry", "Expiry", _EXPIRY, width=7, not_null=True,
             sort_sql="(k.exp_year * 100 + k.exp_month)"),
    FieldDef("expiration_status", "Expiration Status", _STATUS, kind="lookup", width=22,
             not_null=True, sort_sql="(k.exp_year * 100 + k.exp_month)"),
    FieldDef("cardholder", "Cardholder", "k.cardholder", width=24),
)  # fmt: skip

DEFAULT_COLUMNS: tuple[str, ...] = tuple(FIELDS)
SEARCH_FIELDS: dict[str, str] = {"any": "Any Column", **{k: f.title for k, f in FIELDS.items()}}


def search_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """Contains, in any case, over one column or all of them; the text is always data."""
    text = term.strip()
    if not text:
        return None
    keys = [field] if field in FIELDS else list(FIELDS)
    pattern = f"%{like_escape(text)}%"
    likes = " OR ".join(f"{FIELDS[k].sql} LIKE ? ESCAPE '\\'" for k in keys)
    return (f"({likes})", [pattern] * len(keys))


def extras_sql(flt: Filter) -> tuple[list[str], list[Any]]:
    """``ids``: only the checked customers; ``status``: one expiration status."""
    parts: list[str] = []
    args: list[Any] = []
    ids = flt.extra("ids")
    if ids:
        parts.append("c.id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps([int(i) for i in ids]))
    status = flt.extra("status")
    if status:
        parts.append(f"{_STATUS} = ?")
        args.append(status)
    return parts, args


def card_report_spec() -> ListSpec:
    return ListSpec(
        name="card_report",
        from_sql="saved_cards k JOIN customers c ON c.id = k.customer_id",
        key_sql="k.id",
        base_where="c.state = 'active'",
        fields=FIELDS,
        search=search_sql,
        extras=extras_sql,
        default_sort="customer_name",
    )


@dataclass
class SavedReport:
    id: int
    name: str
    user: str
    created_at: str
    settings: dict[str, Any]
    rows: list[list[str]]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def save_report(
    db: sqlite_utils.Database, name: str, settings: dict[str, Any], rows: list[list[str]]
) -> int:
    """Keep a dated snapshot of the report as shown (its settings and its rows)."""
    name = name.strip()
    if not name:
        raise Invalid("name", "give the report a name")
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if any(looks_like_card_number(v) for row in cells for v in row):
        raise Invalid("rows", "a cell looks like a full card number; only the last 4 are saved")
    with write_tx(db) as conn:
        report_id = inserted_id(conn.execute(
            "INSERT INTO saved_reports(kind, name, user, created_at, settings, rows)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (KIND, name, os_user(), now_iso(), json.dumps(settings, ensure_ascii=False),
             json.dumps(cells, ensure_ascii=False)),
        ))  # fmt: skip
        audit.record(conn, "saved_reports", str(report_id), "insert",
                     {"name": (None, name), "rows": (None, len(cells))})  # fmt: skip
    return report_id


def list_reports(db: sqlite_utils.Database) -> list[SavedReport]:
    """Saved card reports, newest first, without their rows (``rows`` is empty here)."""
    rows = db.conn.execute(
        "SELECT id, name, user, created_at, settings FROM saved_reports WHERE kind = ?"
        " ORDER BY created_at DESC, id DESC",
        (KIND,),
    ).fetchall()
    return [SavedReport(i, n, u, at, json.loads(s), []) for i, n, u, at, s in rows]


def load_report(db: sqlite_utils.Database, report_id: int) -> SavedReport:
    row = db.conn.execute(
        "SELECT id, name, user, created_at, settings, rows FROM saved_reports"
        " WHERE id = ? AND kind = ?",
        (report_id, KIND),
    ).fetchone()
    if row is None:
        raise NotFound(f"saved report {report_id} does not exist")
    i, n, u, at, s, r = row
    return SavedReport(i, n, u, at, json.loads(s), json.loads(r))
