"""The Customer Refund Centre's list: its fields as SQL, its quick search, its filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xoro_tui.data.models import money
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.search import pg_search
from xoro_tui.data.search.few_values import in_sql, values_named
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.list_query import FieldDef, Filter, ListSpec, fields_by_key, like_escape
from xoro_tui.data.search.refund_search import REFUND_SEARCH_COLUMNS
from xoro_tui.data.store.connection import is_postgres
from xoro_tui.data.store.currencies import major_units_sql

STATUSES: tuple[str, ...] = tuple(s.value for s in RefundStatus)


FIELDS: dict[str, FieldDef] = fields_by_key(
    FieldDef("refund_number", "Refund #", "r.refund_number", width=10, not_null=True,
             sort_sql="r.refund_number COLLATE NOCASE"),
    FieldDef("refund_date", "Date", "r.refund_date", kind="date", width=10, not_null=True),
    FieldDef("customer", "Customer", "(SELECT name FROM customers WHERE id = r.customer_id)",
             width=24),
    FieldDef("customer_account_number", "Account #",
             "(SELECT account_number FROM customers WHERE id = r.customer_id)", width=10),
    # sorted by currency, then amount: 1,490 JPY never sits between 14.77 USD and 16 EUR
    FieldDef("amount", "Amount", "r.amount", kind="money", width=13,
             filter_sql=major_units_sql("r.amount", "r.currency"),
             sort_sql="(r.currency || printf('%019d', r.amount))"),
    FieldDef("currency", "Cur", "r.currency", kind="lookup", width=3),
    FieldDef("status", "Status", "r.status", kind="lookup", width=16),
    FieldDef("refund_account", "Refund Account", "r.refund_account", kind="lookup",
             lookup="refund_accounts", width=16),
    FieldDef("payment_method", "Payment Method", "r.payment_method", kind="lookup", width=13),
    FieldDef("cheque_number", "Cheque #", "r.cheque_number", kind="number", width=8),
    FieldDef("source_document", "Source",
             "(SELECT number FROM documents WHERE id = r.source_document_id)", width=10),
    FieldDef("reference", "Reference", "r.reference", width=12),
    FieldDef("memo", "Memo", "r.memo", width=20),
    FieldDef("created_by", "Created By", "r.created_by", width=10),
    FieldDef("approved_by", "Approved By", "r.approved_by", width=10),
    FieldDef("void_reason", "Void Reason", "r.void_reason", width=16),
    FieldDef("updated_at", "Last Changed", "r.updated_at", kind="date", width=16),
    FieldDef("cheque_print", "Cheque Print",
             "(SELECT 'awaiting confirmation' FROM cheque_register g"
             " WHERE g.refund_id = r.id AND g.status = 'reserved')", width=21),
)  # fmt: skip

DEFAULT_COLUMNS: tuple[str, ...] = (
    "refund_number",
    "refund_date",
    "customer",
    "amount",
    "currency",
    "status",
    "payment_method",
    "cheque_number",
    "refund_account",
)

#: the columns of the refund search index (Any Field reads them all)
TEXT_SEARCH_FIELDS: tuple[str, ...] = REFUND_SEARCH_COLUMNS
SEARCH_FIELDS: dict[str, str] = {
    "any": "Any Field",
    "refund_number": "Refund Number",
    "customer": "Customer",
    "cheque_number": "Cheque Number",
    "reference": "Reference",
    "memo": FIELDS["memo"].title,
    "void_reason": FIELDS["void_reason"].title,
    "created_by": FIELDS["created_by"].title,
    "approved_by": FIELDS["approved_by"].title,
    # columns with a handful of values (and a document number): the values the typed text
    # names are looked up through the column's index, not the text index (few_values.py)
    "currency": "Cur",
    "status": "Status",
    "payment_method": "Payment Method",
    "refund_account": "Refund Account",
    "source_document": "Source",
    "cheque_print": "Cheque Print",
}
#: what the Cheque Print column says of a refund whose cheque awaits confirmation
AWAITING = "awaiting confirmation"


def search_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """Refund number, customer (account or name), cheque number, reference, memo, void
    reason, creator or approver as literal text; a currency, status, payment method or
    refund account the text names (a whole value or one of its words: ``eur``,
    ``pending``, ``cash``); a source document by its whole number; "awaiting" (Cheque
    Print)."""
    return _search(term, field, _text_ids)


def pg_search_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """The quick search on PostgreSQL: the same matches, the text read off the rows'
    folded columns (see :mod:`pg_search`), the named values through the same indexes."""
    return _search(term, field, _pg_text_ids)


def _search(
    term: str, field: str, text_ids: Callable[[str, str], tuple[str, list[Any]] | None]
) -> tuple[str, list[Any]] | None:
    folded = fold(term).strip()
    if not folded:
        return None
    text = text_ids(folded, field)
    parts = [text] if text else []
    parts.extend(
        (f"SELECT id FROM refunds WHERE {test}", args) for test, args in _named(term, field)
    )
    if not parts:
        return ("0", [])
    return (
        f"r.id IN ({' UNION '.join(sql for sql, _ in parts)})",
        [arg for _, args in parts for arg in args],
    )


def search_probe_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """For a search with many matches: the same test, with the matches collected once and
    each row met in the sort's order looked up among them (``+`` keeps the sort's index
    as the driver), so a window stops after its rows instead of sorting every match."""
    built = search_sql(term, field)
    return None if built is None else ("+" + built[0], built[1])


def _text_ids(folded: str, field: str) -> tuple[str, list[Any]] | None:
    """The ids of the refunds whose search columns hold the text (None: another field).

    Three characters or more are a phrase of the trigram index; fewer are looked for in
    each column's folded text (the index holds no shorter piece), read from the index's
    own copy of it (``refund_fts_content``: its ``c0``, ``c1``, … are the columns in
    order), as the index's table reads a row at thrice the cost."""
    if field not in ("any", *TEXT_SEARCH_FIELDS):
        return None
    if len(folded) >= 3:
        return ("SELECT rowid FROM refund_fts WHERE refund_fts MATCH ?", [_phrase(folded, field)])
    columns = [field] if field in TEXT_SEARCH_FIELDS else list(TEXT_SEARCH_FIELDS)
    tests = " OR ".join(f"instr(c{TEXT_SEARCH_FIELDS.index(c)}, ?)" for c in columns)
    return (f"SELECT id FROM refund_fts_content WHERE {tests}", [folded] * len(columns))


