"""Batch Update: one column set for many customers in one transaction, and its undo.

Each changed customer gets a ``batch_items`` row whose ``old_value`` holds the JSON pair
``[old, new]``: undo restores ``old`` only where the customer still holds ``new`` (a later
edit wins). The writes are set-wise (``json_each`` of the changed ids) and the journal and
audit rows go in with ``executemany``, which keeps 100,000 customers within a few seconds
of write lock (see :data:`MAX_BATCH`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlite_utils
from pydantic import ValidationError

from xoro_tui.data.customers import lookups
from xoro_tui.data.models.entities import CustomerIn, errors_by_field
from xoro_tui.data.models.validators import (
    CARD_REASON,
    looks_like_card_number,
    parse_bool,
    split_multi,
)
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound, Refused
from xoro_tui.data.store.rows import inserted_id

Kind = Literal["lookup", "bool", "multi"]
Mode = Literal["replace", "add", "remove"]
Progress = Callable[[int, int], None]

#: the most customers one Batch Update of a single-valued column (or one Batch Delete) takes.
#: Measured with 100,000 customers on a 2-CPU machine under a load of 5: about 4 s of write
#: lock (set-wise SQL), so 200,000 stays well inside the 30 s busy timeout.
MAX_BATCH = 200_000
#: tags and brands are planned per customer in Python: 100,000 took 7-10 s under that load.
MAX_MULTI_BATCH = 100_000


@dataclass(frozen=True)
class BatchColumn:
    title: str
    field: str
    kind: Kind
    lookup: str | None = None  # the lookup table the Value list comes from


BATCH_COLUMNS: dict[str, BatchColumn] = {
    c.title: c
    for c in (
        BatchColumn("Sales Rep", "sales_rep", "lookup", "sales_reps"),
        BatchColumn("Default Payment Method", "default_payment_method", "lookup", "payment_methods"),
        BatchColumn("Show Invoice Credit Deposit on Portal?", "show_invoice_credit_deposit_on_portal", "bool"),
        BatchColumn("Payment Terms", "payment_terms", "lookup", "payment_terms"),
        BatchColumn("Customer Group", "customer_group", "lookup", "customer_groups"),
        BatchColumn("Order Type", "order_type", "lookup", "order_types"),
        BatchColumn("Tags", "tags", "multi", "tags"),
        BatchColumn("Default Shipping Terms", "default_shipping_terms", "lookup", "shipping_terms"),
        BatchColumn("Is Restricted", "is_restricted", "bool"),
        BatchColumn("Brands", "brands", "multi", "brands"),
        BatchColumn("Is Active", "is_active", "bool"),
    )
}  # fmt: skip
_BY_FIELD = {c.field: c for c in BATCH_COLUMNS.values()}
_MULTI = {"tags": ("customer_tags", "tag"), "brands": ("customer_brands", "brand")}


@dataclass
class BatchPreview:
    selected: int  # active customers among the ids
    changing: int  # of those, how many the update changes
    refused: str | None = None  # set when the selection is over MAX_BATCH


@dataclass
class BatchResult:
    batch_id: int | None  # None when nothing changed
    changed: int
    unchanged: int
    description: str
    #: lookup values (a new Sales Rep, tag, …) an undo removed because nobody used them
    removed_lookups: list[str] = field(default_factory=list)


@dataclass
class BatchSummary:
    batch_id: int
    at: str
    user: str
    field: str
    description: str
    customers: int
    undone_at: str | None


def column(name: str) -> BatchColumn:
    """A batch column by its title ("Sales Rep") or its field name ("sales_rep")."""
    found = BATCH_COLUMNS.get(name) or _BY_FIELD.get(name)
    if found is None:
        raise Invalid("column", f"{name!r} cannot be batch updated")
    return found


def collect_ids(ids: Iterable[int] | Iterable[list[int]]) -> list[int]:
    """A list of ids, or an iterator of id batches (``WindowQuery.keys``), as one list."""
    out: list[int] = []
    for item in ids:
        if isinstance(item, list | tuple):
            out.extend(int(i) for i in item)
        else:
            out.append(int(item))
    return list(dict.fromkeys(out))


def check_size(count: int, action: str = "Batch Update", limit: int | None = None) -> None:
    """Refuse up front a selection too large to write within the busy timeout."""
    limit = MAX_BATCH if limit is None else limit
    if count > limit:
        raise Refused(f"{action} handles at most {limit:,} customers at once; narrow the filter")


def _limit(col: BatchColumn) -> int:
    return MAX_MULTI_BATCH if col.kind == "multi" else MAX_BATCH


def check_value(col: BatchColumn, value: Any) -> Any:
    """The Value checked by the customer form's own model (:class:`CustomerIn`), so a Batch
    Update takes nothing the form would refuse (length, control characters, card numbers).
    Raises :class:`Invalid` with the form's reason."""
    try:
        checked = CustomerIn.model_validate({"account_number": "-", "name": "-", col.field: value})
    except ValidationError as exc:
        reasons = [r for f, r in errors_by_field(exc) if f == col.field] or ["not a valid value"]
        raise Invalid("value", reasons[0]) from None
    return getattr(checked, col.field)


