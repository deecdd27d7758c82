"""The demo database: a small deterministic seed plus hand-written rows that make sure every
feature has something to show — duplicates to merge, markup-like and non-Latin names, cards
in each expiry class, several sites, and refunds in every status and payment method.

It goes through the seed's build (temporary file, rename into place); the hand-written rows
are added once the indexes and search triggers exist, so the triggers index them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from xoro_tui.data.customers.customer_writes import insert_customer
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.seed.seed_customers import Plan
from xoro_tui.data.seed.seeder import build
from xoro_tui.data.store import sequences
from xoro_tui.data.store.clock import today as clock_today

DEMO_SEED = 7
DEMO_CUSTOMERS = 300

#: (name, email, phone, country, city, postal code, type) — the first five are likely duplicates
EXTRA_CUSTOMERS: tuple[tuple[str, str | None, str | None, str, str, str, str], ...] = (
    ("Acme Trading Ltd", "accounts@acmetrading.co.uk", "+44 20 7946 0011", "United Kingdom", "London", "EC2R 8AH", "Wholesale"),
    ("ACME Trading Limited", "accounts@acmetrading.co.uk", "+44 20 7946 0999", "United Kingdom", "London", "EC2R 8AH", "Wholesale"),
    ("Acme Trading", "orders@acme-trading.com", "+44 20 7946 0011", "United Kingdom", "Leeds", "LS1 4AP", "Distributor"),
    ("Zoë Ångström", "zoe.angstrom@proton.me", "+46 8 123 456 78", "Sweden", "Stockholm", "111 22", "Retail"),
    ("Zoe Angstrom", "zoe.angstrom@proton.me", None, "Sweden", "Stockholm", "111 22", "Retail"),
    ("Smith [/] Ltd", "office@smith-ltd.co.uk", "+44 161 496 0456", "United Kingdom", "Manchester", "M1 1AE", "Trade"),
    ("[bold]Bracket[/] Co", "hello@bracket.example.com", "+1 (312) 555-0142", "United States", "Chicago", "60601", "Online"),
    ("Ελληνικά Εμπορική ΑΕ", "info@ellinika.gr", "+30 210 123 4567", "Greece", "Athens", "114 55", "Wholesale"),
    ("Кириллица ООД", "office@kirilitsa.bg", "+359 2 987 6543", "Bulgaria", "Sofia", "1000", "Distributor"),
    ("日本語商事株式会社", "info@nihongo-shoji.co.jp", "+81 3-1234-5678", "Japan", "Chiyoda-ku, Tokyo", "100-0005", "Wholesale"),
    ("中文贸易有限公司", "sales@zhongwen-trade.cn", "+86 21 5555 0101", "China", "Shanghai", "200001", "Distributor"),
    ("Ó Súilleabháin & Daughters Ltd", "accounts@osullivan.ie", "+353 1 555 0123", "Ireland", "Dublin", "D02 X285", "Retail"),
)  # fmt: skip
#: extra ship-to sites of the first extra customer: (name, line1, city, postal code)
EXTRA_SITES = (("Warehouse", "Unit 4, Thames Road", "London", "E16 2EZ"),
               ("Northern Depot", "12 Wellington Street", "Leeds", "LS1 4LT"))  # fmt: skip


def create_demo(path: Path, *, today: dt.date | None = None) -> None:
    """Write the demo database to ``path`` (which must not exist yet)."""
    plan = Plan(
        DEMO_SEED,
        DEMO_CUSTOMERS,
        420,
        today or clock_today(),
        other_documents=600,
        lines=True,
    )
    build(Path(path), plan, extras=_extras)


def _extras(conn: sqlite3.Connection, plan: Plan) -> None:
    stamp = f"{plan.today.isoformat()}T09:00:00+00:00"
    ids: list[int] = []
    for name, email, phone, country, city, postal, kind in EXTRA_CUSTOMERS:
        number = sequences.take(conn, "account_number")
        data = CustomerIn(
            account_number=f"C-{number:06d}", name=name, type_name=kind, email=email, phone=phone,
            bill_to_line1="1 High Street", bill_to_city=city, bill_to_postal_code=postal,
            bill_to_country=country, ship_to_line1="1 High Street", ship_to_city=city,
            ship_to_postal_code=postal, ship_to_country=country, sales_rep="Alice Morgan",
            payment_terms="Net 30", tags=["VIP"] if "Acme" in name else [],
        )  # fmt: skip
        customer_id = insert_customer(conn, data)
        conn.execute(
            "UPDATE customers SET created_at = ?, updated_at = ? WHERE id = ?",
            (stamp, stamp, customer_id),
        )
        conn.execute("UPDATE sites SET created_at = ? WHERE customer_id = ?", (stamp, customer_id))
        ids.append(customer_id)
    acme, markup, bracket = ids[0], ids[5], ids[6]
    for site_name, line1, city, postal in EXTRA_SITES:
        conn.execute(
            "INSERT INTO sites(customer_id, name, line1, city, postal_code, country, is_default, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'United Kingdom', 0, ?)",
            (acme, site_name, line1, city, postal, stamp),
        )
    conn.execute(
        "UPDATE customers SET portal_status = 'Active', portal_email = email, portal_email_status = 'Valid',"
        " portal_email_checked_at = ?, show_invoice_credit_deposit_on_portal = 1 WHERE id = ?",
        (stamp, acme),
    )
    _cards(conn, plan, markup, bracket, stamp)
    _refunds(conn, plan, ids, stamp)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cheque_register'").fetchone():
        from xoro_tui.data.refunds.cheque_register import backfill_books

        backfill_books(conn, "mchen", stamp)


def _cards(conn: sqlite3.Connection, plan: Plan, markup: int, bracket: int, stamp: str) -> None:
    """An expired card, one that expires at the end of this month (within 30 days) and a valid one."""
    month = plan.today.year * 12 + plan.today.month - 1
    for customer_id, brand, last4, when in (
        (markup, "Visa", "4242", month - 3), (markup, "Mastercard", "5454", month),
        (bracket, "American Express", "0005", month + 14), (bracket, "Visa", "1881", month),
    ):  # fmt: skip
        conn.execute(
            "INSERT INTO saved_cards(customer_id, brand, last4, exp_month, exp_year, cardholder,"
            " provider_token, created_at) VALUES (?, ?, ?, ?, ?, 'Pat Smith', ?, ?)",
            (customer_id, brand, last4, when % 12 + 1, when // 12, f"tok_demo{last4}", stamp),
        )


def _refunds(conn: sqlite3.Connection, plan: Plan, ids: list[int], stamp: str) -> None:
    """One refund in every status for every payment method (Printed: cheques only), each from a
    credit memo of its own; cheque numbers continue each account's sequence."""
    day = plan.today - dt.timedelta(days=3)
    k = 0
    for method in PaymentMethod:
        for status in RefundStatus:
            if status is RefundStatus.PRINTED and method is not PaymentMethod.CHEQUE:
                continue
            k += 1
            customer_id = ids[k % len(ids)]
            amount = 2500 + 1250 * k
            memo_number = sequences.take(conn, "credit_memo")
            number = f"CM-{memo_number:06d}"
            live = amount if status is not RefundStatus.VOIDED else 0
            doc = conn.execute(
                "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, memo, total,"
                " balance, status, created_by, created_at) VALUES ('credit_memo', ?, ?, ?, 'USD',"
                " 'Returned goods', ?, ?, ?, 'jsmith', ?)",
                (number, customer_id, (day - dt.timedelta(days=10)).isoformat(), amount * 2,
                 amount * 2 - live, "Open", stamp),
            ).lastrowid  # fmt: skip
            conn.execute(
                "INSERT INTO document_lines(document_id, line_no, description, quantity, rate, amount)"
                " VALUES (?, 1, 'Returned goods', '2', ?, ?)",
                (doc, amount, amount * 2),
            )
            account = None if method is PaymentMethod.STORE_CREDIT else "Operating Account"
            cheque = None
            printed = status in (RefundStatus.PRINTED, RefundStatus.ISSUED, RefundStatus.CLEARED)
            if method is PaymentMethod.CHEQUE and printed:
                cheque = conn.execute(
                    "SELECT next_cheque_number FROM refund_accounts WHERE name = ?", (account,)
                ).fetchone()[0]
                conn.execute(
                    "UPDATE refund_accounts SET next_cheque_number = ? WHERE name = ?",
                    (cheque + 1, account),
                )
            unapproved = status in (RefundStatus.DRAFT, RefundStatus.PENDING_APPROVAL)
            refund_number = f"RF-{sequences.take(conn, 'refund'):06d}"
            refund = conn.execute(
                "INSERT INTO refunds(refund_number, customer_id, refund_date, amount, currency, status,"
                " refund_account, payment_method, cheque_number, source_document_id, memo, void_reason,"
                " created_by, approved_by, print_count, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?, 'Returned goods', ?, 'jsmith', ?, ?, ?, ?)",
                (refund_number, customer_id, day.isoformat(), amount, status.value, account,
                 method.value, cheque, doc,
                 "Issued in error" if status is RefundStatus.VOIDED else None,
                 None if unapproved else "mchen", 1 if cheque else 0, stamp, stamp),
            ).lastrowid  # fmt: skip
            conn.execute(
                "INSERT INTO refund_lines(refund_id, line_no, description, amount) VALUES (?, 1, ?, ?)",
                (refund, f"Refund of {number}", amount),
            )
            if (
                cheque
                and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'print_log'").fetchone()
            ):
                conn.execute(
                    "INSERT INTO print_log(refund_id, kind, cheque_number, reprint, at, user)"
                    " VALUES (?, 'cheque', ?, 0, ?, 'mchen')",
                    (refund, cheque, stamp),
                )
