"""The app itself on PostgreSQL: both Centres open with their rows, a save from the
form is one audited transaction, and the quick search finds and counts in both Centres."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import settle, wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.refunds.refund_centre import RefundCentre
from xoro_tui.widgets.virtual_table import VirtualTable


async def test_both_centres_open_on_postgresql_with_the_password_hidden(
    pg_cluster, pg_db, pg_db_url
) -> None:
    for name in ("Alpha Ltd", "Beta GmbH", "Zoë Ångström"):
        customer(pg_db, name=name)
    app = XoroApp(pg_db, pg_db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CustomerCentre)
        assert "postgresql://" in app.sub_title
        table = screen.query_one(VirtualTable)
        await wait_until(pilot, lambda: table.row_count == 3)
        await wait_until(pilot, lambda: len(table.source.window(0, 10)) == 3)
        names = {row.values[1] for row in table.source.window(0, 10)}
        assert names == {"Alpha Ltd", "Beta GmbH", "Zoë Ångström"}
        assert str(screen.query_one("#status", Static).render()) == "3 of 3 customers"
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, RefundCentre)


def test_a_save_on_postgresql_is_audited_and_refuses_a_stale_version(pg_db) -> None:
    import pytest

    from xoro_tui.data.models.entities import CustomerIn
    from xoro_tui.data.store.errors import StaleEdit

    repo = CustomerRepository(pg_db)
    made = customer(pg_db, name="Old")
    data = CustomerIn(account_number=made.account_number, name="New")
    saved = repo.update(made.id, made.version, data)
    assert saved.name == "New"
    with pytest.raises(StaleEdit):
        repo.update(made.id, made.version, CustomerIn(account_number=made.account_number, name="X"))
    actions = [r[0] for r in pg_db.conn.execute(
        "SELECT action FROM audit_log WHERE record_key = ? ORDER BY id", (made.account_number,)
    )]  # fmt: skip
    assert actions == ["insert", "update"]


async def test_quick_search_in_the_customer_centre_on_postgresql(
    pg_cluster, pg_db, pg_db_url
) -> None:
    from xoro_tui.widgets.search_bar import SearchBar, SearchInput

    customer(pg_db, name="Alpha Ltd", email="orders@alpha.example", phone="+44 20 7946 0011")
    customer(pg_db, name="Zoë Ångström AB", phone="020 7946 0011")
    customer(pg_db, name="Beta GmbH", email="mail@beta.example")
    app = XoroApp(pg_db, pg_db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CustomerCentre)
        table = screen.query_one(VirtualTable)
        status = screen.query_one("#status", Static)
        await wait_until(pilot, lambda: str(status.render()) == "3 of 3 customers")
        await pilot.press("slash", *"ANGSTR")
        await settle(app, pilot)
        await wait_until(pilot, lambda: str(status.render()) == "1 of 3 customers")
        assert [row.values[1] for row in table.source.window(0, 10)] == ["Zoë Ångström AB"]
        search = screen.query_one(SearchInput)
        search.value = ""
        await pilot.press(*"2079460011")
        await settle(app, pilot)
        await wait_until(pilot, lambda: str(status.render()) == "2 of 3 customers")
        bar = screen.query_one(SearchBar)
        bar.field = "email"
        bar.text = "example"
        await settle(app, pilot)
        await wait_until(pilot, lambda: str(status.render()) == "2 of 3 customers")
        names = sorted(row.values[1] for row in table.source.window(0, 10))
        assert names == ["Alpha Ltd", "Beta GmbH"]


async def test_quick_search_in_the_refund_centre_on_postgresql(
    pg_cluster, pg_db, pg_db_url
) -> None:
    from xoro_tui.data.refunds.refund_repo import RefundRepository

    repo = RefundRepository(pg_db, user="me")
    for name, memo in (("Alpha Ltd", "Returned goods"), ("Beta GmbH", "Overpaid")):
        made = customer(pg_db, name=name)
        repo.create(made.id, amount=1000, currency="USD", refund_date="2026-01-02",
                    payment_method="ACH", memo=memo)  # fmt: skip
    app = XoroApp(pg_db, pg_db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RefundCentre)
        table = screen.query_one(VirtualTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        await pilot.press("slash", *"returned")
        await settle(app, pilot)
        await wait_until(pilot, lambda: table.row_count == 1)
        await wait_until(pilot, lambda: len(table.source.window(0, 10)) == 1)
        assert "Alpha Ltd" in table.source.window(0, 10)[0].values