def _value(
    conn: sqlite3.Connection,
    col: BatchColumn,
    value: Any,
    create: bool,
    created: list[str] | None = None,
) -> Any:
    """The stored form of the Value: 0/1, the lookup's spelling, or a list of names.
    Lookup values it adds are appended to ``created``."""
    if col.kind == "bool":
        try:
            parsed = parse_bool(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, bool | int):
            raise Invalid("value", "choose Yes or No")
        return int(bool(parsed))
    if col.kind == "multi":
        names = split_multi(value)
        if not isinstance(names, list) or not names:
            raise Invalid("value", f"choose at least one of the {col.title}")
        names = check_value(col, names)
        return sorted(
            (_spelling(conn, col.lookup, n, create, created) for n in names), key=str.casefold
        )
    text = str(value).strip() if value is not None else ""
    if text:
        text = check_value(col, text)
    return _spelling(conn, col.lookup, text, create, created) if text else None


def _spelling(
    conn: sqlite3.Connection,
    table: str | None,
    name: str,
    create: bool,
    created: list[str] | None = None,
) -> str:
    assert table is not None
    if looks_like_card_number(name):
        raise Invalid("value", CARD_REASON)
    if create:
        new = not lookups.exists(conn, table, name)
        stored = str(lookups.ensure(conn, table, name))
        if new and created is not None:
            created.append(stored)
        return stored
    row = conn.execute(f"SELECT name FROM {table} WHERE name = ?", (name,)).fetchone()
    return str(row[0]) if row else name


def _current(conn: sqlite3.Connection, col: BatchColumn, ids: list[int]) -> list[tuple]:
    """(id, account number, current value) of the active customers among ``ids``; tags and
    brands as a list sorted by casefold (one flat read, grouped here: a correlated
    ``json_group_array`` per customer costs five times as much)."""
    chosen = json.dumps(ids)
    if col.kind != "multi":
        return conn.execute(
            f"SELECT c.id, c.account_number, c.{col.field} FROM customers c "
            "WHERE c.state = 'active' AND c.id IN (SELECT value FROM json_each(?))",
            (chosen,),
        ).fetchall()
    table, name = _MULTI[col.field]
    held: dict[int, list[str]] = {}
    for cid, value in conn.execute(
        f"SELECT customer_id, {name} FROM {table} "
        "WHERE customer_id IN (SELECT value FROM json_each(?))",
        (chosen,),
    ):
        held.setdefault(cid, []).append(value)
    rows = conn.execute(
        "SELECT id, account_number FROM customers "
        "WHERE state = 'active' AND id IN (SELECT value FROM json_each(?))",
        (chosen,),
    ).fetchall()
    return [(cid, acct, sorted(held.get(cid, ()), key=str.casefold)) for cid, acct in rows]


def _new(col: BatchColumn, old: Any, value: Any, mode: Mode) -> Any:
    """The value a customer holding ``old`` ends with (``value`` is sorted for tags/brands)."""
    if col.kind != "multi" or mode == "replace":
        return value
    have = {o.casefold() for o in old}
    if mode == "add":
        extra = [v for v in value if v.casefold() not in have]
        return sorted([*old, *extra], key=str.casefold) if extra else old
    folded = {v.casefold() for v in value}
    return [o for o in old if o.casefold() not in folded] if have & folded else old


def _plan(conn, col, value, ids, mode) -> list[tuple[int, str, Any, Any]]:
    """[(id, account, old, new)] of the customers the update changes."""
    out = []
    for cid, account, old in _current(conn, col, ids):
        new = _new(col, old, value, mode)
        if new != old:
            out.append((cid, account, old, new))
    return out


def _describe(col: BatchColumn, value: Any, mode: Mode) -> str:
    if col.kind == "bool":
        shown = "Yes" if value else "No"
    elif col.kind == "multi":
        shown = ", ".join(value)
    else:
        shown = value if value is not None else "(empty)"
    verb = {"replace": "set to", "add": "add", "remove": "remove"}[mode]
    return f"{col.title}: {verb} {shown}"


def _check_mode(col: BatchColumn, mode: str) -> None:
    if mode not in ("replace", "add", "remove"):
        raise Invalid("mode", f"unknown mode {mode!r}")
    if mode != "replace" and col.kind != "multi":
        raise Invalid("mode", f"{col.title} can only be replaced")


