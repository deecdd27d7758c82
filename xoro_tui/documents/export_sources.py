"""What an export writes: a list (ListSpec, Filter, sort, columns) as header, rows and kinds.

Rows are read in batches of a few thousand from one statement that SQLite sorts itself
(in bounded memory, spilling to a temporary file): the table is never held in memory,
and the export reads one consistent snapshot. The statement stays open while the file
is written, so a worker thread should export on a connection of its own (or one opened
with ``check_same_thread=False``, as :func:`xoro_tui.data.store.connection.connect` does). Reading
rows by key in chunks instead (``WindowQuery.keys`` + ``IN (...)``) visits the table at
random and took three times as long on a million customers. Fields of one joined row (a
customer's ship-to site) are read through one join rather than a subquery each.

Without a saved view the command line writes every field under the import's header
names, so that a CSV export imports again unchanged: :func:`import_spec`.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from xoro_tui.data.customers import customer_list
from xoro_tui.data.models import money
from xoro_tui.data.models.entities import CUSTOMER_FIELDS, REFUND_FIELDS
from xoro_tui.data.refunds import refund_list
from xoro_tui.data.search.list_query import (
    FieldDef,
    Filter,
    ListSpec,
    describe_condition,
    order_sql,
    where_sql,
)
from xoro_tui.data.store.connection import is_postgres

BATCH = 2_000
Sort = tuple[str, bool] | None


def _conn(db: Any) -> sqlite3.Connection:
    return getattr(db, "conn", db)


def export_count(db: Any, spec: ListSpec, flt: Filter) -> int:
    where, args = where_sql(spec, flt, postgres=is_postgres(db))
    source = spec.count_from_sql or spec.from_sql
    return int(
        _conn(db).execute(f"SELECT count(*) FROM {source} WHERE {where}", args).fetchone()[0]
    )


def list_export(
    db: Any,
    spec: ListSpec,
    flt: Filter,
    sort: Sort,
    columns: Sequence[str],
    titles: bool = True,
    *,
    csv_cells: bool = False,
    then_by: Sort = None,
) -> tuple[list[str], Iterator[tuple[Any, ...]], list[str]]:
    """The header (field titles, or keys when ``titles`` is False), the rows and the kinds.

    Rows come in the order the list shows them (:func:`order_sql`): ``sort``, then
    ``then_by`` among equal values, blanks last in each.

    Money columns come out as plain decimals in their currency's own decimals (``1999.99``,
    ``250000``) when the list has a ``currency`` field; the rows iterator reads lazily.
    With ``csv_cells`` SQLite gives each cell as the CSV writer would write it where that
    is exact (see :func:`csv_cell_sql`), so the writer can join most rows in one call.
    """
    fields = [spec.fields[c] for c in columns]
    header = [f.title if titles else f.key for f in fields]
    kinds: list[str] = [f.kind for f in fields]
    return header, _rows(_conn(db), spec, flt, (sort, then_by), fields, csv_cells), kinds


def csv_cell_sql(kind: str, expr: str) -> str:
    """``expr`` as the text a CSV cell holds, where SQLite can say it exactly.

    Empty text for NULL, digits for an integer, ``true``/``false`` for a flag (flags are
    integers 0 or 1: the schema checks them). Anything else (a real number, a money
    amount) is left as it is for the writer to format.
    """
    if kind == "bool":
        return (
            f"CASE typeof({expr}) WHEN 'integer' THEN (CASE WHEN {expr} THEN 'true' "
            f"ELSE 'false' END) WHEN 'null' THEN '' ELSE {expr} END"
        )
    if kind == "number":
        return (
            f"CASE typeof({expr}) WHEN 'integer' THEN CAST({expr} AS TEXT) "
            f"WHEN 'null' THEN '' ELSE {expr} END"
        )
    if kind == "money":
        return expr
    return f"coalesce({expr}, '')"


def _rows(
    conn: sqlite3.Connection,
    spec: ListSpec,
    flt: Filter,
    order: tuple[Sort, Sort],
    fields: list[FieldDef],
    csv_cells: bool,
) -> Iterator[tuple[Any, ...]]:
    where, args = where_sql(spec, flt, postgres=is_postgres(conn))
    money_at = [i for i, f in enumerate(fields) if f.kind == "money"]
    currency = spec.fields.get("currency")
    read = [*fields, currency] if money_at and currency is not None else fields
    if len(read) == len(fields):
        money_at = []
    joins = list(dict.fromkeys(f.joined[0] for f in read if f.joined))
    exprs = [f.joined[1] if f.joined else f.sql for f in read]
    # PostgreSQL's CASE wants one type in every branch: its cells go to the writer as they
    # are, which converts each one as it does any row that is not text yet (same bytes)
    if csv_cells and not is_postgres(conn):  # the currency read for money columns stays
        exprs[: len(fields)] = [
            csv_cell_sql(f.kind, e) for f, e in zip(fields, exprs[: len(fields)], strict=True)
        ]
    cursor = conn.execute(
        f"SELECT {', '.join(exprs)} FROM {' '.join([spec.from_sql, *joins])} WHERE {where} "
        f"ORDER BY {order_sql(spec, *order, unindexed=True)}",
        args,
    )
    try:
        while batch := cursor.fetchmany(BATCH):
            if not money_at:
                yield from batch
                continue
            for row in batch:
                values = list(row[:-1])
                code = row[-1]
                for i in money_at:
                    if values[i] is not None and code:
                        values[i] = money.plain(values[i], code)
                yield tuple(values)
    finally:
        cursor.close()


# --- the import's header names: every field, as a CSV import reads it back -------------


def _import_field(key: str, base: FieldDef | None, **kw: Any) -> FieldDef:
    if base is not None:
        return dataclasses.replace(base, title=key)
    return FieldDef(key=key, title=key, **kw)


def _customer_import_fields() -> dict[str, FieldDef]:
    extra = {"mandate_date": {"sql": "c.mandate_date", "kind": "date"}}
    out: dict[str, FieldDef] = {}
    for key in CUSTOMER_FIELDS:
        base = customer_list.FIELDS.get(key)
        if base is None and key.startswith("ship_to_"):
            base = customer_list.site_field(key, key, key.removeprefix("ship_to_"))
        out[key] = _import_field(key, base, **extra.get(key, {"sql": f"c.{key}"}))
    return out


def cards_spec() -> ListSpec:
    """The Credit Card Report's list (cards of active customers: brand, last 4 and expiry,
    never more of the number) with the export's field names and the expiry as numbers."""
    from xoro_tui.data.customers import card_list as card_report

    report = card_report.FIELDS

    def renamed(key: str, base: str) -> FieldDef:
        return dataclasses.replace(report[base], key=key, title=key)

    fields = {
        "customer_account_number": renamed("customer_account_number", "account_number"),
        "customer_name": renamed("customer_name", "customer_name"),
        "brand": renamed("brand", "brand"),
        "last4": renamed("last4", "last4"),
        "exp_month": FieldDef("exp_month", "exp_month", "k.exp_month", kind="number"),
        "exp_year": FieldDef("exp_year", "exp_year", "k.exp_year", kind="number"),
        "expiry_status": renamed("expiry_status", "expiration_status"),
    }
    return dataclasses.replace(card_report.card_report_spec(), fields=fields)


