"""Pilot: the Refund Centre's quick search finds a refund by its memo, void reason, creator
or approver, the only way to it, through Any Field and through that field in the chooser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Select, Static

from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.screens.refunds.refund_centre import RefundCentre
from xoro_tui.widgets.search_bar import SearchBar
from xoro_tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)
DAY = dt.date(2024, 5, 1)
#: (chooser field, its title, typed, the refund's reference)
ONLY_WAY = [
    ("memo", "Memo", "quokka", "by-memo"),
    ("void_reason", "Void Reason", "wombat", "by-void"),
    ("created_by", "Created By", "zelda", "by-creator"),
    ("approved_by", "Approved By", "yvonne", "by-approver"),
]


@pytest.fixture
def numbers(db) -> dict[str, str]:
    """Refund numbers by reference: five refunds alike but for one value each."""
    fields = {"amount": 1000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH"}
    who = customer(db, name="Alike Ltd")
    clerk = RefundRepository(db, user="me")

    def make(reference: str, repo: RefundRepository = clerk, **kw):
        return repo.create(who.id, **{**fields, "reference": reference, **kw})

    made = [make("plain", memo="Overpayment"), make("by-memo", memo="Quokka reimbursement")]
    voided = make("by-void")
    made.append(clerk.void(voided.id, voided.version, "Wombat chewed the cheque"))
    made.append(make("by-creator", RefundRepository(db, user="zelda")))
    approved = make("by-approver")
    approved = clerk.update(approved.id, approved.version,
                            RefundUpdate(status=RefundStatus.PENDING_APPROVAL))  # fmt: skip
    made.append(
        RefundRepository(db, user="yvonne").update(
            approved.id, approved.version, RefundUpdate(status=RefundStatus.APPROVED)
        )
    )
    return {r.reference: r.refund_number for r in made}


def shown(screen: RefundCentre) -> list[str]:
    source = screen.query_one(VirtualTable).source
    index = source.visible_keys.index("refund_number")
    return [row.values[index] for row in source.window(0, 100)]


def text_of(screen: RefundCentre, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_each_value_found_through_any_field_and_the_chooser(
    db, db_path: Path, numbers: dict[str, str]
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RefundCentre)
        bar = screen.query_one(SearchBar)
        offered = [str(p) for p, _ in screen.query_one("#search-field", Select)._options]
        for field, title, typed, reference in ONLY_WAY:
            assert title in offered
            await pilot.press("x")
            await settle(app, pilot)
            await pilot.press("slash", *typed, "enter")
            await settle(app, pilot)
            assert shown(screen) == [numbers[reference]], typed
            assert text_of(screen, "#status").startswith("1 of 5 refunds")
            bar.field = field
            await settle(app, pilot)
            assert shown(screen) == [numbers[reference]], (field, typed)
            assert title in text_of(screen, "#filter-line")
            bar.field = "reference"
            await settle(app, pilot)
            assert shown(screen) == []
            assert text_of(screen, "#status").startswith("0 of 5 refunds")
            bar.field = "any"
            await settle(app, pilot)


async def test_an_edited_memo_is_found_by_its_new_words(db, db_path: Path, numbers) -> None:
    repo = RefundRepository(db, user="me")
    plain = repo.by_number(numbers["plain"])
    assert plain is not None
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"platypus", "enter")
        await settle(app, pilot)
        assert shown(screen) == []
        repo.update(plain.id, plain.version, RefundUpdate(memo="Platypus fund"))
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("slash", *"platypus", "enter")  # the same search, again
        await settle(app, pilot)
        assert shown(screen) == [numbers["plain"]]
        assert text_of(screen, "#status").startswith("1 of 5 refunds")
