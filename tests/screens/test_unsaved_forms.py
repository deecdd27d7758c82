"""Forms never surprise: documents in their kind's status and the customer's currency;
Escape asks Save / Discard / Keep editing (and closes at once when nothing changed); a
draft only after a hang-up; ctrl+d opens the copy; errors go once the value is valid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label

from tests.conftest import settle
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import DocumentIn
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.drafts import DraftRepository
from xoro_tui.screens.customers.batch_update_dialog import BatchUpdateDialog
from xoro_tui.screens.customers.card_report import SaveReportDialog
from xoro_tui.screens.customers.customer_centre import CustomerCentre
from xoro_tui.screens.customers.customer_form import CustomerForm
from xoro_tui.screens.customers.document_form import DepositForm, DocumentForm
from xoro_tui.screens.customers.quick_add import QuickAdd
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.settings_screen import SettingsScreen
from xoro_tui.screens.refunds.new_refund import NewRefund
from xoro_tui.screens.refunds.refund_dialogs import AskText, RefundFilterDialog, RefundFilters
from xoro_tui.screens.refunds.refund_form import RefundForm

SMALL = (80, 24)
DAY = "2026-11-23"


async def push(app: XoroApp, pilot, screen: Screen, results: list) -> None:
    await pilot.pause()
    app.push_screen(screen, results.append)
    await settle(app, pilot)


def documents(db) -> list[tuple[str, str, str]]:
    return db.conn.execute("SELECT doc_type, status, currency FROM documents").fetchall()


def drafts(db) -> int:
    return db.conn.execute("SELECT count(*) FROM form_drafts").fetchone()[0]


def prompt(screen: Screen) -> InlineConfirm:
    return screen.query_one(InlineConfirm)


@pytest.fixture
def german(db):
    return customer(db, name="Berlin GmbH", bill_to_country="Germany")


# -- documents: status and currency ------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "status"),
    [
        (DocumentType.ESTIMATE, "Open"),
        (DocumentType.SALES_ORDER, "Open"),
        (DocumentType.INVOICE, "Open"),
        (DocumentType.SALES_RECEIPT, "Paid"),
    ],
)
async def test_each_document_kind_is_saved_in_its_status_and_the_customers_currency(
    db, db_path: Path, german, doc_type: DocumentType, status: str
) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, doc_type)
        await push(app, pilot, form, results)
        assert form.query_one("#currency", Input).value == "EUR"
        await pilot.press(*"Bolt", "tab", "tab", "tab", *"12.50", "ctrl+s")
        await settle(app, pilot)
    assert documents(db) == [(doc_type.value, status, "EUR")]
    assert results[0].total == 1250


@pytest.mark.parametrize("doc_type", [DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO])
async def test_deposits_and_credit_memos_are_open_in_the_customers_currency(
    db, db_path: Path, german, doc_type: DocumentType
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = DepositForm(german.id, doc_type)
        await push(app, pilot, form, [])
        await pilot.press(*"40", "ctrl+s")
        await settle(app, pilot)
    assert documents(db) == [(doc_type.value, "Open", "EUR")]


async def test_the_row_menu_makes_a_sales_receipt_paid_in_eur(db, db_path: Path, german) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerCentre)
        await pilot.press("m", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentForm)
        await pilot.press(*"Nut", "tab", "tab", "tab", *"3", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerCentre)
    assert documents(db) == [("sales_receipt", "Paid", "EUR")]


# -- Escape: Save / Discard / Keep editing -----------------------------------------------


async def test_escape_on_a_changed_document_form_asks_and_keep_editing_keeps_the_input(
    db, db_path: Path, german
) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.INVOICE)
        await push(app, pilot, form, results)
        await pilot.press(*"Bolt", "escape")
        await settle(app, pilot)
        asking = prompt(form)
        assert asking.asks_unsaved
        shown = str(asking.query_one("#confirm-question", Label).render())
        buttons = [str(b.label) for b in asking.query(Button) if b.display]
        assert (shown, buttons) == (
            "Unsaved changes:",
            ["Save (s)", "Discard (d)", "Keep editing (esc)"],
        )
        assert form.focused is asking.query_one("#confirm-keep")
        for key in ("k", "escape", "ctrl+g"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is form and not asking.is_open and results == []
            assert form.query_one("#line-1-item", Input).value == "Bolt"
            assert form.focused is form.query_one("#line-1-item", Input)
            if key != "ctrl+g":
                await pilot.press("escape")
                await settle(app, pilot)
                assert asking.asks_unsaved
    assert documents(db) == []


async def test_save_in_the_question_saves_or_stays_with_the_errors(
    db, db_path: Path, german
) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.ESTIMATE)
        await push(app, pilot, form, results)
        await pilot.press(*"Bolt", "tab", "tab", *"two", "escape", "s")
        await settle(app, pilot)
        assert app.screen is form and results == []  # not valid: the form stays, errors shown
        label = form.query_one("#error-line-1-quantity", Label)
        assert label.display and "not a number" in str(label.render())
        form.query_one("#line-1-quantity", Input).value = "2"
        await pilot.press("escape", "s")
        await settle(app, pilot)
        assert app.screen is not form
    assert documents(db) == [("estimate", "Open", "EUR")]


async def test_discard_drops_the_input_and_any_draft(db, db_path: Path, german) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.SALES_ORDER)
        await push(app, pilot, form, results)
        await pilot.press(*"Bolt")
        # a draft of this form kept meanwhile (another session of the same login hung up)
        DraftRepository(db).save("document_form", form.draft_key(), {"line-1-item": "x"})
        await pilot.press("escape", "d")
        await settle(app, pilot)
        assert app.screen is not form and results == [None]
    assert documents(db) == [] and drafts(db) == 0


async def test_save_in_the_customer_forms_question_saves_the_change(db, db_path: Path) -> None:
    existing = customer(db, name="Before")
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = CustomerForm(existing.id)
        await push(app, pilot, form, results)
        form.query_one("#field-name", Input).value = "After"
        await pilot.press("escape")
        await settle(app, pilot)
        assert prompt(form).asks_unsaved
        await pilot.press("s")
        await settle(app, pilot)
    assert results[0].action == "saved"
    assert CustomerRepository(db).get(existing.id).name == "After"


def _refund_form(db) -> Screen:
    c = customer(db)
    refund = RefundRepository(db).create(
        c.id, amount=1000, currency="USD", refund_date=DAY, payment_method="ACH"
    )
    return RefundForm(refund.id)


FORMS: dict[str, Callable[..., Screen]] = {
    "customer": lambda db: CustomerForm(customer(db).id),
    "new customer": lambda db: CustomerForm(),
    "document": lambda db: DocumentForm(customer(db).id, DocumentType.INVOICE),
    "deposit": lambda db: DepositForm(customer(db).id),
    "quick add": lambda db: QuickAdd(),
    "batch update": lambda db: BatchUpdateDialog(lambda: iter([[customer(db).id]]), 1),
    "refund": _refund_form,
    "new refund": lambda db: NewRefund(),
    "settings": lambda db: SettingsScreen({"any": "Any", "name": "Name"}, {}),
    "void reason": lambda db: AskText("Why void it?", "reason"),
    "refund filters": lambda db: RefundFilterDialog(RefundFilters(None, None, None)),
    "report name": lambda db: SaveReportDialog("", 3),
}
#: a field of each form to type into
TYPED = {
    "customer": "#field-email",
    "new customer": "#field-name",
    "document": "#memo",
    "deposit": "#amount",
    "quick add": "#quick-input",
    "batch update": "#value-new",
    "refund": "#memo",
    "new refund": "#memo",
    "settings": "#field-name",
    "void reason": "#reason",
    "refund filters": "#date_from",
    "report name": "#name",
}


def change(form: Screen, name: str) -> None:
    widget = form.query_one(TYPED[name])
    if isinstance(widget, Checkbox):
        widget.value = not widget.value
    else:
        form.query_one(TYPED[name], Input).value = "42"


@pytest.mark.parametrize("name", list(FORMS))
async def test_escape_on_an_unchanged_form_closes_at_once(db, db_path: Path, name: str) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = FORMS[name](db)
        await push(app, pilot, form, results)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is not form
    assert len(results) == 1


@pytest.mark.parametrize("name", list(FORMS))
async def test_every_form_asks_and_the_question_fits_whole_at_80x24(
    db, db_path: Path, name: str
) -> None:
    app = XoroApp(db, db_path)
    results: list = []
    async with app.run_test(size=SMALL) as pilot:
        form = FORMS[name](db)
        await push(app, pilot, form, results)
        change(form, name)
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        asking = prompt(form)
        assert asking.asks_unsaved and results == []
        screen = app.screen.region
        question = asking.query_one("#confirm-question", Label)
        assert question.region.width >= len("Unsaved changes:")
        for button in (b for b in asking.query(Button) if b.display):
            whole = button.region
            assert whole.width >= len(str(button.label))
            assert screen.contains_region(whole) and asking.region.contains_region(whole)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is not form
    assert len(results) == 1


# -- drafts only on a hang-up ------------------------------------------------------------


async def test_a_draft_is_kept_on_hang_up_and_offered_back(db, db_path: Path, german) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.INVOICE)
        await push(app, pilot, form, [])
        await pilot.press("ctrl+n", "ctrl+n")  # seven lines
        await settle(app, pilot)
        form.query_one("#line-7-item", Input).value = "Seventh"
        form.query_one("#memo", Input).value = "half done"
        await settle(app, pilot)
        app.hang_up()
        await pilot.pause()
    assert drafts(db) == 1 and documents(db) == []

    again = XoroApp(db, db_path)
    async with again.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.INVOICE)
        await push(again, pilot, form, [])
        assert form.query_one("#memo", Input).value == "half done"
        assert form.query_one("#line-7-item", Input).value == "Seventh"
        assert form.has_unsaved_changes
        await pilot.press("escape", "d")
        await settle(again, pilot)
    assert drafts(db) == 0 and documents(db) == []


async def test_no_draft_after_discard_or_an_unchanged_close(db, db_path: Path) -> None:
    existing = customer(db, name="Kept")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = CustomerForm(existing.id)
        await push(app, pilot, form, [])
        form.query_one("#field-name", Input).value = "Thrown away"
        await pilot.press("escape", "d")
        await settle(app, pilot)
        form = CustomerForm(existing.id)
        await push(app, pilot, form, [])
        assert form.query_one("#field-name", Input).value == "Kept"
        app.hang_up()  # unchanged: nothing to keep
        await pilot.pause()
    assert drafts(db) == 0
    assert CustomerRepository(db).get(existing.id).name == "Kept"


# -- ctrl+d ------------------------------------------------------------------------------


async def test_ctrl_d_opens_the_copy_in_the_form(db, db_path: Path) -> None:
    original = customer(db, name="Original Ltd", email="o@example.com")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        first = app.screen
        assert isinstance(first, CustomerForm) and first.customer_id == original.id
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        copy_form = app.screen
        assert isinstance(copy_form, CustomerForm) and copy_form is not first
        assert copy_form.customer_id not in (None, original.id)
        copy = CustomerRepository(db).get(copy_form.customer_id)
        assert copy_form.query_one("#field-name", Input).value == copy.name
        assert copy.email == "o@example.com"
        assert copy.account_number != original.account_number
        # the copy is for editing: a change is saved to the copy, not the original
        copy_form.query_one("#field-name", Input).value = "Copy Ltd"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerCentre)
    assert CustomerRepository(db).get(copy.id).name == "Copy Ltd"
    assert CustomerRepository(db).get(original.id).name == "Original Ltd"


# -- errors leave a fixed field ----------------------------------------------------------


def _error(screen: Screen, key: str) -> str:
    label = screen.query_one(f"#error-{key}", Label)
    return str(label.render()) if label.display else ""


async def test_a_customer_error_goes_as_soon_as_the_value_is_valid(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = CustomerForm()
        await push(app, pilot, form, [])
        await pilot.press(*"Acme", "tab", "tab", *"ops-at-acme", "ctrl+s")
        await settle(app, pilot)
        assert "@" in _error(form, "email")
        email = form.query_one("#field-email", Input)
        assert form.focused is email
        await pilot.press(*"@acme.example")
        await settle(app, pilot)
        assert _error(form, "email") == ""
        assert "fix the fields" not in str(form.query_one("#form-message").render())


async def test_leaving_an_edited_field_checks_it(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = CustomerForm()
        await push(app, pilot, form, [])
        await pilot.press("tab", "tab")  # past the name, unedited: no error
        await settle(app, pilot)
        assert _error(form, "name") == ""
        await pilot.press(*"nope", "tab")
        await settle(app, pilot)
        assert "@" in _error(form, "email")


async def test_a_document_error_goes_as_soon_as_the_value_is_valid(
    db, db_path: Path, german
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = DocumentForm(german.id, DocumentType.INVOICE)
        await push(app, pilot, form, [])
        await pilot.press(*"Bolt", "tab", "tab", *"x", "ctrl+s")
        await settle(app, pilot)
        assert "not a number" in _error(form, "line-1-quantity")
        await pilot.press("backspace", "3")
        await settle(app, pilot)
        assert _error(form, "line-1-quantity") == ""
        form.query_one("#date", Input).value = "31/12"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "not a date" in _error(form, "date")
        form.query_one("#date", Input).value = "2026-12-31"
        await settle(app, pilot)
        assert _error(form, "date") == ""


async def test_a_refund_error_goes_as_soon_as_the_value_is_valid(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = _refund_form(db)
        await push(app, pilot, form, [])
        form.query_one("#refund_date", Input).value = "yesterday"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(form.query_one("#error-refund_date", Label).render())
        form.query_one("#refund_date", Input).value = DAY
        await settle(app, pilot)
        assert str(form.query_one("#error-refund_date", Label).render()) == ""


def test_a_document_without_a_currency_is_made_in_the_customers(db, german) -> None:
    saved = DocumentRepository(db).create(
        DocumentIn(doc_type=DocumentType.ESTIMATE, customer_id=german.id, doc_date=DAY)
    )
    assert (saved.currency, saved.status) == ("EUR", "Open")


async def test_an_overpayment_refund_starts_in_the_customers_currency(
    db, db_path: Path, german
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SMALL) as pilot:
        form = NewRefund(german.id)
        await push(app, pilot, form, [])
        assert form.query_one("#currency", Input).value == "EUR"
