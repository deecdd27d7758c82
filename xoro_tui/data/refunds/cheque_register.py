"""The cheque register of each refund account: which number went to which refund, and how.

An account's cheques come in books. A book starts at a number an admin sets; from the first
book's start to the last number used, every number is in the register (reserved while the
app waits to hear whether it printed correctly, then printed, spoiled or voided, each with
who and, for spoiled and voided, why) or lies in the range a later book skipped: no gaps,
no duplicates. Numbers brought from the old system are ``imported``: below the first book's
start, outside the gap rule.

Cheque numbers are never typed: printing reserves the next number of the account's current
book (:func:`reserve`). The functions here run inside the caller's write transaction and
write their own audit rows; :func:`problems` is what ``xoro-tui check`` reports.
"""

from __future__ import annotations

import shlex
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xoro_tui.data.store import audit, clock
from xoro_tui.data.store.errors import Invalid, NotFound, Refused
from xoro_tui.data.store.rows import fetch_all, fetch_one

if TYPE_CHECKING:  # opening a database (its migrations use the register) loads no Pydantic
    from xoro_tui.data.models.entities import Refund

RESERVED, PRINTED, SPOILED, VOIDED, IMPORTED = (
    "reserved", "printed", "spoiled", "voided", "imported",
)  # fmt: skip
TABLE = "cheque_register"
BOOKS = "cheque_books"
#: the largest cheque number (as for a refund's cheque number)
MAX_NUMBER = 10**12
#: statuses of the refund that a printed (confirmed) cheque may belong to
CONFIRMED_STATUSES = ("Printed", "Issued", "Cleared")
#: shown wherever the register awaits an answer about a print
AWAITING = "awaiting confirmation"


def new_book_hint(account: str) -> str:
    return (
        f"an admin starts a new book with: xoro-tui cheques --account {shlex.quote(account)}"
        " --start N"
    )


@dataclass(frozen=True)
class Entry:
    """One line of the register as a person reads it."""

    number: int
    status: str
    refund_id: int | None
    refund_number: str | None
    payee: str | None
    amount: int | None
    currency: str | None
    date: str
    who: str
    reason: str | None
    printed_by: str | None


@dataclass(frozen=True)
class Book:
    start: int
    skipped_from: int | None
    reason: str | None
    started_by: str
    started_at: str


def account_name(conn: sqlite3.Connection, name: str) -> str:
    """The stored spelling of a refund account (names match in any case)."""
    row = conn.execute("SELECT name FROM refund_accounts WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no refund account named {name}")
    return str(row[0])


def books(conn: sqlite3.Connection, account: str) -> list[Book]:
    rows = conn.execute(
        "SELECT start, skipped_from, reason, started_by, started_at FROM cheque_books"
        " WHERE account = ? ORDER BY start",
        (account,),
    ).fetchall()
    return [Book(*row) for row in rows]


def current_start(conn: sqlite3.Connection, account: str) -> int | None:
    """Where the account's current book starts; None before its first book."""
    row = conn.execute("SELECT max(start) FROM cheque_books WHERE account = ?", (account,))
    value = row.fetchone()[0]
    return None if value is None else int(value)


def highest(conn: sqlite3.Connection, account: str) -> int | None:
    """The highest number the register holds for the account, whatever its status."""
    row = conn.execute("SELECT max(number) FROM cheque_register WHERE account = ?", (account,))
    value = row.fetchone()[0]
    return None if value is None else int(value)


def next_number(conn: sqlite3.Connection, account: str) -> int | None:
    """The number the next cheque of the current book gets; None before the first book."""
    start = current_start(conn, account)
    if start is None:
        return None
    row = conn.execute(
        "SELECT max(number) FROM cheque_register WHERE account = ? AND number >= ? AND status != ?",
        (account, start, IMPORTED),
    ).fetchone()
    return start if row[0] is None else int(row[0]) + 1


def _set_next(conn: sqlite3.Connection, account: str, value: int, user: str) -> None:
    """Keep ``refund_accounts.next_cheque_number`` telling the register's next number."""
    old = conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = ?", (account,)
    ).fetchone()[0]
    if old == value:
        return
    conn.execute(
        "UPDATE refund_accounts SET next_cheque_number = ?, version = version + 1 WHERE name = ?",
        (value, account),
    )
    audit.record(
        conn, "refund_accounts", account, "update", {"next_cheque_number": (old, value)}, user=user
    )


