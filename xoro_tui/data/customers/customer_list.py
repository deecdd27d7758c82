"""The Customer Centre's list: its fields as SQL, its quick search, its extras."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from xoro_tui.data.models import money
from xoro_tui.data.search import pg_search
from xoro_tui.data.search.few_values import values_named
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.list_query import FieldDef, Filter, ListSpec, fields_by_key, like_escape
from xoro_tui.data.search.phones import typed_phone_digits
from xoro_tui.data.search.search_sync import SEARCH_COLUMNS

DEFAULT_SITE_JOIN = "LEFT JOIN sites ds ON ds.customer_id = c.id AND ds.is_default = 1"


def site_sql(column: str) -> str:
    """A column of the customer's default ship-to site."""
    return f"(SELECT s.{column} FROM sites s WHERE s.customer_id = c.id AND s.is_default = 1)"


def site_field(key: str, title: str, column: str, **kw: Any) -> FieldDef:
    """A ship-to field: a subquery for a window of rows, one shared join for an export."""
    return FieldDef(
        key=key, title=title, sql=site_sql(column), joined=(DEFAULT_SITE_JOIN, f"ds.{column}"), **kw
    )


def _multi(table: str, column: str) -> str:
    return (
        f"(SELECT group_concat({column}, '|') FROM "
        f"(SELECT {column} FROM {table} t WHERE t.customer_id = c.id ORDER BY {column}))"
    )


def _each(table: str, column: str) -> tuple[str, str]:
    """A customer's list of values, for Advanced Search (see ``FieldDef.each``)."""
    return (f"{table} e WHERE e.customer_id = c.id", f"e.{column}")


#: the customer's money (see customer_money): read through one join, filtered through the
#: summary's own indexes, so a count of customers never reads it unless it filters on it.
#: LEFT: every customer has its row (a trigger makes it), and SQLite leaves out a left join
#: on a unique key that a query does not use, so a window sorted by name never reads it
MONEY_JOIN = "LEFT JOIN customer_money m ON m.customer_id = c.id"
_MONEY_VIA = "c.id IN (SELECT mf.customer_id FROM customer_money mf WHERE {})"


def _money_first(key: str) -> str:
    """The summary's sort index read first (the range, always true, tells the planner that
    few of its rows are needed, so it neither sorts nor filters every customer first)."""
    return f"customer_money m CROSS JOIN customers c ON c.id = m.customer_id AND m.{key} >= ''"


def money_field(key: str, title: str, column: str, **kw: Any) -> FieldDef:
    return FieldDef(key=key, title=title, sql=f"m.{column}", filter_via=_MONEY_VIA, **kw)


