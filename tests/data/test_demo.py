"""The demo database has something to show for every feature."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from xoro_tui.data.models.choices import DocumentType, PaymentMethod, RefundStatus
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.search_sync import SEARCH_COLUMNS
from xoro_tui.data.seed.demo import EXTRA_CUSTOMERS, create_demo
from xoro_tui.data.seed.seeder import temporary_paths
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.migrations import LATEST
from xoro_tui.data.store.opening import open_database

TODAY = dt.date(2026, 5, 10)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo(path, today=TODAY)
    return path


@pytest.fixture
def conn(demo: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(demo)
    connection.create_function("xoro_fold", 1, fold, deterministic=True)
    return connection


def test_every_status_and_payment_method(conn: sqlite3.Connection) -> None:
    pairs = set(conn.execute("SELECT DISTINCT status, payment_method FROM refunds").fetchall())
    for method in PaymentMethod:
        for status in RefundStatus:
            if status is not RefundStatus.PRINTED or method is PaymentMethod.CHEQUE:
                assert (status.value, method.value) in pairs
    assert (
        conn.execute(
            "SELECT count(*) FROM refunds WHERE payment_method = 'Cheque' AND status IN ('Printed', 'Issued', 'Cleared')"
            " AND cheque_number IS NULL"
        ).fetchone()[0]
        == 0
    )
    assert not conn.execute(
        "SELECT refund_account, cheque_number FROM refunds WHERE cheque_number IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1"
    ).fetchall()
    for account, next_number in conn.execute(
        "SELECT name, next_cheque_number FROM refund_accounts"
    ):
        used = conn.execute(
            "SELECT max(cheque_number) FROM refunds WHERE refund_account = ?", (account,)
        ).fetchone()[0]
        assert used is None or next_number > used


def test_cards_in_each_expiry_class(conn: sqlite3.Connection) -> None:
    this_month = TODAY.year * 12 + TODAY.month - 1
    months = [
        y * 12 + m - 1 for y, m in conn.execute("SELECT exp_year, exp_month FROM saved_cards")
    ]
    assert any(m < this_month for m in months)  # expired
    assert any(m == this_month for m in months)  # valid to the end of this month: within 30 days
    assert any(m >= this_month + 2 for m in months)  # valid


def test_tricky_names_are_stored_exactly(conn: sqlite3.Connection) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM customers")}
    assert {"Smith [/] Ltd", "[bold]Bracket[/] Co"} <= names
    for sample in (
        "Ελληνικά Εμπορική ΑΕ",
        "Кириллица ООД",
        "日本語商事株式会社",
        "中文贸易有限公司",
        "Zoë Ångström",
    ):
        assert sample in names
    rowid = conn.execute(
        "SELECT rowid FROM customer_fts WHERE name MATCH '\"кириллица\"'"
    ).fetchone()
    assert rowid is not None


def test_likely_duplicates_share_an_email_or_phone(conn: sqlite3.Connection) -> None:
    acme = conn.execute(
        "SELECT name, email, phone FROM customers WHERE lower(name) LIKE 'acme trading%'"
    ).fetchall()
    assert len(acme) == 3
    emails = [r[1] for r in acme]
    phones = [r[2] for r in acme]
    assert len(set(emails)) < 3 and len(set(phones)) < 3
    assert (
        conn.execute(
            "SELECT count(*) FROM customers WHERE email = 'zoe.angstrom@proton.me'"
        ).fetchone()[0]
        == 2
    )


def test_lookups_sites_portal_and_documents(conn: sqlite3.Connection) -> None:
    for column in ("bill_to_country", "type_name", "sales_rep", "customer_group", "payment_terms"):
        assert conn.execute(f"SELECT count(DISTINCT {column}) FROM customers").fetchone()[0] >= 3, (
            column
        )
    assert conn.execute("SELECT count(*) FROM customer_tags").fetchone()[0] > 20
    assert conn.execute("SELECT count(*) FROM customer_brands").fetchone()[0] > 20
    assert (
        conn.execute(
            "SELECT count(*) FROM (SELECT customer_id FROM sites GROUP BY 1 HAVING count(*) > 2)"
        ).fetchone()[0]
        >= 1
    )
    assert (
        conn.execute("SELECT count(*) FROM customers WHERE portal_status = 'Active'").fetchone()[0]
        > 0
    )
    assert (
        conn.execute("SELECT count(*) FROM customers WHERE portal_status IS NULL").fetchone()[0] > 0
    )
    types = {r[0] for r in conn.execute("SELECT DISTINCT doc_type FROM documents")}
    assert types == {t.value for t in DocumentType}
    assert not conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_lines l WHERE l.document_id = d.id)"
    ).fetchone()[0]
    assert (
        conn.execute(
            "SELECT count(*) FROM documents WHERE doc_type = 'invoice' AND balance > 0"
        ).fetchone()[0]
        > 0
    )
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 300 + len(
        EXTRA_CUSTOMERS
    )


def test_search_matches_the_views_and_the_app_opens_it(
    demo: Path, conn: sqlite3.Connection
) -> None:
    columns = ", ".join(SEARCH_COLUMNS)  # every column the search view makes
    for query in (
        f"SELECT id, {columns} FROM customer_search_source EXCEPT SELECT rowid, {columns} FROM customer_fts",
        f"SELECT rowid, {columns} FROM customer_fts EXCEPT SELECT id, {columns} FROM customer_search_source",
        "SELECT * FROM refund_search_source EXCEPT SELECT rowid, * FROM refund_fts",
        "SELECT rowid, * FROM refund_fts EXCEPT SELECT * FROM refund_search_source",
    ):
        assert conn.execute(f"SELECT count(*) FROM ({query})").fetchone()[0] == 0, query
    for table in ("customer_fts", "customer_words", "refund_fts"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
    db = open_database(demo)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    finally:
        db.conn.close()


def test_demo_is_deterministic_and_only_writes_new_files(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    create_demo(again, today=TODAY)
    query = "SELECT * FROM customers ORDER BY id"
    first, second = sqlite3.connect(demo), sqlite3.connect(again)
    assert first.execute(query).fetchall() == second.execute(query).fetchall()
    assert (
        first.execute("SELECT * FROM refunds").fetchall()
        == second.execute("SELECT * FROM refunds").fetchall()
    )
    with pytest.raises(Refused):
        create_demo(again)
    assert [p for p in temporary_paths(again) if p.exists()] == []