def batch_preview(
    db: sqlite_utils.Database, field: str, value: Any, ids: Iterable, mode: Mode = "replace"
) -> BatchPreview:
    """How many of the selected customers the update would change (nothing is written)."""
    col = column(field)
    _check_mode(col, mode)
    chosen = collect_ids(ids)
    conn = db.conn
    resolved = _value(conn, col, value, create=False)
    current = _current(conn, col, chosen)
    changing = len(_plan(conn, col, resolved, chosen, mode))
    refused = None
    try:
        check_size(len(current), limit=_limit(col))
    except Refused as exc:
        refused = str(exc)
    return BatchPreview(len(current), changing, refused)


def batch_update(
    db: sqlite_utils.Database,
    field: str,
    value: Any,
    id_batches: Iterable,
    *,
    mode: Mode = "replace",
    progress: Progress | None = None,
) -> BatchResult:
    """Set ``field`` to ``value`` (or add/remove tags and brands) for every selected active
    customer, journalled for :func:`undo_batch` and audited, in one transaction."""
    col = column(field)
    ids = collect_ids(id_batches)  # read before the write lock is taken
    check_size(len(ids), limit=_limit(col))
    _check_mode(col, mode)
    with write_tx(db) as conn:
        created: list[str] = []
        resolved = _value(conn, col, value, create=mode != "remove", created=created)
        description = _describe(col, resolved, mode)
        stamp, user = now_iso(), os_user()
        batch_id = inserted_id(conn.execute(
            "INSERT INTO batches(kind, field, description, at, user) VALUES (?, ?, ?, ?, ?)",
            (f"update:{mode}", col.field, description, stamp, user),
        ))  # fmt: skip
        changed = 0
        for start in range(0, len(ids), _STEP):
            part = ids[start : start + _STEP]
            if col.kind == "multi":
                plan = _plan(conn, col, resolved, part, mode)
                _write_multi(conn, col, plan, batch_id, stamp, user, "batch_update")
                changed += len(plan)
            else:
                changed += _write_scalar(conn, col, resolved, part, batch_id, stamp, user)
            if progress:
                progress(min(start + _STEP, len(ids)), len(ids))
        if not changed:  # nothing to undo: leave no empty batch (nor a new value) behind
            conn.execute("DELETE FROM batches WHERE id = ?", (batch_id,))
            if created and col.lookup:
                lookups.remove_unused(conn, col.lookup, created)
            return BatchResult(None, 0, len(ids), description)
        if created:
            conn.execute(
                "UPDATE batches SET created_lookups = ? WHERE id = ?",
                (json.dumps(created, ensure_ascii=False), batch_id),
            )
    return BatchResult(batch_id, changed, len(ids) - changed, description)


_STEP = 25_000
_AUDIT = (
    "INSERT INTO audit_log(at, user, table_name, record_key, action, changes) "
    "SELECT ?, ?, 'customers', c.account_number, ?, json_object(?, {pair}) "
    "FROM batch_items i JOIN customers c ON c.id = i.customer_id WHERE i.batch_id = ?"
)


def _write_scalar(conn, col, value, ids, batch_id, stamp, user) -> int:
    """Journal, write and audit one slice set-wise in SQL: no per-customer Python."""
    f = col.field
    known = "SELECT customer_id FROM batch_items WHERE batch_id = ?"
    changed = conn.execute(
        "INSERT INTO batch_items(batch_id, customer_id, old_value) "
        f"SELECT ?, c.id, json_array(c.{f}, ?) FROM customers c WHERE c.state = 'active' "
        f"AND c.id IN (SELECT value FROM json_each(?)) AND c.{f} IS NOT ?",
        (batch_id, value, json.dumps(ids), value),
    ).rowcount
    conn.execute(
        f"UPDATE customers SET {f} = ?, updated_at = ?, version = version + 1 "
        f"WHERE id IN ({known} AND customer_id IN (SELECT value FROM json_each(?)))",
        (value, stamp, batch_id, json.dumps(ids)),
    )
    conn.execute(
        _AUDIT.format(pair="json(i.old_value)")
        + " AND i.customer_id IN (SELECT value FROM json_each(?))",
        (stamp, user, "batch_update", f, batch_id, json.dumps(ids)),
    )
    return changed