def _pg_text_ids(folded: str, field: str) -> tuple[str, list[Any]] | None:
    if field not in ("any", *TEXT_SEARCH_FIELDS):
        return None
    return pg_search.refund_ids(folded, field)


def _phrase(folded: str, field: str) -> str:
    """The MATCH of the text as one phrase, in the field's column when it has one."""
    phrase = '"' + folded.replace('"', '""') + '"'
    return f"{field} : {phrase}" if field in TEXT_SEARCH_FIELDS else phrase


def _named(term: str, field: str) -> list[tuple[str, list[Any]]]:
    """Conditions on a ``refunds`` row: its value in a column of few values is one the text
    names. Each is answered by that column's index."""

    def wanted(key: str) -> bool:
        return field in ("any", key)

    parts: list[tuple[str, list[Any]]] = []
    fixed = {
        "currency": sorted(money.CURRENCIES),
        "status": STATUSES,
        "payment_method": [m.value for m in PaymentMethod],
    }
    for key, values in fixed.items():
        named = values_named(term, values) if wanted(key) else []
        if named:
            parts.append(in_sql(key, named))
    folded = " ".join(fold(term).split())
    if wanted("refund_account"):  # a few accounts: named by the whole name or one word
        parts.append((
            "refund_account IN (SELECT name FROM refund_accounts"
            " WHERE xoro_fold(name) = ? OR ' ' || xoro_fold(name) || ' ' LIKE ? ESCAPE '\\')",
            [folded, f"% {like_escape(folded)} %"],
        ))  # fmt: skip
    if wanted("source_document") and len(folded) >= 3:
        typed = term.strip()
        parts.append((
            "source_document_id IN (SELECT id FROM documents"
            " WHERE doc_type IN ('customer_deposit', 'credit_memo') AND number IN (?, ?))",
            [typed, typed.upper()],
        ))  # fmt: skip
    if wanted("cheque_print") and values_named(term, [AWAITING]):
        parts.append(
            ("id IN (SELECT refund_id FROM cheque_register WHERE status = 'reserved')", [])
        )
    return parts


