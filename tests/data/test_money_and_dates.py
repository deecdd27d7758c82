"""Money and dates read as people write them, on every route: amounts in the audit in the
currency's format, amount sort by currency then amount, strict amounts, refund dates at
most a year ahead, and every date error naming the format in words."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

import xoro_tui.data.store.clock as clock_module
from tests.factories import customer
from xoro_tui.data.models import money
from xoro_tui.data.models.entities import CustomerIn, DocumentIn, RefundIn
from xoro_tui.data.refunds.refund_list import refund_spec
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.errors import Invalid
from xoro_tui.data.transfer.importer import import_refunds

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock_module, "today", lambda: TODAY)


@pytest.mark.parametrize("text", ["1e2", "0x10", "1,2,3", "1,99", "NaN", "Infinity", "1_000", "."])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        money.to_minor(text, "USD")


@pytest.mark.parametrize(
    ("text", "minor"), [("1,999.99", 199999), ("12,345,678", 1234567800), (".50", 50)]
)
def test_amounts_as_people_write_them(text: str, minor: int) -> None:
    assert money.to_minor(text, "USD") == minor


def test_import_refuses_scientific_and_hex_amounts(db, tmp_path: Path) -> None:
    customer(db, account_number="C-1")
    path = tmp_path / "r.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["refund_number", "customer_account_number", "refund_date", "amount",
                         "currency", "status", "payment_method", "refund_account",
                         "cheque_number", "memo"])  # fmt: skip
        for number, amount, day in (
            ("RF-1", "1e2", "2026-01-01"),
            ("RF-2", "0x10", "2026-01-01"),
            ("RF-3", "42.00", "2099-01-01"),
            ("RF-4", "42.00", "2026-13-01"),
            ("RF-5", "42.00", "23/11/2026"),
        ):
            writer.writerow([number, "C-1", day, amount, "USD", "Draft", "ACH", "", "", ""])
    assert import_refunds(db, path).format_errors() == [
        "row 1, column amount: '1e2' is not an amount (write it like 1999.99 or 1,999.99)",
        "row 2, column amount: '0x10' is not an amount (write it like 1999.99 or 1,999.99)",
        "row 3, column refund_date: more than a year ahead: a refund date is at most 2027-11-23",
        "row 4, column refund_date: a date like 2026-11-23; got 2026-13-01",
        "row 5, column refund_date: a date like 2026-11-23; got 23/11/2026",
    ]


def test_the_form_route_refuses_far_dates_and_names_the_format(db) -> None:
    repo = RefundRepository(db, user="me")
    who = customer(db)
    fields = {"amount": 100, "currency": "USD", "payment_method": "ACH"}
    with pytest.raises(Invalid) as info:
        repo.create(who.id, refund_date="2099-01-01", **fields)
    assert info.value.reason == "more than a year ahead: a refund date is at most 2027-11-23"
    refund = repo.create(who.id, refund_date="2027-11-23", **fields)
    with pytest.raises(ValidationError, match="a date like 2026-11-23; got 20x6-01-01"):
        RefundUpdate(refund_date="20x6-01-01")
    assert refund.refund_date == dt.date(2027, 11, 23)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (CustomerIn, {"account_number": "C-1", "name": "Ann", "mandate_date": "2026-02-30"}),
        (DocumentIn, {"doc_type": "invoice", "customer_id": 1, "doc_date": "yesterday"}),
        (RefundIn, {"refund_number": "RF-1", "customer_account_number": "C-1",
                    "refund_date": "2026.01.01", "amount": "1", "currency": "USD",
                    "status": "Draft", "payment_method": "ACH"}),
    ],
)  # fmt: skip
def test_every_date_error_names_the_format(model, fields) -> None:
    with pytest.raises(ValidationError) as info:
        model(**fields)
    [error] = info.value.errors()
    assert "a date like 2026-11-23" in error["msg"]
    assert "Input should be" not in error["msg"]


def test_history_shows_amounts_in_the_currencys_format_on_every_route(db, tmp_path) -> None:
    customer(db, account_number="C-1")
    path = tmp_path / "r.csv"
    path.write_text(
        "refund_number,customer_account_number,refund_date,amount,currency,status,"
        "payment_method,refund_account,cheque_number,memo\n"
        "RF-1,C-1,2026-01-01,42,GBP,Draft,ACH,,,\n"
        "RF-2,C-1,2026-01-01,250000,JPY,Draft,ACH,,,\n",
        encoding="utf-8",
    )
    assert import_refunds(db, path).inserted == 2
    repo = RefundRepository(db, user="me")
    first = repo.by_number("RF-1")
    assert first is not None
    assert repo.history(first.id)[0]["changes"]["amount"] == [None, "42.00 GBP"]
    edited = repo.update(first.id, first.version, RefundUpdate(amount="75"))
    assert repo.history(edited.id)[0]["changes"]["amount"] == ["42.00 GBP", "75.00 GBP"]
    rows = db.conn.execute("SELECT changes FROM audit_log WHERE record_key = 'RF-2'").fetchall()
    assert json.loads(rows[0][0])["amount"] == [None, "250,000 JPY"]


def test_amount_sort_orders_by_currency_then_amount(db) -> None:
    repo = RefundRepository(db, user="me")
    who = customer(db)
    for amount, currency in ((1477, "USD"), (1490, "JPY"), (1600, "EUR"), (99, "USD"),
                             (100000, "JPY")):  # fmt: skip
        repo.create(who.id, amount=amount, currency=currency, refund_date=TODAY,
                    payment_method="ACH")  # fmt: skip
    query = WindowQuery(db.conn, refund_spec())
    got = [
        (currency, amount)
        for _, amount, currency in query.window(
            Filter(), ("amount", False), ["amount", "currency"], 0, 10
        )
    ]
    assert got == [("EUR", 1600), ("JPY", 1490), ("JPY", 100000), ("USD", 99), ("USD", 1477)]
    down = query.window(Filter(), ("amount", True), ["amount", "currency"], 0, 10)
    assert [(c, a) for _, a, c in down] == list(reversed(got))