FIELDS: dict[str, FieldDef] = fields_by_key(
    FieldDef("account_number", "Account #", "c.account_number", width=11, not_null=True,
             sort_sql="c.account_number COLLATE NOCASE"),
    FieldDef("name", "Customer Name", "c.name", width=30, not_null=True,
             sort_sql="c.name COLLATE NOCASE"),
    FieldDef("type_name", "Type Name", "c.type_name", kind="lookup", lookup="customer_types",
             width=12),
    FieldDef("email", "Email", "c.email", width=26, sort_sql="c.email COLLATE NOCASE"),
    FieldDef("phone", "Phone", "c.phone", width=16),
    site_field("ship_to_postal_code", "Ship To Postal/Zip", "postal_code", width=10),
    site_field("ship_to_city", "Ship To City", "city", width=14),
    site_field("ship_to_state", "Ship To State", "state", width=8),
    site_field("ship_to_country", "Ship To Country", "country", width=12),
    site_field("ship_to_line1", "Ship To Address", "line1", width=24),
    FieldDef("bill_to_line1", "Bill To Address", "c.bill_to_line1", width=24),
    FieldDef("bill_to_city", "Bill To City", "c.bill_to_city", width=14),
    FieldDef("bill_to_state", "Bill To State", "c.bill_to_state", width=8),
    FieldDef("bill_to_postal_code", "Bill To Postal/Zip", "c.bill_to_postal_code", width=10),
    FieldDef("bill_to_country", "Bill To Country", "c.bill_to_country", width=12),
    FieldDef("sales_rep", "Sales Rep", "c.sales_rep", kind="lookup", lookup="sales_reps", width=14),
    FieldDef("payment_terms", "Payment Terms", "c.payment_terms", kind="lookup",
             lookup="payment_terms", width=10),
    FieldDef("customer_group", "Customer Group", "c.customer_group", kind="lookup",
             lookup="customer_groups", width=12),
    FieldDef("order_type", "Order Type", "c.order_type", kind="lookup", lookup="order_types",
             width=10),
    FieldDef("default_shipping_terms", "Shipping Terms", "c.default_shipping_terms",
             kind="lookup", lookup="shipping_terms", width=10),
    FieldDef("default_payment_method", "Default Payment Method", "c.default_payment_method",
             kind="lookup", lookup="payment_methods", width=12),
    FieldDef("tags", "Tags", _multi("customer_tags", "tag"), width=16, sortable=False,
             each=_each("customer_tags", "tag")),
    FieldDef("brands", "Brands", _multi("customer_brands", "brand"), width=16, sortable=False,
             each=_each("customer_brands", "brand")),
    FieldDef("references", "References", _multi("customer_references", "reference"), width=16,
             sortable=False, each=_each("customer_references", "reference")),
    FieldDef("is_active", "Active", "c.is_active", kind="bool", width=6),
    FieldDef("is_restricted", "Restricted", "c.is_restricted", kind="bool", width=6),
    FieldDef("show_invoice_credit_deposit_on_portal", "Show Inv/Credit/Deposit on Portal",
             "c.show_invoice_credit_deposit_on_portal", kind="bool", width=6),
    FieldDef("portal_status", "Portal", "c.portal_status", kind="lookup", width=8),
    FieldDef("portal_email", "Portal Email", "c.portal_email", width=24),
    FieldDef("portal_email_status", "Portal Email Check", "c.portal_email_status", width=9),
    FieldDef("mandate_status", "Direct Debit", "c.mandate_status", kind="lookup", width=10),
    # amounts in the customer's currency, sorted by currency then amount
    money_field("open_balance", "Open Balance", "open_balance", kind="money", width=17,
                filter_sql="mf.open_major", sort_sql="m.open_key", not_null=True,
                sort_from=_money_first("open_key")),
    money_field("unapplied", "Unapplied Credits", "unapplied", kind="money", width=17,
                filter_sql="mf.unapplied_major", sort_sql="m.unapplied_key", not_null=True,
                sort_from=_money_first("unapplied_key")),
    money_field("last_activity", "Last Activity", "last_activity", kind="date", width=10,
                filter_sql="mf.last_activity", sort_sql="m.last_key", not_null=True,
                sort_from=_money_first("last_key")),
    money_field("currency", "Cur", "currency", width=3, filter_sql="mf.currency"),
    money_field("currencies", "Currencies", "currencies", kind="number", width=4,
                filter_sql="mf.currencies"),
    FieldDef("updated_at", "Last Changed", "c.updated_at", kind="date", width=16),
)  # fmt: skip

DEFAULT_COLUMNS: tuple[str, ...] = (
    "account_number",
    "name",
    "type_name",
    "email",
    "phone",
    "ship_to_postal_code",
    "sales_rep",
)