def search_count(conn, term: str, field: str) -> int | None:  # noqa: ANN001
    """The exact count of a search, without reading the refunds it finds.

    Every refund is in the Centre and has one row in the search index (its rowid is the
    refund's id), so the text matches are counted by the index alone; the refunds a named
    value finds are counted off their columns' indexes (values named by no refund left
    out: an ``OR`` of indexes costs a set of every row), less those both found, counted
    from the smaller side. At a million refunds (load 3 to 6), collecting the matches and
    reading each refund took 290 to 540 ms for ``eur`` (199,745 refunds: the currency and
    an account named EUR); this takes 55 to 130 ms, and 7 to 40 ms for a word or a value
    alone (``cash``, ``voided``, ``smith``).
    """
    folded = fold(term).strip()
    if not folded:
        return None
    texts, text = 0, _text_ids(folded, field)
    if text is not None:
        texts = conn.execute(f"SELECT count(*) FROM ({text[0]})", text[1]).fetchone()[0]
    named = [
        (test, args)
        for test, args in _named(term, field)
        if conn.execute(f"SELECT 1 FROM refunds WHERE {test} LIMIT 1", args).fetchone()
    ]
    if not named:
        return int(texts)
    tests = " OR ".join(f"({test})" for test, _ in named)
    args = [arg for _, targs in named for arg in targs]
    values = conn.execute(f"SELECT count(*) FROM refunds WHERE {tests}", args).fetchone()[0]
    both = 0
    if text is not None and texts:  # found by both: counted once
        if texts <= values:  # each text match looked up (``+``: not through the indexes)
            sql = f"SELECT count(*) FROM refunds WHERE id IN ({text[0]}) AND +({tests})"
            both = conn.execute(sql, [*text[1], *args]).fetchone()[0]
        else:  # each refund of the values looked for among the text matches
            sql = f"SELECT count(*) FROM refunds WHERE ({tests}) AND +id IN ({text[0]})"
            both = conn.execute(sql, [*args, *text[1]]).fetchone()[0]
    return int(texts + values - both)


def extras_sql(flt: Filter) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    args: list[Any] = []
    status = flt.extra("status")
    if status:
        parts.append("r.status = ?")
        args.append(status)
    method = flt.extra("payment_method")
    if method:
        parts.append("r.payment_method = ?")
        args.append(method)
    if flt.extra("date_from"):
        parts.append("r.refund_date >= ?")
        args.append(str(flt.extra("date_from")))
    if flt.extra("date_to"):
        parts.append("r.refund_date <= ?")
        args.append(str(flt.extra("date_to")))
    customer = flt.extra("customer_id")
    if customer:
        parts.append("r.customer_id = ?")
        args.append(customer)
    return parts, args


def in_sort_order(conn, ids: list[int], sort: tuple[str, bool] | None) -> list[int]:  # noqa: ANN001
    """``ids`` in the list's sort order (as the Refund Centre shows them), filter or not."""
    import json

    key, desc = sort or ("refund_date", False)
    fdef = FIELDS.get(key) or FIELDS["refund_date"]
    direction = " DESC" if desc else ""
    rows = conn.execute(
        f"SELECT r.id FROM refunds r WHERE r.id IN (SELECT value FROM json_each(?))"
        f" ORDER BY {fdef.sort_sql or fdef.sql}{direction}, r.id{direction}",
        (json.dumps(list(ids)),),
    ).fetchall()
    return [int(r[0]) for r in rows]


def refund_spec() -> ListSpec:
    return ListSpec(
        name="refunds",
        from_sql="refunds r",
        key_sql="r.id",
        base_where="",
        fields=FIELDS,
        search=search_sql,
        extras=extras_sql,
        default_sort="refund_date",
        search_probe=search_probe_sql,
        search_count=search_count,
        pg_search=pg_search_sql,
    )


def status_counts(conn, flt: Filter) -> dict[str, int]:
    """How many refunds of the filter (status aside) stand in each status."""
    from xoro_tui.data.search.list_query import where_sql

    spec = refund_spec()
    where, args = where_sql(spec, flt.with_extra("status", None), postgres=is_postgres(conn))
    rows = conn.execute(
        f"SELECT r.status, count(*) FROM refunds r WHERE {where} GROUP BY r.status", args
    ).fetchall()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def totals(conn, flt: Filter) -> list[tuple[str, int, int]]:
    """(currency, count, sum of minor units) for the filter, voided refunds left out."""
    from xoro_tui.data.search.list_query import where_sql

    where, args = where_sql(refund_spec(), flt, postgres=is_postgres(conn))
    return [
        (cur, n, total)
        for cur, n, total in conn.execute(
            f"SELECT r.currency, count(*), sum(r.amount) FROM refunds r "
            f"WHERE {where} AND r.status != 'Voided' GROUP BY r.currency ORDER BY r.currency",
            args,
        ).fetchall()
    ]
