"""The customer form: saves what was typed, shows errors under their fields, keeps the input
on a stale save, shows hostile names literally, duplicates, refuses full card numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Label, Select, Static, TabbedContent

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.screens.customers.customer_form import CustomerForm, FormResult
from xoro_tui.screens.customers.form_fields import FIELDS, read_values

VISA_TEST_NUMBER = "4111 1111 1111 1111"
#: longer texts are pasted into a field, shorter ones typed key by key
PASTED_OVER = 40


class Harness:
    """A running app with the form pushed on top; ``results`` collects what it returns."""

    def __init__(self, app: XoroApp, pilot, form: CustomerForm) -> None:
        self.app = app
        self.pilot = pilot
        self.form = form
        self.results: list[FormResult | None] = []

    async def open(self) -> Harness:
        await self.pilot.pause()
        self.app.push_screen(self.form, self.results.append)
        await self.pilot.pause()
        await self.pilot.pause()
        return self

    def input(self, field: str) -> Input:
        return self.form.query_one(f"#field-{field}", Input)

    def error(self, field: str) -> str:
        label = self.form.query_one(f"#error-{field}", Label)
        return str(label.render()) if label.display else ""

    def static(self, selector: str) -> str:
        return str(self.form.query_one(selector, Static).render())

    async def type_into(self, field: str, text: str) -> None:
        widget = self.input(field)
        self.form.query_one(TabbedContent).active = self.form_tab(field)
        await self.pilot.pause()
        widget.focus()
        widget.value = ""
        if len(text) > PASTED_OVER:
            # as a terminal delivers pasted text (bracketed paste): hundreds of keys through
            # Pilot took half a minute and tested nothing more than typing a few
            widget.post_message(events.Paste(text))
        elif text:
            await self.pilot.press(*text)
        await self.pilot.pause()

    @staticmethod
    def form_tab(field: str) -> str:
        from xoro_tui.screens.customers.form_fields import FIELD_TAB

        return FIELD_TAB[field]

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()


def run(db, db_path: Path, size: tuple[int, int] = (120, 40)):
    app = XoroApp(db, db_path)
    return app, app.run_test(size=size)


async def test_new_customer_is_saved_with_the_typed_values(db, db_path: Path) -> None:
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        account = h.input("account_number").value
        assert account.startswith("C-")
        assert h.form.focused is h.input("name")
        await h.type_into("name", "Acme Trading")
        await h.type_into("email", "ops@acme.example")
        await h.type_into("sales_rep", "Dana")
        await h.type_into("tags", "wholesale|vip")
        await h.type_into("ship_to_city", "Leeds")
        await h.press("ctrl+s")
        assert len(h.results) == 1
        result = h.results[0]
        assert result is not None and result.action == "saved"
        saved = CustomerRepository(db).get(result.customer_id)
        assert saved.account_number == account
        assert saved.name == "Acme Trading"
        assert saved.email == "ops@acme.example"
        assert saved.sales_rep == "Dana"
        assert saved.tags == ["vip", "wholesale"]
        assert saved.ship_to_city == "Leeds"
        assert saved.is_active is True


async def test_every_input_is_built_without_a_blinking_cursor(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        inputs = list(h.form.query(Input))
        assert len(inputs) > 20
        assert all(not i.cursor_blink for i in inputs)
        # every CustomerIn field has a widget
        assert set(read_values(h.form)) == set(CustomerIn.model_fields) == set(FIELDS)


async def test_validation_error_shows_under_the_field_and_nothing_is_saved(
    db, db_path: Path
) -> None:
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("name", "Acme")
        await h.type_into("email", "not-an-email")
        await h.type_into("ship_to_country", "x" * 300)  # leaves the Addresses tab open
        await h.press("ctrl+s")
        assert h.results == []
        assert app.screen is h.form
        assert "@" in h.error("email") or "email" in h.error("email").lower()
        assert "at most 255" in h.error("ship_to_country")
        assert h.error("name") == ""
        # the first bad field in form order: General tab, email focused
        assert h.form.query_one(TabbedContent).active == "tab-general"
        assert h.form.focused is h.input("email")
        assert h.input("email").value == "not-an-email"
        assert db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


async def test_a_missing_name_goes_to_its_field(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("ship_to_city", "Leeds")
        await h.press("ctrl+s")
        assert h.error("name") == "missing"
        assert h.form.focused is h.input("name")
        await h.type_into("name", "Now Named")
        await h.press("ctrl+s")
        assert h.results and h.results[0].action == "saved"


async def test_taken_account_number_is_shown_on_its_field(db, db_path: Path) -> None:
    customer(db, account_number="AB-1", name="First")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("account_number", "AB-1")
        await h.type_into("name", "Second")
        await h.press("ctrl+s")
        assert h.results == []
        assert "already used" in h.error("account_number")


async def test_stale_save_shows_the_changes_and_keeps_the_input(db, db_path: Path) -> None:
    existing = customer(db, name="Old Name", phone="0113 496 0000")
    repo = CustomerRepository(db)
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.type_into("name", "My New Name")
        # someone else saves meanwhile
        theirs = repo.get(existing.id).model_dump(include=set(CustomerIn.model_fields))
        theirs["phone"] = "0113 496 9999"
        repo.update(existing.id, existing.version, CustomerIn.model_validate(theirs))

        await h.press("ctrl+s")
        assert h.results == []
        assert h.form.query_one("#stale-panel").display
        changes = h.static("#stale-changes")
        assert "phone" in changes and "0113 496 9999" in changes
        assert h.input("name").value == "My New Name"
        assert repo.get(existing.id).name == "Old Name"

        # Reload asks first; "n" keeps the input
        await h.press("ctrl+r")
        assert h.form.confirm.is_open
        await h.press("n")
        assert not h.form.confirm.is_open
        assert h.input("name").value == "My New Name"
        # "y" re-reads the customer
        await h.press("ctrl+r", "y")
        assert h.input("name").value == "Old Name"
        assert h.input("phone").value == "0113 496 9999"
        assert not h.form.query_one("#stale-panel").display
        await h.type_into("name", "Second Try")
        await h.press("ctrl+s")
        assert h.results and h.results[0].action == "saved"
        assert repo.get(existing.id).name == "Second Try"


async def test_deleted_meanwhile_says_so(db, db_path: Path) -> None:
    existing = customer(db, name="Gone Soon")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        CustomerRepository(db).delete(existing.id, existing.version)
        await h.type_into("name", "Edited")
        await h.press("ctrl+s")
        assert h.results == []
        assert "deleted or merged" in h.static("#form-message")
        assert h.input("name").value == "Edited"


@pytest.mark.parametrize("name", ["Smith [/] Ltd", "[bold]x[/]", "[link=http://x]y[/link]"])
async def test_hostile_names_open_and_show_literally(db, db_path: Path, name: str) -> None:
    existing = customer(db, name=name, sales_rep="[red]Rep[/]", tags=["[/]"])
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        assert name in h.static("#form-title")
        assert h.input("name").value == name
        assert h.input("sales_rep").value == "[red]Rep[/]"
        assert h.input("tags").value == "[/]"
        await h.press("ctrl+s")  # unchanged: saves cleanly
        assert h.results[0].action == "saved"
        assert CustomerRepository(db).get(existing.id).name == name


async def test_duplicate_creates_a_new_account_number(db, db_path: Path) -> None:
    existing = customer(db, name="Original", email="o@example.com")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.press("ctrl+d")
        result = h.results[0]
        assert result is not None and result.action == "duplicated"
        assert result.customer_id != existing.id
        copy = CustomerRepository(db).get(result.customer_id)
        assert copy.account_number != existing.account_number
        assert copy.email == "o@example.com"


async def test_duplicate_with_unsaved_changes_asks_first(db, db_path: Path) -> None:
    existing = customer(db, name="Original")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.type_into("name", "Changed")
        await h.press("ctrl+d")
        assert h.results == [] and h.form.confirm.asks_unsaved
        await h.press("d")
        assert h.results[0].action == "duplicated"
        assert CustomerRepository(db).get(existing.id).name == "Original"


@pytest.mark.parametrize(
    ("key", "action"),
    [
        ("f6", "estimate"),
        ("f7", "sales_order"),
        ("f8", "invoice"),
        ("f9", "portal_invitation"),
        ("f10", "direct_debit"),
    ],
)
async def test_document_and_portal_keys_leave_with_the_customer(
    db, db_path: Path, key: str, action: str
) -> None:
    existing = customer(db, name="Doc Customer")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.press(key)
        assert h.results == [FormResult(action=action, customer_id=existing.id)]


async def test_leave_buttons_have_constant_labels(db, db_path: Path) -> None:
    existing = customer(db, name="Buttons")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        h.form.query_one("#leave-invoice").press()
        await pilot.pause()
        assert h.results == [FormResult(action="invoice", customer_id=existing.id)]


async def test_cancel_asks_before_discarding_changes(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("name", "Half typed")
        await h.press("escape")
        assert h.form.confirm.asks_unsaved and h.results == []
        await h.press("k")
        assert app.screen is h.form and h.input("name").value == "Half typed"
        assert h.form.focused is h.input("name")
        await h.press("ctrl+g")
        assert h.form.confirm.asks_unsaved
        await h.press("escape")  # Escape in the question: keep editing
        assert not h.form.confirm.is_open and h.results == []
        await h.press("ctrl+g")
        await h.press("d")
        assert h.results == [None]


async def test_cancel_without_changes_closes_at_once(db, db_path: Path) -> None:
    existing = customer(db, name="Untouched")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        await h.press("ctrl+g")
        assert h.results == [None]


async def test_prefill_puts_the_value_in_its_field(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(prefill={"email": "new@example.com"})).open()
        assert h.input("email").value == "new@example.com"
        assert h.form.focused is h.input("email")
        assert h.input("account_number").value.startswith("C-")


async def test_prefilled_account_number_is_kept(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(prefill={"account_number": "ZZ-9"})).open()
        assert h.input("account_number").value == "ZZ-9"


async def test_mandate_offers_only_allowed_moves_and_active_needs_reference(
    db, db_path: Path
) -> None:
    existing = customer(db, name="Mandate", mandate_status="Requested")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        select = h.form.query_one("#field-mandate_status", Select)
        offered = [value for _, value in select._options if value != Select.NULL]
        assert offered == ["Requested", "Active", "Failed"]
        select.value = "Active"
        await h.press("ctrl+s")
        assert h.results == []
        assert "reference" in h.error("mandate_reference")
        assert "date" in h.error("mandate_date")
        assert h.form.query_one(TabbedContent).active == "tab-portal"
        await h.type_into("mandate_reference", "MD-1")
        await h.type_into("mandate_date", "2024-05-01")
        await h.press("ctrl+s")
        assert h.results[0].action == "saved"
        assert CustomerRepository(db).get(existing.id).mandate_status == "Active"


async def test_other_sites_are_listed(db, db_path: Path) -> None:
    existing = customer(db, name="Sites", ship_to_city="Leeds")
    db.conn.execute(
        "INSERT INTO sites(customer_id, name, line1, city, is_default, created_at)"
        " VALUES (?, '[b]Depot[/b]', '1 Road', 'York', 0, '2024-01-01')",
        (existing.id,),
    )
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        text = h.static("#other-sites")
        assert "[b]Depot[/b]: 1 Road, York" in text
        assert "Leeds" not in text


async def test_a_full_card_number_is_refused(db, db_path: Path) -> None:
    existing = customer(db, name="Card Holder")
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        h.form.query_one(TabbedContent).active = "tab-cards"
        await pilot.pause()
        for field, value in (
            ("brand", "Visa"),
            ("last4", VISA_TEST_NUMBER),
            ("exp_month", "12"),
            ("exp_year", "2030"),
        ):
            h.form.query_one(f"#card-{field}", Input).value = value
        h.form.query_one("#card-exp_year", Input).focus()
        await h.press("enter")
        assert "full card number" in h.error("card-last4")
        assert h.form.query_one("#card-last4", Input).value == ""
        assert CustomerRepository(db).cards(existing.id) == []
        assert app.screen is h.form

        h.form.query_one("#card-last4", Input).value = "1111"
        h.form.query_one("#add-card").press()
        await pilot.pause()
        cards = CustomerRepository(db).cards(existing.id)
        assert [(c.brand, c.last4, c.exp_month, c.exp_year) for c in cards] == [
            ("Visa", "1111", 12, 2030)
        ]
        listing = h.static("#cards-list")
        assert "Visa …1111  exp 12/2030" in listing
        assert h.error("card-last4") == ""


async def test_cards_need_a_saved_customer(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        h.form.query_one("#add-card").press()
        await pilot.pause()
        assert "save the customer first" in h.error("card-row")


async def test_every_tab_fits_at_80x24(db, db_path: Path) -> None:
    """Each field is reachable: going to it shows it inside the dialog."""
    existing = customer(db, name="Small Screen")
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(existing.id)).open()
        dialog = h.form.query_one("#form-dialog").region
        for field in FIELDS:
            h.form.go_to_field(field)
            await pilot.pause()
            await pilot.pause()
            widget = h.form.query_one(f"#field-{field}")
            assert h.form.focused is widget, field
            assert dialog.contains_region(widget.region), field


async def test_keys_move_between_fields_and_tabs(db, db_path: Path) -> None:
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        assert h.form.focused is h.input("name")
        await h.press("down")
        assert h.form.focused is h.form.query_one("#field-type_name")
        await h.press("up", "up")
        assert h.form.focused is h.input("account_number")
        await h.press("ctrl+n")
        await pilot.pause()
        assert h.form.query_one(TabbedContent).active == "tab-addresses"
        assert h.form.focused is h.input("bill_to_line1")
        # the app's Centre keys do not leave the modal behind (focus on a checkbox)
        h.form.go_to_field("is_active")
        await pilot.pause()
        await h.press("R", "C", "f3")
        assert app.screen is h.form


async def test_tags_suggest_the_value_after_the_last_bar(db, db_path: Path) -> None:
    customer(db, name="Tagged", tags=["Wholesale", "VIP"])
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("tags", "vip|who")
        await app.workers.wait_for_complete()
        await h.press("right")  # at the end of the text, right accepts the suggestion
        assert h.input("tags").value == "vip|Wholesale"


async def test_prefill_on_another_tab_opens_that_tab(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(prefill={"ship_to_city": "York"})).open()
        assert h.form.query_one(TabbedContent).active == "tab-addresses"
        assert h.form.focused is h.input("ship_to_city")


async def test_opening_a_customer_that_is_gone_closes_with_a_message(db, db_path: Path) -> None:
    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm(999_999)).open()
        assert h.results == [None]
        assert app.screen is not h.form


async def test_unsaved_question_starts_on_keep_editing_and_arrows_reach_discard(
    db, db_path: Path
) -> None:
    app, running = run(db, db_path, size=(80, 24))
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        await h.type_into("name", "Typed")
        await h.press("escape")
        assert h.form.focused is h.form.query_one("#confirm-keep")
        await h.press("enter")
        assert h.results == [] and not h.form.confirm.is_open
        await h.press("escape", "left", "enter")
        assert h.results == [None]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("name", "Ann 4111 1111 1111 1111 1234"),
        ("bill_to_line1", "4111.1111.1111.1111"),
        ("tags", "vip|4111-1111-1111-1111"),
        ("references", "4111111111111111"),
    ],
)
async def test_a_card_number_in_free_text_is_refused_with_why(
    db, db_path: Path, field: str, text: str
) -> None:
    from xoro_tui.data.models.validators import CARD_REASON

    app, running = run(db, db_path)
    async with running as pilot:
        h = await Harness(app, pilot, CustomerForm()).open()
        if field != "name":
            await h.type_into("name", "Ann")
        h.input(field).value = text
        await h.press("ctrl+s")
        assert h.results == []
        assert CARD_REASON in h.error(field)
        assert db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
