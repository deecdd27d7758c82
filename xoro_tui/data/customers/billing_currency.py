"""The currency a customer is billed in, for a new document that does not name one.

In order: the currency of the customer's latest sales document (estimate, sales order,
invoice, sales receipt) — what they are billed in; else the currency of their bill-to
country; else that of their latest deposit or credit memo; else USD."""

from __future__ import annotations

import sqlite3

DEFAULT_CURRENCY = "USD"

_SALES = ("estimate", "sales_order", "invoice", "sales_receipt")
_EURO_AREA = (
    "AT Austria", "BE Belgium", "HR Croatia", "CY Cyprus", "EE Estonia", "FI Finland",
    "FR France", "DE Germany", "GR Greece", "IE Ireland", "IT Italy", "LV Latvia",
    "LT Lithuania", "LU Luxembourg", "MT Malta", "NL Netherlands", "PT Portugal",
    "SK Slovakia", "SI Slovenia", "ES Spain",
)  # fmt: skip
_OTHERS = (
    ("US United States", "USD"), ("US USA", "USD"), ("CA Canada", "CAD"),
    ("GB United Kingdom", "GBP"), ("GB UK", "GBP"), ("GB Great Britain", "GBP"),
    ("JP Japan", "JPY"), ("SE Sweden", "SEK"), ("NO Norway", "NOK"), ("DK Denmark", "DKK"),
    ("CH Switzerland", "CHF"), ("PL Poland", "PLN"), ("CZ Czech Republic", "CZK"),
    ("CZ Czechia", "CZK"), ("HU Hungary", "HUF"), ("AU Australia", "AUD"),
    ("NZ New Zealand", "NZD"), ("MX Mexico", "MXN"), ("IN India", "INR"),
)  # fmt: skip


def _country_table() -> dict[str, str]:
    """Both the ISO code and the English name of each country, folded to lower case."""
    table: dict[str, str] = {}
    pairs = [(entry, "EUR") for entry in _EURO_AREA] + list(_OTHERS)
    for entry, currency in pairs:
        code, name = entry.split(" ", 1)
        table[code.lower()] = currency
        table[name.lower()] = currency
    return table


COUNTRY_CURRENCY = _country_table()


def country_currency(country: str | None) -> str | None:
    """The currency of a country given by ISO code or English name, or None if unknown."""
    if not country:
        return None
    return COUNTRY_CURRENCY.get(" ".join(country.split()).lower())


def _latest(
    conn: sqlite3.Connection, customer_id: int, types: tuple[str, ...] | None
) -> str | None:
    sql = "SELECT currency FROM documents WHERE customer_id = ?"
    args: list[object] = [customer_id]
    if types:
        sql += f" AND doc_type IN ({', '.join('?' * len(types))})"
        args.extend(types)
    row = conn.execute(sql + " ORDER BY doc_date DESC, id DESC LIMIT 1", args).fetchone()
    return str(row[0]) if row and row[0] else None


def customer_currency(conn: sqlite3.Connection, customer_id: int) -> str:
    """The currency new documents of this customer are made in (see the module's order)."""
    found = _latest(conn, customer_id, _SALES)
    if found:
        return found
    row = conn.execute(
        "SELECT bill_to_country, (SELECT country FROM sites s WHERE s.customer_id = c.id"
        " ORDER BY s.is_default DESC, s.id LIMIT 1) FROM customers c WHERE c.id = ?",
        (customer_id,),
    ).fetchone()
    if row is not None:
        by_country = country_currency(row[0]) or country_currency(row[1])
        if by_country:
            return by_country
    return _latest(conn, customer_id, None) or DEFAULT_CURRENCY
