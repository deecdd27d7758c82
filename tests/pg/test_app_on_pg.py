"""The app itself on PostgreSQL: both Centres open with their rows, and a save from the
form is one audited transaction. (The quick search there still needs its PostgreSQL
version: see docs/ARCHITECTURE.md.)"""

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
