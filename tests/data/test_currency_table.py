"""The database's ``currencies`` table is money.py's exponent table, and SQL uses it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests.factories import customer
from xoro_tui.data.models import money
from xoro_tui.data.refunds.refund_list import refund_spec
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.search.list_query import Condition, Filter, WindowQuery
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.currencies import sync_currencies


def _table(db) -> dict[str, tuple[int, int]]:
    rows = db.conn.execute("SELECT code, exponent, minor_units FROM currencies").fetchall()
    return {code: (places, units) for code, places, units in rows}


def test_the_table_is_money_py(db) -> None:
    assert set(money.EXPONENTS) == set(money.CURRENCIES)
    assert all(money.exponent(code) == places for code, places in money.EXPONENTS.items())
    assert _table(db) == {code: (p, 10**p) for code, p in money.EXPONENTS.items()}


def test_syncing_again_repairs_a_changed_table(db) -> None:
    with write_tx(db) as conn:
        conn.execute("DELETE FROM currencies WHERE code = 'JPY'")
        conn.execute("UPDATE currencies SET exponent = 0, minor_units = 1 WHERE code = 'USD'")
        conn.execute("INSERT INTO currencies VALUES ('XXX', 2, 100)")
    with write_tx(db) as conn:
        sync_currencies(conn)
    assert _table(db) == {code: (p, 10**p) for code, p in money.EXPONENTS.items()}


def test_the_amount_filter_counts_in_each_currencys_major_units(db) -> None:
    repo = RefundRepository(db, user="me")
    who = customer(db)
    for amount, currency in ((1477, "USD"), (99, "USD"), (1490, "JPY"), (900, "JPY"), (5, "JPY"),
                             (5000, "BHD"), (12000, "BHD"), (1600, "EUR")):  # fmt: skip
        repo.create(who.id, amount=amount, currency=currency, refund_date=dt.date(2026, 1, 5),
                    payment_method="ACH")  # fmt: skip
    spec = refund_spec()
    assert "CASE" not in (spec.fields["amount"].filter_sql or "")
    over_ten = Filter(conditions=(Condition("amount", "gt", 10),))
    rows = WindowQuery(db.conn, spec).window(over_ten, ("amount", False), ["amount", "currency"],
                                             0, 20)  # fmt: skip
    assert [(c, a) for _, a, c in rows] == [
        ("BHD", 12000), ("EUR", 1600), ("JPY", 900), ("JPY", 1490), ("USD", 1477)
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell here")
def test_the_sqlite3_shell_sees_the_table(db, db_path) -> None:
    out = subprocess.run(
        ["sqlite3", str(db_path), "SELECT exponent FROM currencies WHERE code = 'KWD'"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    assert out.stdout.strip() == "3"


def test_the_customer_money_case_is_written_from_money_py(db) -> None:
    """customer_money.minor_units (a generated column: no subquery allowed) holds money.py's
    exponents through minor_units_case, for every code, and hundredths for an unknown one."""
    from xoro_tui.data.store.currencies import minor_units_case

    schema = db.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'customer_money'"
    ).fetchone()[0]
    assert minor_units_case("currency") in schema
    case = minor_units_case("code")
    for code, places in [*money.EXPONENTS.items(), ("XYZ", 2)]:
        got = db.conn.execute(f"SELECT {case} FROM (SELECT ? AS code)", (code,)).fetchone()[0]
        assert got == float(10**places), code