#: the search tables' columns of each text field (a search of "Any Field" reads them all)
_FIELD_COLUMNS: dict[str, str] = {
    "account_number": "account", "name": "name", "type_name": "type_name", "email": "email",
    "phone": "phone", "ship_to_postal_code": "postal", "ship_to_city": "ship_city",
    "ship_to_state": "ship_state", "ship_to_country": "ship_country",
    "ship_to_line1": "ship_line1", "bill_to_line1": "bill_line1", "bill_to_city": "bill_city",
    "bill_to_state": "bill_state", "bill_to_postal_code": "bill_postal",
    "bill_to_country": "bill_country", "sales_rep": "sales_rep",
    "payment_terms": "payment_terms", "customer_group": "customer_group",
    "order_type": "order_type", "default_shipping_terms": "shipping_terms",
    "default_payment_method": "payment_method", "tags": "tags", "brands": "brands",
    "references": "refs", "portal_status": "portal_status", "portal_email": "portal_email",
    "portal_email_status": "portal_email_status", "mandate_status": "mandate_status",
}  # fmt: skip
#: the chooser's fields that are no column of the list: the ship-to fields search every
#: ship-to site of a customer, "All References" its account number and references
_SEARCH_COLUMNS: dict[str, str] = {
    "postal": "postal",
    "refs": "{account refs}",
    **_FIELD_COLUMNS,
}
#: quick-search fields in the order the chooser offers them: the first seven as before
#: (saved views and settings name them), then every other text column of the list
SEARCH_FIELDS: dict[str, str] = {
    "any": "Any Field",
    "name": "Customer Name",
    "email": "Email",
    "phone": "Phone",
    "type_name": "Type Name",
    "postal": "Ship To Postal/Zip",
    "refs": "All References",
    **{k: FIELDS[k].title for k in _FIELD_COLUMNS if k not in ("name", "email", "phone",
                                                           "type_name", "ship_to_postal_code")},
    # a column with a handful of values: matched as a whole code, not through the index
    "currency": FIELDS["currency"].title,
}  # fmt: skip


def _column(field: str) -> str | None:
    """The column filter of a quick-search field (None: every column)."""
    return _SEARCH_COLUMNS.get(field)


#: letters and digits only: what the word index keeps (it drops ``_`` like other punctuation)
_WORD = re.compile(r"[^\W_]+")


def search_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """Quick search: case- and accent-folded; the text is always data, never syntax.

    Three or more characters search "contains" in the trigram index; one or two letters
    or digits match the starts of words in the prefix index; one or two characters with
    punctuation (``%``, ``_``, ``"``, ``5%``) are searched as literal text. A currency
    code (``eur``) also finds the customers in that currency (the Cur column).
    """
    return _search(term, field, _text_ids)


def pg_search_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """The quick search on PostgreSQL: the same matches, read off the rows' folded text
    through pg_extra.sql's trigram indexes (see :mod:`pg_search`)."""
    return _search(term, field, _pg_text_ids)


#: the states of customers a search finds but the Centre does not show (fast counts take
#: them off the index's count)
NOT_IN_CENTRE = "('deleted', 'merged', 'archived')"


def _search(
    term: str, field: str, text_ids: Callable[[str, str], tuple[str, list[Any]]]
) -> tuple[str, list[Any]] | None:
    found = _matching_ids(term, field, text_ids)
    if found is None:
        return None
    ids, args = found
    return (f"c.id IN ({ids})", args) if ids else ("0", [])


def _matching_ids(
    term: str, field: str, text_ids: Callable[[str, str], tuple[str, list[Any]]]
) -> tuple[str, list[Any]] | None:
    """The ids of every customer (in any state) the search finds, as a query ("": none);
    None for a blank search."""
    folded = fold(term).strip()
    if not folded:
        return None
    ids, args = text_ids(term, field) if field != "currency" else ("", [])
    codes = _currency_codes(term, field)
    if codes:
        money_ids, money_args = _currency_ids(codes)
        ids, args = (
            (f"{ids} UNION {money_ids}", [*args, *money_args]) if ids else (money_ids, money_args)
        )
    return ids, args