def _write_multi(conn, col, plan, batch_id, stamp, user, action) -> None:
    """Journal, write and audit ``plan`` = [(id, account, old, new)] of tags or brands."""
    pairs = [json.dumps([old, new], ensure_ascii=False) for _, _, old, new in plan]
    if batch_id is not None:
        conn.executemany(
            "INSERT INTO batch_items(batch_id, customer_id, old_value) VALUES (?, ?, ?)",
            [(batch_id, cid, pair) for (cid, *_), pair in zip(plan, pairs, strict=True)],
        )
    conn.execute(
        "UPDATE customers SET updated_at = ?, version = version + 1 "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (stamp, json.dumps([cid for cid, *_ in plan])),
    )
    table, name = _MULTI[col.field]
    conn.executemany(
        f"DELETE FROM {table} WHERE customer_id = ? AND {name} = ?",
        [(cid, o) for cid, _, old, new in plan for o in set(old) - set(new)],
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO {table}(customer_id, {name}) VALUES (?, ?)",
        [(cid, n) for cid, _, old, new in plan for n in set(new) - set(old)],
    )
    conn.executemany(
        "INSERT INTO audit_log(at, user, table_name, record_key, action, changes)"
        " VALUES (?, ?, 'customers', ?, ?, ?)",
        [
            (stamp, user, acct, action, f'{{"{col.field}": {pair}}}')
            for (_, acct, *_), pair in zip(plan, pairs, strict=True)
        ],
    )


def undo_batch(db: sqlite_utils.Database, batch_id: int) -> BatchResult:
    """Restore the old values where the customer still holds the batch's value (a later edit
    wins); customers deleted or merged since are left alone."""
    with write_tx(db) as conn:
        row = conn.execute(
            "SELECT field, description, undone_at, created_lookups FROM batches WHERE id = ?",
            (batch_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"batch {batch_id} does not exist")
        if row[2] is not None:
            raise Refused(f"this batch update was already undone on {row[2][:10]}")
        col = _BY_FIELD[row[0]]
        total = conn.execute(
            "SELECT count(*) FROM batch_items WHERE batch_id = ?", (batch_id,)
        ).fetchone()[0]
        stamp, user = now_iso(), os_user()
        if col.kind == "multi":
            items = dict(conn.execute(
                "SELECT customer_id, old_value FROM batch_items WHERE batch_id = ?", (batch_id,)
            ).fetchall())  # fmt: skip
            plan = []
            for cid, account, current in _current(conn, col, list(items)):
                old, new = json.loads(items[cid])
                if current == new:
                    plan.append((cid, account, current, old))
            _write_multi(conn, col, plan, None, stamp, user, "undo_batch")
            restored = len(plan)
        else:
            restored = _undo_scalar(conn, col.field, batch_id, stamp, user)
        removed: list[str] = []
        if row[3] and col.lookup:  # values this batch created, unless someone uses them now
            removed = lookups.remove_unused(conn, col.lookup, json.loads(row[3]))
            for name in removed:
                audit.record(
                    conn, col.lookup, name, "undo_batch", {"name": (name, None)}, user=user
                )
        conn.execute("UPDATE batches SET undone_at = ? WHERE id = ?", (stamp, batch_id))
    return BatchResult(batch_id, restored, total - restored, f"Undo {row[1]}", removed)


def _journalled(f: str, index: int) -> str:
    """The value at ``index`` of a journalled ``[old, new]`` pair, of the column's own type:
    a Yes/No column's as an integer (PostgreSQL's json_extract gives text, SQLite's the
    JSON value's type; the cast is a no-op on SQLite)."""
    value = f"json_extract(i.old_value, '$[{index}]')"
    return f"CAST({value} AS INTEGER)" if _BY_FIELD[f].kind == "bool" else value


def _undo_scalar(conn: sqlite3.Connection, f: str, batch_id: int, stamp: str, user: str) -> int:
    old, new = _journalled(f, 0), _journalled(f, 1)
    still = f" AND c.state = 'active' AND c.{f} IS {new}"
    conn.execute(
        _AUDIT.format(pair=f"json_array(c.{f}, {old})") + still,
        (stamp, user, "undo_batch", f, batch_id),
    )
    return conn.execute(
        f"UPDATE customers AS c SET {f} = {old}, updated_at = ?, "
        f"version = c.version + 1 FROM batch_items i WHERE i.batch_id = ? AND i.customer_id = c.id"
        + still,
        (stamp, batch_id),
    ).rowcount


def last_batches(db: sqlite_utils.Database, limit: int = 20) -> list[BatchSummary]:
    """The most recent batch updates, newest first."""
    rows = db.conn.execute(
        "SELECT b.id, b.at, b.user, b.field, b.description, "
        "(SELECT count(*) FROM batch_items i WHERE i.batch_id = b.id), b.undone_at "
        "FROM batches b WHERE b.kind LIKE 'update:%' ORDER BY b.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [BatchSummary(*r) for r in rows]
