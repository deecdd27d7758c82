"""Quick add: which existing customers a typed name, email, phone or account number is likely
to be, and which field a typed value belongs in when it is a new customer."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from pydantic import TypeAdapter, ValidationError

from xoro_tui.data.customers.customer_list import pg_search_sql, search_sql
from xoro_tui.data.models.validators import OptionalEmail
from xoro_tui.data.search import pg_search
from xoro_tui.data.store.connection import is_postgres

#: shortest digit run that is compared as a phone number
PHONE_MIN_DIGITS = 6
#: a stored number ending with the typed digits matches too (typed without country code)
PHONE_SUFFIX_MIN_DIGITS = 7

#: most quick-search hits looked at (then the first ``limit`` by name are offered)
SEARCH_CAP = 200

_ACCOUNT = re.compile(r"^[A-Za-z]{1,4}-?\d+$")
_PHONE_CHARS = re.compile(r"^[\d+\s().\-]+$")
_PHONE_SEPARATORS = (" ", "-", "(", ")", ".", "+")
_EMAIL = TypeAdapter(OptionalEmail)
_COLUMNS = "c.id, c.account_number, c.name, c.email, c.phone"


@dataclass(frozen=True)
class Match:
    """An existing customer the typed text may mean, and why it is offered."""

    id: int
    account_number: str
    name: str
    email: str | None
    phone: str | None
    reason: str


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _digits_sql(column: str) -> str:
    """SQL for ``column`` without the usual phone separators (no custom function needed)."""
    expr = f"coalesce({column}, '')"
    for sep in _PHONE_SEPARATORS:
        expr = f"replace({expr}, '{sep}', '')"
    return expr


def _phone_sql(typed_digits: str, postgres: bool = False) -> tuple[str, list[Any]]:
    """Same digits, whatever the separators; a stored number that ends with the typed digits
    matches too (typed without the country code). The trigram index on the last four digits
    narrows the rows first, so this is no full scan (on PostgreSQL, the trigram index of
    the numbers without separators, see pg_search.py)."""
    stored = _digits_sql("c.phone")
    if postgres:
        narrow = f"{pg_search.compact_sql('xoro_fold(c.phone::text)')} LIKE ?"
        args: list[Any] = [f"%{typed_digits[-4:]}%", typed_digits]
    else:
        narrow = "c.id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)"
        args = [f'phone : "{typed_digits[-4:]}"', typed_digits]
    where = f"{narrow} AND ({stored} = ?"
    if len(typed_digits) >= PHONE_SUFFIX_MIN_DIGITS:
        where += f" OR {stored} LIKE ?"
        args.append(f"%{typed_digits}")
    return where + ")", args


def _capped(clause: str) -> str:
    """Look at no more than :data:`SEARCH_CAP` hits of the quick-search index.

    ``search_sql`` gives ``c.id IN (<subquery>)``; a common word matches most customers,
    and the full list of hits would cost a tenth of a second per keystroke.
    """
    prefix = "c.id IN ("
    if clause.startswith(prefix) and clause.endswith(")"):
        return f"{prefix}{clause[len(prefix) : -1]} LIMIT {SEARCH_CAP})"
    return clause


def _rows(
    conn: sqlite3.Connection, where: str, args: list[Any], limit: int
) -> list[tuple[int, str, str, str | None, str | None]]:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM customers c WHERE c.state = 'active' AND ({where}) "
        "ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?",
        [*args, limit],
    ).fetchall()


def likely_matches(
    db: sqlite_utils.Database | sqlite3.Connection, text: str, limit: int = 8
) -> list[Match]:
    """Up to ``limit`` active customers ``text`` likely means, best first.

    Exact hits come first (same account number, same email, same phone digits), then
    customers whose name or other searchable details contain the text (the quick-search
    index, so case and accents do not matter).
    """
    conn = db.conn if isinstance(db, sqlite_utils.Database) else db
    postgres = is_postgres(db)
    term = text.strip()
    if not term or limit <= 0:
        return []
    queries: list[tuple[str, str, list[Any]]] = [
        ("same account number", "c.account_number = ?", [term]),
    ]
    if "@" in term:
        queries.append(("same email", "c.email = ? COLLATE NOCASE", [term]))
    typed_digits = digits(term)
    if len(typed_digits) >= PHONE_MIN_DIGITS and _PHONE_CHARS.match(term):
        queries.append(("same phone", *_phone_sql(typed_digits, postgres)))
    search = (pg_search_sql if postgres else search_sql)(term, "any")
    if search is not None:
        queries.append(("contains the text", _capped(search[0]), list(search[1])))

    found: dict[int, Match] = {}
    for reason, where, args in queries:
        for row in _rows(conn, where, args, limit):
            if row[0] not in found:
                found[row[0]] = Match(*row, reason=reason)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def guess_field(text: str) -> str:
    """The customer field a typed value most likely belongs in.

    ``email`` when it contains ``@`` and is a valid address; ``phone`` when it is mostly
    digits, ``+``, spaces and separators with at least six digits; ``account_number`` when
    it looks like ``AB-123`` / ``C123``; otherwise ``name``.
    """
    term = text.strip()
    if "@" in term:
        try:
            _EMAIL.validate_python(term)
        except ValidationError:
            pass
        else:
            return "email"
    if _PHONE_CHARS.match(term) and len(digits(term)) >= PHONE_MIN_DIGITS:
        return "phone"
    if _ACCOUNT.match(term):
        return "account_number"
    return "name"