def _open_book(
    conn: sqlite3.Connection,
    account: str,
    start: int,
    user: str,
    reason: str,
    skipped_from: int | None = None,
) -> None:
    conn.execute(
        "INSERT INTO cheque_books(account, start, skipped_from, reason, started_by, started_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (account, start, skipped_from, reason, user, clock.now_iso()),
    )
    changes: dict[str, tuple[Any, Any]] = {"start": (None, start), "reason": (None, reason)}
    if skipped_from is not None:
        changes["skipped"] = (None, f"{skipped_from}-{start - 1}")
    audit.record(conn, BOOKS, account, "start book", changes, user=user)
    _set_next(conn, account, start, user)


def start_book(
    conn: sqlite3.Connection, account: str, start: int, user: str, reason: str | None = None
) -> Book:
    """Start a new book at ``start``, above every number used so far; the numbers between
    the last one used in the current book and ``start`` are recorded as skipped.

    The caller checks the admin role; this checks the numbers.
    """
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= MAX_NUMBER:
        raise Invalid("start", f"a whole number from 1 to {MAX_NUMBER:,}")
    account = account_name(conn, account)
    used = highest(conn, account)
    following = next_number(conn, account)
    floor = max(n for n in (following, (used or 0) + 1, 1) if n is not None)
    if start < floor:
        what = f"{used} is the highest used" if used is not None else "nothing is used yet"
        raise Refused(
            f"a new book on {account} starts above every number used so far ({what}); "
            f"start it at {floor} or above"
        )
    skipped_from = following if following is not None and start > following else None
    why = (reason or "").strip() or f"new book started at {start}"
    _open_book(conn, account, start, user, why, skipped_from)
    return books(conn, account)[-1]


def _ensure_book(conn: sqlite3.Connection, account: str, user: str) -> None:
    """An account's first print opens its first book at its next cheque number, above every
    number imported so far (the number an admin set when adding the account)."""
    if current_start(conn, account) is not None:
        return
    row = conn.execute(
        "SELECT next_cheque_number FROM refund_accounts WHERE name = ?", (account,)
    ).fetchone()
    start = max(int(row[0]), (highest(conn, account) or 0) + 1)
    _open_book(conn, account, start, user, "first cheque printed on this account")


def lock_account(conn: sqlite3.Connection, account: str) -> None:
    """Hold the account's row until the commit: on PostgreSQL writers on other servers then
    take its next cheque number one after another, never the same one (a no-op UPDATE is
    the row lock both engines understand; SQLite's BEGIN IMMEDIATE already serialises)."""
    conn.execute("UPDATE refund_accounts SET version = version WHERE name = ?", (account,))


def held_by(conn: sqlite3.Connection, refund_id: int) -> int | None:
    """The number reserved for ``refund_id`` that awaits confirmation, if any."""
    row = conn.execute(
        "SELECT number FROM cheque_register WHERE refund_id = ? AND status = ?",
        (refund_id, RESERVED),
    ).fetchone()
    return None if row is None else int(row[0])


def reserve(
    conn: sqlite3.Connection,
    account: str,
    refund_id: int,
    payee: str,
    amount: int,
    currency: str,
    user: str,
) -> int:
    """Reserve the account's next number for ``refund_id``'s cheque, dated today."""
    account = account_name(conn, account)
    lock_account(conn, account)
    _ensure_book(conn, account, user)
    number = next_number(conn, account)
    assert number is not None
    if number > MAX_NUMBER:
        raise Refused(f"the cheque book on {account} is used up; {new_book_hint(account)}")
    stamp = clock.now_iso()
    conn.execute(
        "INSERT INTO cheque_register(account, number, status, refund_id, payee, amount, currency,"
        " cheque_date, printed_by, user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (account, number, RESERVED, refund_id, payee, amount, currency,
         clock.today().isoformat(), user, user, stamp),
    )  # fmt: skip
    _set_next(conn, account, number + 1, user)
    return number


def entry_row(conn: sqlite3.Connection, account: str, number: int) -> dict[str, Any] | None:
    return fetch_one(
        conn,
        "SELECT g.*, r.refund_number FROM cheque_register g"
        " LEFT JOIN refunds r ON r.id = g.refund_id WHERE g.account = ? AND g.number = ?",
        (account, number),
    )