def pg_search_count(conn, term: str, field: str) -> int | None:  # noqa: ANN001
    """On PostgreSQL, as :func:`search_count` on SQLite: the customers the search text finds
    less the few not in the Centre, without reading each found customer's row (a common
    name's count: 4 ms instead of 13)."""
    found = _matching_ids(term, field, _pg_text_ids)
    if found is None:
        return None
    ids, args = found
    if not ids:
        return 0
    return int(
        conn.execute(
            f"SELECT count(*) FROM ({ids}) AS hits(id) "
            f"WHERE id NOT IN (SELECT id FROM customers WHERE state IN {NOT_IN_CENTRE})",
            args,
        ).fetchone()[0]
    )


def _pg_text_ids(term: str, field: str) -> tuple[str, list[Any]]:
    column = _column(field)
    columns = column.strip("{}").split() if column else None
    return pg_search.customer_ids(term, columns, phone=field in ("any", "phone"))


def _text_ids(term: str, field: str) -> tuple[str, list[Any]]:
    """The ids of the customers whose text columns hold ``term``: a query on an index."""
    folded = fold(term).strip()
    column = _column(field)
    trigram = _trigram_match(term, field)
    if trigram is not None:
        return ("SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?", [trigram])
    words = _WORD.findall(folded)
    if words and _WORD.fullmatch(folded):
        query = " ".join(f'"{w}" *' for w in words)
        match = f"{column} : ({query})" if column else query
        return ("SELECT rowid FROM customer_words WHERE customer_words MATCH ?", [match])
    pattern = f"%{like_escape(folded)}%"
    columns = column.strip("{}").split() if column else list(SEARCH_COLUMNS)
    likes = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
    return (f"SELECT rowid FROM customer_fts WHERE {likes}", [pattern] * len(columns))


def _currency_codes(term: str, field: str) -> list[str]:
    """The currency a search names, typed whole in any case (``eur``), for Any Field and
    the Cur field; none for other fields or other text."""
    if field not in ("any", "currency"):
        return []
    return values_named(term, sorted(money.CURRENCIES))


def _currency_ids(codes: list[str]) -> tuple[str, list[Any]]:
    """The customers in these currencies, read off the open-balance sort index (its key
    starts with the customer's currency, then digits: ``:`` comes after ``9``)."""
    ranges = " OR ".join("(open_key >= ? AND open_key < ?)" for _ in codes)
    args = [bound for code in codes for bound in (code, f"{code}:")]
    return (f"SELECT customer_id FROM customer_money WHERE {ranges}", args)


def _words_match(term: str, field: str) -> str | None:
    """The prefix-index MATCH for a 1–2 character search, or None when it does not apply."""
    folded = fold(term).strip()
    words = _WORD.findall(folded)
    if field == "currency" or not folded or len(folded) >= 3 or not words:
        return None
    if not _WORD.fullmatch(folded):
        return None
    column = _column(field)
    query = " ".join(f'"{w}" *' for w in words)
    return f"{column} : ({query})" if column else query


def search_probe_sql(term: str, field: str) -> tuple[str, list[Any]] | None:
    """For a search with many matches: test each row met in sort order against the prefix
    index, instead of collecting every match first (the index walk stops after a window)."""
    codes = _currency_codes(term, field)
    if codes:  # a currency: each row's own currency, beside the (few) text matches
        marks = ", ".join("?" * len(codes))
        money = (
            "EXISTS (SELECT 1 FROM customer_money g WHERE g.customer_id = c.id "
            f"AND g.currency IN ({marks}))"
        )
        if field == "currency":
            return (money, list(codes))
        ids, args = _text_ids(term, field)
        return (f"(c.id IN ({ids}) OR {money})", [*args, *codes])
    match = _words_match(term, field)
    if match is None:
        return None
    return (
        "EXISTS (SELECT 1 FROM customer_words WHERE customer_words MATCH ? AND rowid = c.id)",
        [match],
    )


