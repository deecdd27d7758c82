"""The quick search on PostgreSQL, where SQLite's FTS5 tables do not exist.

SQLite finds a customer or a refund through its search tables (``customer_fts``,
``customer_words``, ``refund_fts``), filled from the views ``customer_search_source``
(``schema_v11.sql``) and ``refund_search_source`` (``schema_v36.sql``). PostgreSQL reads
the same folded texts straight off the rows: each search column below is the twin of its
view column, and the ones ``pg_extra.sql`` indexes with pg_trgm are written exactly as
its indexes are (``xoro_fold(name::text)``, …) so the planner uses them for ``LIKE``.

The tests are those of SQLite's side, on the same folded text:

* three characters or more, or one or two with punctuation: the text anywhere in the
  column (the trigram phrase, or SQLite's ``LIKE``);
* one or two letters or digits: the start of a word of the column (the prefix index:
  a word is a run of letters and digits);
* a typed phone number (Any Field or Phone): also its bare digits in the phone number
  without separators (see ``phones.py``).
"""

from __future__ import annotations

import re
from typing import Any

from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.list_query import like_escape
from xoro_tui.data.search.phones import PHONE_SEPARATORS, typed_phone_digits
from xoro_tui.data.search.refund_search import REFUND_SEARCH_COLUMNS


def _folded(column: str) -> str:
    return f"xoro_fold({column}::text)"


def _sites(column: str) -> str:
    return _folded(f"(SELECT string_agg(s.{column}, ' ') FROM sites s WHERE s.customer_id = c.id)")


def _listed(table: str, column: str) -> str:
    return _folded(
        f"(SELECT string_agg(t.{column}, ' ') FROM {table} t WHERE t.customer_id = c.id)"
    )


def compact_sql(expr: str) -> str:
    """``expr`` without the phone separators (the twin of ``phones.compact``)."""
    for sep in PHONE_SEPARATORS:
        expr = f"replace({expr}, '{sep}', '')"
    return expr


#: the folded phone number without separators (indexed as written in ``pg_extra.sql``)
PHONE_DIGITS = compact_sql("xoro_fold(phone::text)")

#: each column of ``customer_search_source`` over ``customers c``: one expression, or two
#: for the phone (as written, and without separators: the view joins them with a space)
CUSTOMER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (_folded("c.name"),),
    "email": (_folded("c.email"),),
    "phone": (_folded("c.phone"), compact_sql(_folded("c.phone"))),
    "type_name": (_folded("c.type_name"),),
    "postal": (_sites("postal_code"),),
    "refs": (_listed("customer_references", "reference"),),
    "account": (_folded("c.account_number"),),
    "ship_line1": (_sites("line1"),),
    "ship_city": (_sites("city"),),
    "ship_state": (_sites("state"),),
    "ship_country": (_sites("country"),),
    "bill_line1": (_folded("c.bill_to_line1"),),
    "bill_city": (_folded("c.bill_to_city"),),
    "bill_state": (_folded("c.bill_to_state"),),
    "bill_postal": (_folded("c.bill_to_postal_code"),),
    "bill_country": (_folded("c.bill_to_country"),),
    "sales_rep": (_folded("c.sales_rep"),),
    "payment_terms": (_folded("c.payment_terms"),),
    "customer_group": (_folded("c.customer_group"),),
    "order_type": (_folded("c.order_type"),),
    "shipping_terms": (_folded("c.default_shipping_terms"),),
    "payment_method": (_folded("c.default_payment_method"),),
    "tags": (_listed("customer_tags", "tag"),),
    "brands": (_listed("customer_brands", "brand"),),
    "portal_status": (_folded("c.portal_status"),),
    "portal_email": (_folded("c.portal_email"),),
    "portal_email_status": (_folded("c.portal_email_status"),),
    "mandate_status": (_folded("c.mandate_status"),),
}

#: each column of ``refund_search_source`` over ``refunds r JOIN customers c``
REFUND_COLUMNS: dict[str, str] = {
    "refund_number": _folded("r.refund_number"),
    "customer": "xoro_fold(c.account_number || ' ' || c.name)",
    "cheque_number": "coalesce(CAST(r.cheque_number AS TEXT), '')",
    "reference": _folded("r.reference"),
    "memo": "xoro_fold(r.memo)",  # as ``refunds_memo_trgm`` indexes it
    "void_reason": _folded("r.void_reason"),
    "created_by": _folded("r.created_by"),
    "approved_by": _folded("r.approved_by"),
}
assert tuple(REFUND_COLUMNS) == REFUND_SEARCH_COLUMNS

#: letters and digits only: a word of SQLite's prefix index
_WORD = re.compile(r"[^\W_]+")


def _contains(exprs: list[str], folded: str) -> tuple[str, list[Any]]:
    """The folded text anywhere in each expression (folded too): a case-sensitive LIKE
    (``~~``, whose escape is the backslash), since the translation would make a ``LIKE``
    an ``ILIKE``, which folds case again in every row the index finds."""
    pattern = f"%{like_escape(folded)}%"
    return (" OR ".join(f"{e} ~~ ?" for e in exprs), [pattern] * len(exprs))


def _word_start(exprs: list[str], word: str) -> tuple[str, list[Any]]:
    """A word of the column starts with ``word`` (letters and digits only)."""
    pattern = f"(^|[^[:alnum:]]){word}"
    return (" OR ".join(f"{e} ~ ?" for e in exprs), [pattern] * len(exprs))


def customer_ids(term: str, columns: list[str] | None, phone: bool) -> tuple[str, list[Any]]:
    """The ids of the customers whose search ``columns`` (None: all) hold ``term``, as
    SQLite's ``_text_ids`` finds them; ``phone``: the field may be searched by a typed
    phone number's digits (Any Field, Phone)."""
    folded = fold(term).strip()
    # Any Field reads each customer's kept search text (pg_search_doc.py), one indexed column
    exprs = [e for name in columns for e in CUSTOMER_COLUMNS[name]] if columns else ["s.doc"]
    digits_where: tuple[str, list[Any]] | None = None
    if len(folded) >= 3:
        digits = typed_phone_digits(folded) if phone else None
        phone_test = _contains(list(CUSTOMER_COLUMNS["phone"]), digits or "")
        if digits is not None and columns:
            where, args = phone_test
        elif digits is not None and digits != folded:
            where, args = _contains(exprs, folded)
            digits_where = phone_test
        else:
            where, args = _contains(exprs, folded)
    elif _WORD.fullmatch(folded):
        where, args = _word_start(exprs, folded)
    else:
        where, args = _contains(exprs, folded)
    if columns:
        return (f"SELECT c.id FROM customers c WHERE {where}", args)
    if digits_where is not None:  # the phone's digits are tested on the phone alone
        text, text_args = digits_where
        return (
            f"SELECT s.customer_id FROM customer_search s WHERE {where} "
            f"UNION SELECT c.id FROM customers c WHERE {text}",
            [*args, *text_args],
        )
    return (f"SELECT s.customer_id FROM customer_search s WHERE {where}", args)


def refund_ids(folded: str, field: str) -> tuple[str, list[Any]]:
    """The ids of the refunds whose search columns (``field``'s, or all) hold the text."""
    exprs = [REFUND_COLUMNS[field]] if field in REFUND_COLUMNS else list(REFUND_COLUMNS.values())
    where, args = _contains(exprs, folded)
    return (
        f"SELECT r.id FROM refunds r JOIN customers c ON c.id = r.customer_id WHERE {where}",
        args,
    )