def mark(
    conn: sqlite3.Connection,
    account: str,
    number: int,
    status: str,
    user: str,
    reason: str | None = None,
) -> None:
    """Move one register line to ``status`` (printed, spoiled or voided), audited."""
    row = entry_row(conn, account, number)
    if row is None:
        raise NotFound(f"cheque {number} on {account} is not in the register")
    conn.execute(
        "UPDATE cheque_register SET status = ?, reason = ?, user = ?, at = ?"
        " WHERE account = ? AND number = ?",
        (status, reason, user, clock.now_iso(), account, number),
    )
    changes: dict[str, tuple[Any, Any]] = {"status": (row["status"], status)}
    if reason:
        changes["reason"] = (row["reason"], reason)
    if row["refund_number"]:
        changes["refund"] = (None, row["refund_number"])
    audit.record(conn, TABLE, f"{account} {number}", status, changes, user=user)


def check_historical(
    conn: sqlite3.Connection, account: str, number: int, refund_id: int | None = None
) -> bool:
    """Refuse a historical cheque number unless it is unused and below the first book's start.

    Raises :class:`Invalid` (field ``cheque_number``) in one line that says how an admin
    starts a new book. True when the number is already imported for ``refund_id`` (a
    re-import), False when it is free.
    """
    row = conn.execute(
        "SELECT g.status, g.refund_id, r.refund_number FROM cheque_register g"
        " LEFT JOIN refunds r ON r.id = g.refund_id WHERE g.account = ? AND g.number = ?",
        (account, number),
    ).fetchone()
    if row is not None:
        if row[0] == IMPORTED and refund_id is not None and row[1] == refund_id:
            return True
        owner = f" by {row[2]}" if row[2] else ""
        raise Invalid("cheque_number", f"cheque {number} on {account} is already {row[0]}{owner}")
    first = conn.execute(
        "SELECT min(start) FROM cheque_books WHERE account = ?", (account,)
    ).fetchone()[0]
    skipped = conn.execute(
        "SELECT start FROM cheque_books WHERE account = ? AND skipped_from <= ? AND start > ?",
        (account, number, number),
    ).fetchone()
    if skipped is not None:
        raise Invalid(
            "cheque_number",
            f"cheque {number} on {account} was recorded as skipped when the book from "
            f"{skipped[0]} started; to use other numbers {new_book_hint(account)}",
        )
    if first is not None and number >= int(first):
        current = current_start(conn, account)
        raise Invalid(
            "cheque_number",
            f"cheque {number} on {account} is not below the current book's start ({current}) "
            f"and unused; to use higher numbers {new_book_hint(account)}",
        )
    return False


def record_imported(
    conn: sqlite3.Connection,
    account: str,
    number: int,
    refund_id: int | None,
    user: str | None = None,
) -> None:
    """Check a historical number (:func:`check_historical`) and record it as imported.

    An account with no book yet accepts any unused number. An import never moves the
    account's next cheque number: its first book starts above every imported number.
    """
    account = account_name(conn, account)
    who = user or clock.os_user()
    if check_historical(conn, account, number, refund_id):
        return
    info = (
        fetch_one(
            conn,
            "SELECT c.name AS payee, r.amount, r.currency, r.refund_date FROM refunds r"
            " JOIN customers c ON c.id = r.customer_id WHERE r.id = ?",
            (refund_id,),
        )
        if refund_id is not None
        else None
    ) or {}
    conn.execute(
        "INSERT INTO cheque_register(account, number, status, refund_id, payee, amount, currency,"
        " cheque_date, user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (account, number, IMPORTED, refund_id, info.get("payee"), info.get("amount"),
         info.get("currency"), info.get("refund_date"), who, clock.now_iso()),
    )  # fmt: skip


def forget_imported(conn: sqlite3.Connection, account: str, number: int, refund_id: int) -> None:
    """A re-import changed a refund's historical number: drop the old imported line.

    A number this app reserved or printed is never dropped: it is refused instead.
    """
    row = conn.execute(
        "SELECT status, refund_id FROM cheque_register WHERE account = ? AND number = ?",
        (account, number),
    ).fetchone()
    if row is None or row[1] != refund_id:
        return
    if row[0] != IMPORTED:
        raise Invalid(
            "cheque_number",
            f"cheque {number} on {account} is {row[0]} in the register; "
            "void the cheque in the Refund Centre instead",
        )
    conn.execute("DELETE FROM cheque_register WHERE account = ? AND number = ?", (account, number))


