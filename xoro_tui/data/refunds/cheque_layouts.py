"""Each refund account's cheque stock and the fine adjustment of where fields print.

The stock is where the cheque sits on the sheet: ``top``, ``middle`` or ``bottom`` of a
Letter or A4 page whose other two thirds are stubs (the voucher cheques QuickBooks and
Odoo print), or ``wallet`` (three cheques a page, each with its stub at the left). Each
field (:data:`FIELDS`) prints at the stock's standard position moved by the account's
offset, in millimetres: an admin sets them after holding an alignment page (printed on
blank paper) over the pre-printed stock. Only an admin changes a layout (anyone in
single-user mode), in one audited transaction; a stale version is refused.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import sqlite_utils

from xoro_tui.data.refunds import cheque_register as register
from xoro_tui.data.store import audit, clock
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.users import UserRepository

STOCKS = ("top", "middle", "bottom", "wallet")
STOCK_TITLES = {
    "top": "Voucher, cheque on top (two stubs below)",
    "middle": "Voucher, cheque in the middle (stubs above and below)",
    "bottom": "Voucher, cheque at the bottom (two stubs above)",
    "wallet": "Wallet, three a page (stub at the left)",
}
PAGE_SIZES = ("Letter", "A4")
#: the fields whose place an offset moves
FIELDS = ("number", "date", "payee", "amount", "words", "address", "memo", "signature")
#: the farthest a field may be moved, in mm (more is a different stock, not an adjustment)
LIMIT_MM = 50.0


@dataclass(frozen=True)
class ChequeLayout:
    account: str = ""
    stock: str = "top"
    #: None: the page size chosen when printing
    page_size: str | None = None
    #: field → (right, down) in mm; absent fields are at their standard place
    offsets: dict[str, tuple[float, float]] = field(default_factory=dict)
    version: int = 0

    def offset(self, name: str) -> tuple[float, float]:
        return self.offsets.get(name, (0.0, 0.0))


def get(conn: sqlite3.Connection, account: str) -> ChequeLayout:
    """The account's layout; the standard one (cheque on top) when none was saved."""
    name = register.account_name(conn, account)
    row = conn.execute(
        "SELECT stock, page_size, offsets, version FROM cheque_layouts WHERE account = ?",
        (name,),
    ).fetchone()
    if row is None:
        return ChequeLayout(name)
    offsets = {k: (float(v[0]), float(v[1])) for k, v in json.loads(row[2] or "{}").items()}
    return ChequeLayout(name, row[0], row[1], offsets, int(row[3]))


def layouts(conn: sqlite3.Connection, accounts: list[str]) -> dict[str, ChequeLayout]:
    out: dict[str, ChequeLayout] = {}
    for account in accounts:
        if account and account.casefold() not in {a.casefold() for a in out}:
            out[account] = get(conn, account)
    return out


def parse_offset(text: str) -> tuple[str, tuple[float, float]]:
    """``payee=2,-1.5`` → ("payee", (2.0, -1.5)); one-line Invalid when it is not."""
    name, sep, values = text.partition("=")
    name = name.strip().casefold()
    parts = [p.strip() for p in values.split(",")]
    if not sep or len(parts) != 2:
        raise Invalid(
            "offset", f"an offset is FIELD=RIGHT,DOWN in mm, e.g. payee=2,-1.5; got {text!r}"
        )
    try:
        dx, dy = float(parts[0]), float(parts[1])
    except ValueError:
        raise Invalid(
            "offset", f"{text!r}: RIGHT and DOWN are millimetres, e.g. 2 or -1.5"
        ) from None
    return name, (dx, dy)


def check(layout: ChequeLayout) -> None:
    if layout.stock not in STOCKS:
        raise Invalid("stock", f"a cheque stock is one of: {', '.join(STOCKS)}")
    if layout.page_size is not None and layout.page_size not in PAGE_SIZES:
        raise Invalid("page_size", f"a page size is one of: {', '.join(PAGE_SIZES)}")
    for name, (dx, dy) in layout.offsets.items():
        if name not in FIELDS:
            raise Invalid(
                "offset", f"no cheque field {name!r}; the fields are: {', '.join(FIELDS)}"
            )
        if not (abs(dx) <= LIMIT_MM and abs(dy) <= LIMIT_MM):
            raise Invalid("offset", f"{name} moves at most {LIMIT_MM:g} mm each way")


def save(db: sqlite_utils.Database, layout: ChequeLayout, user: str | None = None) -> ChequeLayout:
    """Store ``layout`` for its account (admin); ``layout.version`` must be the stored one
    (0 for an account with none yet)."""
    user = user or clock.os_user()
    users = UserRepository(db)
    if not users.can(user, "admin"):
        role = users.role_of(user)
        who = f"{user} is a {role}" if role else f"{user} has no role"
        raise Refused(f"changing a cheque layout needs the admin role ({who})")
    offsets = {
        k: (round(v[0], 2), round(v[1], 2)) for k, v in layout.offsets.items() if v != (0, 0)
    }
    layout = ChequeLayout(layout.account, layout.stock, layout.page_size, offsets, layout.version)
    check(layout)
    with write_tx(db) as conn:
        before = get(conn, layout.account)
        if before.version != layout.version:
            raise Refused(
                f"the cheque layout of {before.account} was changed by someone else meanwhile; "
                "load it again"
            )
        version = before.version + 1
        conn.execute(
            "INSERT INTO cheque_layouts(account, stock, page_size, offsets, version, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET"
            " stock = excluded.stock, page_size = excluded.page_size,"
            " offsets = excluded.offsets, version = excluded.version,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (before.account, layout.stock, layout.page_size, json.dumps(offsets, sort_keys=True),
             version, user, clock.now_iso()),
        )  # fmt: skip
        audit.record(
            conn, "cheque_layouts", before.account, "update" if before.version else "insert",
            audit.diff(_flat(before), _flat(layout)), user=user,
        )  # fmt: skip
    return ChequeLayout(before.account, layout.stock, layout.page_size, offsets, version)


def _flat(layout: ChequeLayout) -> dict[str, object]:
    out: dict[str, object] = {"stock": layout.stock, "page_size": layout.page_size}
    for name in FIELDS:
        dx, dy = layout.offset(name)
        out[f"offset_{name}"] = None if (dx, dy) == (0, 0) else f"{dx:g},{dy:g}"
    return out


def describe(layout: ChequeLayout) -> str:
    """One line: ``Voucher, cheque on top …; Letter; payee +2,-1.5 mm``."""
    moved = [
        f"{name} {dx:+g},{dy:+g} mm" for name in FIELDS
        for dx, dy in [layout.offset(name)] if (dx, dy) != (0, 0)
    ]  # fmt: skip
    paper = layout.page_size or "page size as printed"
    return f"{STOCK_TITLES[layout.stock]}; {paper}" + (
        f"; moved: {', '.join(moved)}" if moved else ""
    )
