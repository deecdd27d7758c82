"""The Credit Card Report: active customers' cards, expiry status in SQL, search, snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import customer
from xoro_tui.data.customers.card_list import (
    card_report_spec,
    list_reports,
    load_report,
    save_report,
)
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CardIn
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.errors import Invalid, NotFound

COLUMNS = ("customer_name", "account_number", "brand", "last4", "expiry", "expiration_status",
           "cardholder")  # fmt: skip


def month_after(days: int) -> tuple[int, int]:
    day = dt.date.today() + dt.timedelta(days=days)
    return day.month, day.year


@pytest.fixture
def cards(db):
    repo = CustomerRepository(db)
    ann = customer(db, name="Ann Shop")
    bob = customer(db, name="Bob Store")
    gone = customer(db, name="Gone Ltd")
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    for cust, last4, brand, (month, year), holder in (
        (ann, "1111", "Visa", (last_month.month, last_month.year), "Ann A"),
        (ann, "2222", "Mastercard", month_after(0), "Ann A"),
        (bob, "3333", "Amex", month_after(400), "Bob B"),
        (gone, "4444", "Visa", month_after(400), "Gone G"),
    ):
        repo.add_card(cust.id, CardIn(brand=brand, last4=last4, exp_month=month, exp_year=year,
                                      cardholder=holder))  # fmt: skip
    repo.delete(gone.id, gone.version)
    return ann, bob


def rows(db, flt: Filter | None = None, sort=("last4", False)) -> list[tuple]:
    q = WindowQuery(db.conn, card_report_spec())
    return [r[1:] for r in q.window(flt or Filter(), sort, COLUMNS, 0, 100)]


def test_cards_of_active_customers_with_expiration_status(db, cards) -> None:
    ann, bob = cards
    got = rows(db)
    assert [r[3] for r in got] == ["1111", "2222", "3333"]  # the deleted customer's card is out
    assert [r[5] for r in got] == ["Expired", "Expires within 30 days", "Valid"]
    month, year = month_after(400)
    assert got[2][:5] == ("Bob Store", bob.account_number, "Amex", "3333", f"{month:02d}/{year}")
    assert got[2][6] == "Bob B"
    q = WindowQuery(db.conn, card_report_spec())
    assert q.count(Filter()) == 3
    assert [r[3] for r in rows(db, sort=("expiration_status", True))] == ["3333", "2222", "1111"]


def test_search_any_column_and_checked_customers(db, cards) -> None:
    ann, bob = cards
    assert [r[3] for r in rows(db, Filter(search="expired"))] == ["1111"]
    assert [r[3] for r in rows(db, Filter(search="bob b"))] == ["3333"]
    assert [r[3] for r in rows(db, Filter(search="2222"))] == ["2222"]
    assert [r[3] for r in rows(db, Filter(search="22", search_field="last4"))] == ["2222"]
    assert [r[3] for r in rows(db, Filter(search="%"))] == []  # literal, not a wildcard
    assert [r[3] for r in rows(db, Filter(search="visa", search_field="brand"))] == ["1111"]
    assert [r[3] for r in rows(db, Filter().with_extra("ids", [ann.id]))] == ["1111", "2222"]
    assert [r[3] for r in rows(db, Filter().with_extra("status", "Valid"))] == ["3333"]


def test_never_more_than_the_last_four_digits(db, cards) -> None:
    for row in rows(db):
        assert all(not (isinstance(v, str) and sum(ch.isdigit() for ch in v) > 6) for v in row)
    with pytest.raises(Invalid, match="full card number"):
        save_report(db, "Leaky", {}, [["Ann", "4111 1111 1111 1111"]])


def test_save_list_and_load_a_dated_snapshot(db, cards) -> None:
    shown = [[str(v) for v in r] for r in rows(db)]
    settings = {"columns": list(COLUMNS), "search": "", "sort": ["last4", False]}
    report_id = save_report(db, "Month end", settings, shown)
    [listed] = list_reports(db)
    assert (listed.id, listed.name, listed.rows) == (report_id, "Month end", [])
    loaded = load_report(db, report_id)
    assert loaded.rows == shown and loaded.settings == settings
    assert loaded.created_at[:10] == dt.datetime.now(dt.UTC).date().isoformat()
    with pytest.raises(NotFound):
        load_report(db, report_id + 1)
    with pytest.raises(Invalid):
        save_report(db, " ", {}, [])