def check_update(conn: sqlite3.Connection, before: Refund, new: dict[str, Any]) -> None:
    """The register's rules for a save of the refund form (``new``: the columns that change).

    A cheque number is never typed; the account and payment method of a refund holding a
    cheque number stay; a refund whose cheque awaits confirmation keeps its status.
    """
    if "cheque_number" in new:
        raise Invalid(
            "cheque_number",
            "cheque numbers are never typed: printing takes the next one from the "
            "account's cheque register",
        )
    held = held_by(conn, before.id)
    if held is not None and "status" in new:
        raise Refused(
            f"{before.refund_number}: cheque {held} is {AWAITING}; say first whether it "
            "printed correctly"
        )
    moved = new.keys() & {"refund_account", "payment_method"}
    if moved and before.cheque_number is not None and before.status.value != "Voided":
        field = sorted(moved)[0]
        raise Invalid(
            field,
            f"cheque {before.cheque_number} on {before.refund_account} is in the cheque "
            "register; void the cheque first",
        )


def void_with_refund(conn: sqlite3.Connection, refund: Refund, user: str) -> None:
    """Voiding a refund voids its printed cheque in the register, with the same reason."""
    if refund.cheque_number is None or not refund.refund_account:
        return
    row = entry_row(conn, refund.refund_account, refund.cheque_number)
    if row is not None and row["refund_id"] == refund.id and row["status"] == PRINTED:
        mark(conn, row["account"], refund.cheque_number, VOIDED, user, refund.void_reason)


def import_cheque(
    conn: sqlite3.Connection, before: dict[str, Any], after: dict[str, Any], refund_id: int | None
) -> None:
    """The import's refund upsert: record the row's historical cheque number in the register.

    ``before`` and ``after`` are the refund as stored before and after (import field names).
    A number that did not change is left alone; a changed one drops the old imported line.
    """
    old = (before.get("refund_account"), before.get("cheque_number"))
    new = (after.get("refund_account"), after.get("cheque_number"))
    if refund_id is None or (
        old[1] == new[1] and (old[0] or "").casefold() == (new[0] or "").casefold()
    ):
        return
    if old[0] and old[1] is not None:
        forget_imported(conn, old[0], int(old[1]), refund_id)
    if new[0] and new[1] is not None:
        record_imported(conn, new[0], int(new[1]), refund_id)


_BACKFILL_SQL = """
INSERT OR IGNORE INTO cheque_register(account, number, status, refund_id, payee, amount,
  currency, cheque_date, user, at)
SELECT a.name, r.cheque_number, 'imported', r.id, c.name, r.amount, r.currency, r.refund_date,
  coalesce(r.approved_by, r.created_by, 'upgrade'), r.updated_at
FROM refunds r JOIN refund_accounts a ON a.name = r.refund_account
JOIN customers c ON c.id = r.customer_id
WHERE r.cheque_number IS NOT NULL
ORDER BY r.id
"""


def backfill_imported(conn: sqlite3.Connection) -> None:
    """Record every cheque number already on a refund as imported history (the upgrade to
    the register, and generated data); each account's first book starts above them."""
    conn.execute(_BACKFILL_SQL)
    conn.execute(
        "UPDATE refund_accounts SET next_cheque_number = (SELECT max(number) + 1 FROM"
        " cheque_register g WHERE g.account = refund_accounts.name) WHERE next_cheque_number"
        " <= (SELECT max(number) FROM cheque_register g WHERE g.account = refund_accounts.name)"
        " AND NOT EXISTS (SELECT 1 FROM cheque_books b WHERE b.account = refund_accounts.name)"
    )