def _trigram_match(term: str, field: str) -> str | None:
    """The trigram-index MATCH for a search of three or more characters, or None.

    A typed phone number (Any Field or Phone) is also looked for as its bare digits in the
    phone column, which holds each number without separators too (see ``phones.py``).
    """
    folded = fold(term).strip()
    if len(folded) < 3 or field == "currency":
        return None
    phrase = '"' + folded.replace('"', '""') + '"'
    column = _column(field)
    digits = typed_phone_digits(folded) if field in ("any", "phone") else None
    if digits is not None and column:
        return f'phone : "{digits}"'
    if digits is not None and digits != folded:
        return f'{phrase} OR phone : "{digits}"'
    return f"{column} : {phrase}" if column else phrase


#: above this many matches, the few customers not in the Centre are each tested against
#: the index; below it the matches are collected once and the few looked up among them
COLLECT_MATCHES_BELOW = 50_000


def search_count(conn, term: str, field: str) -> int | None:  # noqa: ANN001
    """An exact count of a search: the index's own count less the few customers not in
    the Centre (deleted, merged, archived) that match.

    Reading every matching customer to test its state took 7 ms for a common name and
    180 ms for a common trigram; this takes 3 and 18 ms. A currency code adds the
    customers in it, counted off the open-balance index, less those the text found too.
    """
    match = _trigram_match(term, field)
    table = "customer_fts"
    if match is None:
        match, table = _words_match(term, field), "customer_words"
    codes = _currency_codes(term, field)
    if match is None and not codes:
        return None
    everyone, tests, args = 0, [], []
    if match is not None:
        everyone = conn.execute(
            f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (match,)
        ).fetchone()[0]
        if everyone < COLLECT_MATCHES_BELOW:  # ``+`` keeps the state index as the driver
            tests.append(f"+c.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
        else:
            tests.append(f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = c.id)")
        args.append(match)
    if codes:
        money_ids, money_args = _currency_ids(codes)
        everyone += conn.execute(f"SELECT count(*) FROM ({money_ids})", money_args).fetchone()[0]
        if match is not None:  # found by both: counted once
            everyone -= conn.execute(
                f"SELECT count(*) FROM ({money_ids}) "
                f"WHERE customer_id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)",
                (*money_args, match),
            ).fetchone()[0]
        marks = ", ".join("?" * len(codes))
        tests.append(
            "EXISTS (SELECT 1 FROM customer_money g WHERE g.customer_id = c.id "
            f"AND g.currency IN ({marks}))"
        )
        args.extend(codes)
    gone = conn.execute(
        "SELECT count(*) FROM customers c "
        f"WHERE c.state IN {NOT_IN_CENTRE} AND ({' OR '.join(tests)})",
        args,
    ).fetchone()[0]
    return int(everyone - gone)


def extras_sql(flt: Filter) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    args: list[Any] = []
    mandate = flt.extra("mandate_status")
    if mandate:
        parts.append("c.mandate_status = ?")
        args.append(mandate)
    ids = flt.extra("ids")
    if ids:
        parts.append(f"c.id IN ({', '.join('?' * len(ids))})")
        args.extend(ids)
    return parts, args


def customer_spec(state: str = "active") -> ListSpec:
    """The customers in one state: the Centre shows ``active``, the bin ``deleted``."""
    if state not in ("active", "deleted", "merged", "archived"):
        raise ValueError(state)
    return ListSpec(
        name=f"customers:{state}",
        from_sql=f"customers c {MONEY_JOIN}",
        count_from_sql="customers c",
        key_sql="c.id",
        base_where=f"c.state = '{state}'",
        fields=FIELDS,
        search=search_sql,
        extras=extras_sql,
        search_probe=search_probe_sql if state == "active" else None,
        search_count=search_count if state == "active" else None,
        pg_search=pg_search_sql,
        pg_search_count=pg_search_count if state == "active" else None,
        default_sort="name",
    )
