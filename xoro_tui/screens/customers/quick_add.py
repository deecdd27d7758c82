"""Quick add: "Type Name, Email, Phone or Account Number". Existing customers the text likely
means are offered first (to open instead of creating a duplicate); otherwise a new customer
is started with the typed value in the field it looks like."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.search.matching import Match, guess_field, likely_matches
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text

PROMPT = "Type Name, Email, Phone or Account Number"
CREATE_ID = "create"
FIELD_TITLES = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "account_number": "Account Number",
}


@dataclass(frozen=True)
class QuickAddResult:
    """Either open an existing customer or start a new one with ``prefill``
    (``{CustomerIn field: typed value}``, possibly empty)."""

    open_customer_id: int | None = None
    prefill: dict[str, str] | None = None


def match_label(match: Match) -> Text:
    """``C-000123  Smith Ltd  smith@example.com  (same email)``, always literal."""
    parts = [match.account_number, match.name, match.email or match.phone or ""]
    text = safe_text("  ".join(p for p in parts if p))
    text.append(f"  ({match.reason})", style="dim")
    return text


def create_label(text: str) -> Text:
    term = text.strip()
    if not term:
        return Text("Create a new customer")
    label = Text(f"Create new customer with {FIELD_TITLES[guess_field(term)]}: ")
    label.append_text(safe_text(term))
    return label


class MatchList(OptionList):
    """Up from the first entry goes back to the text."""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.query_one("#quick-input", Input).focus()
            return
        super().action_cursor_up()


class QuickAdd(UnsavedGuard, ModalScreen[QuickAddResult | None]):
    """Escape with something typed asks first: Save goes on to the new customer with it."""

    CSS_PATH = "../../styles/forms.tcss"

    BINDINGS = bindings("QuickAdd")

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._start = text
        self.matches: list[Match] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-dialog"):
            yield Static(Text(PROMPT), id="quick-title")
            yield Input(self._start, placeholder=PROMPT, id="quick-input", compact=True)
            yield MatchList(id="quick-matches", compact=True)
            yield Static(
                Text("Enter: open the match / create new · Down: matches · Esc: cancel"),
                id="quick-hint",
            )
            yield InlineConfirm(id="confirm")
        yield KeyBar()

    @property
    def text_input(self) -> Input:
        return self.query_one("#quick-input", Input)

    @property
    def option_list(self) -> MatchList:
        return self.query_one("#quick-matches", MatchList)

    def on_mount(self) -> None:
        self.text_input.cursor_blink = False
        self.text_input.focus()
        self._refresh(self.text_input.value)
        self.mark_unchanged()

    def form_values(self) -> dict[str, object]:
        return {"quick-input": self.text_input.value}

    def save_from_prompt(self) -> None:
        self._create()

    @on(Input.Changed, "#quick-input")
    def _typed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def _refresh(self, text: str) -> None:
        """Matches first, then the "create new" entry; the first entry is highlighted."""
        self.matches = likely_matches(xoro_app(self).db, text) if text.strip() else []
        options = [Option(match_label(m), id=f"customer-{m.id}") for m in self.matches]
        options.append(Option(create_label(text), id=CREATE_ID))
        listing = self.option_list
        listing.set_options(options)
        listing.highlighted = 0

    @on(Input.Submitted, "#quick-input")
    def _enter(self, event: Input.Submitted) -> None:
        """Enter with no match starts the new customer; with matches it goes to the list,
        so a duplicate is never created by an Enter typed too fast."""
        event.stop()
        if self.matches:
            self.action_to_list()
        else:
            self._create()

    def action_to_list(self) -> None:
        if self.focused is self.text_input:
            self.option_list.focus()
            self.option_list.highlighted = 0

    @on(OptionList.OptionSelected, "#quick-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == CREATE_ID:
            self._create()
        elif option_id.startswith("customer-"):
            self.dismiss(QuickAddResult(open_customer_id=int(option_id.removeprefix("customer-"))))

    def _create(self) -> None:
        term = self.text_input.value.strip()
        prefill = {guess_field(term): term} if term else {}
        self.dismiss(QuickAddResult(prefill=prefill))

    def action_cancel(self) -> None:
        self.ask_before_closing()

    def action_nothing(self) -> None:
        """Swallow keys that would otherwise leave the modal behind."""