def backfill_books(conn: sqlite3.Connection, user: str, stamp: str) -> None:
    """Demo data: each account's cheques so far are one book from its lowest number,
    printed (voided when the refund is), instead of history."""
    conn.execute("DELETE FROM cheque_register WHERE status = 'imported'")
    conn.execute(
        "INSERT INTO cheque_books(account, start, reason, started_by, started_at)"
        " SELECT a.name, min(r.cheque_number), 'the first book', ?, ? FROM refunds r"
        " JOIN refund_accounts a ON a.name = r.refund_account"
        " WHERE r.cheque_number IS NOT NULL GROUP BY a.name",
        (user, stamp),
    )
    conn.execute(
        "INSERT OR IGNORE INTO cheque_register(account, number, status, refund_id, payee,"
        " amount, currency, cheque_date, reason, printed_by, user, at)"
        " SELECT a.name, r.cheque_number, CASE r.status WHEN 'Voided' THEN 'voided'"
        " ELSE 'printed' END, r.id, c.name, r.amount, r.currency, r.refund_date, r.void_reason,"
        " ?, ?, ? FROM refunds r JOIN refund_accounts a ON a.name = r.refund_account"
        " JOIN customers c ON c.id = r.customer_id WHERE r.cheque_number IS NOT NULL",
        (user, user, stamp),
    )


def entries(conn: sqlite3.Connection, account: str) -> list[Entry]:
    """Every register line of the account, by number."""
    rows = fetch_all(
        conn,
        "SELECT g.number, g.status, g.refund_id, r.refund_number, g.payee, g.amount, g.currency,"
        " coalesce(g.cheque_date, substr(g.at, 1, 10)) AS date, g.user AS who, g.reason,"
        " g.printed_by FROM cheque_register g LEFT JOIN refunds r ON r.id = g.refund_id"
        " WHERE g.account = ? ORDER BY g.number",
        (account,),
    )
    return [Entry(**row) for row in rows]


