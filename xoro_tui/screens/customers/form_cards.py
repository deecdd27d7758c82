"""The customer form's Saved Cards tab: a read-only list (brand, last 4, expiry) and a small
"Add card" form validated by :class:`CardIn`, which refuses a full card number or a CVV."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CardIn, errors_by_field
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.customers.form_fields import CARD_BRANDS, CARD_FIELDS
from xoro_tui.screens.customers.form_text import card_line
from xoro_tui.screens.customers.form_widgets import FieldScroll
from xoro_tui.widgets.safe_text import safe_text


class SavedCards(FieldScroll):
    """Lists a customer's cards and adds one; input ids ``card-<field>``, errors
    ``error-card-<field>``."""

    def __init__(self, repo: CustomerRepository, customer_id: int | None, **kw) -> None:
        super().__init__(**kw)
        self.repo = repo
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield Static(id="cards-list", markup=False)
        yield Label("Add card (never the full number or the CVV)", classes="section-title")
        for field, label in CARD_FIELDS:
            suggester = SuggestFromList(CARD_BRANDS, case_sensitive=False)
            placeholder = {"last4": "1234", "exp_month": "MM", "exp_year": "YYYY"}.get(field, "")
            yield Horizontal(
                Label(label, classes="field-label"),
                Input(
                    id=f"card-{field}",
                    compact=True,
                    placeholder=placeholder,
                    suggester=suggester if field == "brand" else None,
                ),
                classes="field-row",
            )
            yield Label("", id=f"error-card-{field}", classes="error", markup=False)
        yield Label("", id="error-card-row", classes="error", markup=False)
        with Horizontal(classes="button-row"):
            yield Button("Add card", id="add-card", compact=True)

    def on_mount(self) -> None:
        self.show_cards()

    def show_cards(self) -> None:
        listing = self.query_one("#cards-list", Static)
        if self.customer_id is None:
            listing.update(Text("Save the customer before adding cards."))
            return
        cards = self.repo.cards(self.customer_id)
        if not cards:
            listing.update(Text("No saved cards."))
            return
        listing.update(Text("\n").join(card_line(c) for c in cards))

    def _error(self, field: str, reason: str) -> None:
        label = self.query_one(f"#error-card-{field}", Label)
        label.update(safe_text(reason))
        label.set_class(bool(reason), "-shown")

    def clear_errors(self) -> None:
        for field, _ in CARD_FIELDS:
            self._error(field, "")
        self._error("row", "")

    @on(Input.Submitted, "SavedCards Input")
    @on(Button.Pressed, "#add-card")
    def add_card(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.clear_errors()
        if self.customer_id is None:
            self._error("row", "save the customer first")
            return
        raw = {f: self.query_one(f"#card-{f}", Input).value for f, _ in CARD_FIELDS}
        try:
            card = CardIn.model_validate(raw)
        except ValidationError as exc:
            self._refused(errors_by_field(exc))
            return
        try:
            self.repo.add_card(self.customer_id, card)
        except DataError as exc:
            self._error("row", str(exc))
            return
        for field, _ in CARD_FIELDS:
            self.query_one(f"#card-{field}", Input).value = ""
        self.show_cards()
        self.app.notify(card_line(card).plain, title="Card added", markup=False, timeout=3)

    def _refused(self, errors: list[tuple[str, str]]) -> None:
        known = {f for f, _ in CARD_FIELDS}
        first: str | None = None
        for field, reason in errors:
            target = field if field in known else "row"
            self._error(target, reason)
            if target != "row" and first is None:
                first = target
            if "card number" in reason and target in ("last4", "cardholder"):
                # a full card number must not stay on screen or in the widget
                self.query_one(f"#card-{target}", Input).value = ""
        if first is not None:
            self.query_one(f"#card-{first}", Input).focus()