CARD_FIELDS: tuple[str, ...] = (
    "customer_account_number",
    "customer_name",
    "brand",
    "last4",
    "exp_month",
    "exp_year",
    "expiry_status",
)


def import_spec(what: str) -> tuple[ListSpec, Sort, list[str]]:
    """The list, sort and columns of a full export under the import's header names."""
    if what == "customers":
        spec = dataclasses.replace(
            customer_list.customer_spec("active"),
            fields=_customer_import_fields(),
            default_sort="account_number",
        )
        return spec, ("account_number", False), list(CUSTOMER_FIELDS)
    if what == "refunds":
        fields = {k: _import_field(k, refund_list.FIELDS[k]) for k in REFUND_FIELDS}
        spec = dataclasses.replace(refund_list.refund_spec(), fields=fields)
        return spec, ("refund_number", False), list(REFUND_FIELDS)
    if what == "cards":
        return cards_spec(), ("customer_name", False), list(CARD_FIELDS)
    raise ValueError(f"nothing to export called {what!r}")


def describe_filter(
    spec: ListSpec, flt: Filter, search_fields: dict[str, str] | None = None
) -> str:
    """The filter in words, for the top of a PDF or text file: ``Search "smith" in Any Field``."""
    parts: list[str] = []
    if flt.search.strip():
        where = (search_fields or {}).get(flt.search_field, "Any Field")
        parts.append(f'Search "{flt.search.strip()}" in {where}')
    conditions = [describe_condition(spec.fields, c) for c in flt.conditions]
    if conditions:
        parts.append((" or " if flt.combine == "or" else " and ").join(conditions))
    for name, value in flt.extras:
        if name != "ids":
            shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
            parts.append(f"{name.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def view_parts(spec: ListSpec, view: Any) -> tuple[Filter, Sort, Sort, list[str]]:
    """A saved view (``settings.View``) as the filter, sort, "then by" and visible columns
    of ``spec``."""
    flt = view.to_filter(spec.fields)
    columns = [c for c in view.columns if c in spec.fields]
    sort = tuple(view.sort) if view.sort and view.sort[0] in spec.fields else None
    then_by = view.then_by if view.then_by and view.then_by[0] in spec.fields else None
    return flt, sort, (tuple(then_by) if then_by else None), columns