def awaiting(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every reserved number, with its account, refund and who printed it."""
    return fetch_all(
        conn,
        "SELECT g.account, g.number, g.refund_id, r.refund_number, g.payee, g.amount,"
        " g.currency, g.printed_by FROM cheque_register g JOIN refunds r ON r.id = g.refund_id"
        " WHERE g.status = ? ORDER BY g.account, g.number",
        (RESERVED,),
    )


# --- the check ---------------------------------------------------------------------------


def _ranges(numbers: list[int]) -> str:
    """``1084, 1090-1093`` for a sorted list of numbers."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _gaps(conn: sqlite3.Connection, account: str) -> list[str]:
    account_books = books(conn, account)
    if not account_books:
        return []
    first = account_books[0].start
    numbers = [
        int(n)
        for (n,) in conn.execute(
            "SELECT number FROM cheque_register WHERE account = ? AND number >= ? ORDER BY number",
            (account, first),
        )
    ]
    out: list[str] = []
    skipped = [(b.skipped_from, b.start - 1) for b in account_books if b.skipped_from is not None]
    for low, high in skipped:
        inside = [n for n in numbers if low <= n <= high]
        if inside:
            out.append(f"cheque register {account}: {_ranges(inside)} used but recorded as skipped")
    if not numbers:
        return out
    missing: list[int] = []
    expected = first
    for n in numbers:
        while expected < n:
            hole = next(((lo, hi) for lo, hi in skipped if lo <= expected <= hi), None)
            if hole is not None:
                expected = min(hole[1], n - 1) + 1
                continue
            missing.append(expected)
            expected += 1
            if len(missing) > 1000:
                break
        expected = max(expected, n + 1)
    if missing:
        out.append(
            f"cheque register {account}: {_ranges(missing)} never printed, spoiled, voided "
            "nor skipped (a gap)"
        )
    imported = conn.execute(
        "SELECT number FROM cheque_register WHERE account = ? AND status = ? AND number >= ?"
        " ORDER BY number",
        (account, IMPORTED, first),
    ).fetchall()
    if imported:
        out.append(
            f"cheque register {account}: imported {_ranges([int(n) for (n,) in imported])} "
            f"not below the first book's start ({first})"
        )
    return out


_JOINED_SQL = """
SELECT g.account, g.number, g.status, r.refund_number, r.status, r.cheque_number,
       r.refund_account
FROM cheque_register g JOIN refunds r ON r.id = g.refund_id
ORDER BY g.account, g.number
"""


def _agrees(status: str, number: int, account: str, r_status: str, r_cheque: int | None,
            r_account: str | None) -> bool:  # fmt: skip
    """Whether a refund agrees with the register line that names it."""
    holds = r_cheque == number and (r_account or "").casefold() == account.casefold()
    if status == RESERVED:
        return holds and r_status == "Approved"
    if status == PRINTED:
        return holds and r_status in CONFIRMED_STATUSES
    if status == IMPORTED:
        return holds
    if status == VOIDED:
        return not holds or r_status == "Voided"
    return not holds  # spoiled


_UNREGISTERED_SQL = """
SELECT r.refund_number, r.cheque_number, r.refund_account FROM refunds r
WHERE r.cheque_number IS NOT NULL AND r.refund_account IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM cheque_register g WHERE g.account = r.refund_account
                  AND g.number = r.cheque_number AND g.refund_id = r.id
                  AND g.status IN ('reserved', 'printed', 'imported', 'voided'))
ORDER BY r.id LIMIT 100
"""


def problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with any account's register: gaps, duplicates, numbers whose refund
    disagrees with the register, refunds whose cheque number the register does not show."""
    if (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cheque_register'").fetchone()
        is None
    ):
        return []
    out: list[str] = []
    for account, number, n in conn.execute(
        "SELECT account, number, count(*) FROM cheque_register GROUP BY account, number"
        " HAVING count(*) > 1"
    ):
        out.append(f"cheque register {account}: {number} appears {n} times")
    accounts = [
        str(a)
        for (a,) in conn.execute(
            "SELECT DISTINCT account FROM cheque_books UNION SELECT DISTINCT account"
            " FROM cheque_register ORDER BY 1"
        )
    ]
    for account in accounts:
        out.extend(_gaps(conn, account))
    for account, number, status, refund, r_status, r_cheque, r_account in conn.execute(_JOINED_SQL):
        if _agrees(status, number, account, r_status, r_cheque, r_account):
            continue
        out.append(
            f"cheque register {account}: {number} is {status} but {refund} is {r_status} "
            f"with cheque {r_cheque or 'none'} on {r_account or 'no account'}"
        )
    for refund, cheque, account in conn.execute(_UNREGISTERED_SQL):
        out.append(
            f"{refund} has cheque {cheque} on {account}, which the cheque register does not show"
        )
    return out


# --- reading it as a person does ---------------------------------------------------------

#: the register's columns, in order (the CLI and the Refund Centre show these)
COLUMNS = ("Number", "Refund", "Payee", "Amount", "Status", "Date", "Who", "Reason")


def display_status(status: str) -> str:
    return AWAITING if status == RESERVED else status


def display_rows(conn: sqlite3.Connection, account: str) -> list[tuple[str, ...]]:
    """The register of ``account`` by number, skipped ranges included, as text cells in
    :data:`COLUMNS` order (user text as stored: the caller makes it safe to show)."""
    from xoro_tui.data.models import money

    keyed: list[tuple[int, tuple[str, ...]]] = []
    for e in entries(conn, account):
        amount = (
            f"{money.display(e.amount, e.currency)} {e.currency}"
            if e.amount is not None and e.currency
            else ""
        )
        keyed.append((e.number, (
            str(e.number), e.refund_number or "", e.payee or "", amount,
            display_status(e.status), e.date or "", e.who, e.reason or "",
        )))  # fmt: skip
    for book in books(conn, account):
        if book.skipped_from is None:
            continue
        last = book.start - 1
        span = str(last) if book.skipped_from == last else f"{book.skipped_from}-{last}"
        keyed.append((book.skipped_from, (
            span, "", "", "", "skipped", book.started_at[:10], book.started_by, book.reason or "",
        )))  # fmt: skip
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def summary(conn: sqlite3.Connection, account: str) -> list[str]:
    """A line per book and the next number, above the register."""
    lines = []
    for book in books(conn, account):
        skipped = ""
        if book.skipped_from is not None:
            skipped = f", skipping {book.skipped_from}-{book.start - 1}"
        lines.append(
            f"Book from {book.start}: started {book.started_at[:10]} by {book.started_by}"
            f"{skipped} ({book.reason or 'no reason given'})"
        )
    following = next_number(conn, account)
    if following is None:
        lines.append("No book yet: the first cheque printed starts one above every number used")
    else:
        lines.append(f"Next cheque number: {following}")
    return lines
