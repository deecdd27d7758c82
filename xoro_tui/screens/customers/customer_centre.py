"""The Customer Centre: every customer, searchable, with the row menu and the customer forms."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Literal

import sqlite_utils
from rich.cells import cell_len, set_cell_size
from textual import on
from textual.widgets import Static

from xoro_tui.actions.registry import bindings, keymap_of, menu_entries
from xoro_tui.data.customers import customer_money
from xoro_tui.data.customers.customer_list import DEFAULT_COLUMNS, SEARCH_FIELDS, customer_spec
from xoro_tui.data.models.choices import DOCUMENT_TITLE, DocumentType
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.app_settings import retention_days
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.customers import money_cells
from xoro_tui.screens.lists.list_screen import ListScreen
from xoro_tui.screens.lists.query_source import QuerySource
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import plain, safe_text
from xoro_tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from xoro_tui.data.customers.customer_repo import CustomerRepository
    from xoro_tui.screens.customers.customer_actions import CustomerActions

#: the row menu in the action registry (labels and keys there)
ROW_MENU = "CustomerCentre.row_menu"

#: what goes with a deleted customer, as (one, many)
_RELATED = {
    "estimate": ("estimate", "estimates"),
    "sales_order": ("sales order", "sales orders"),
    "invoice": ("invoice", "invoices"),
    "sales_receipt": ("sales receipt", "sales receipts"),
    "customer_deposit": ("deposit", "deposits"),
    "credit_memo": ("credit memo", "credit memos"),
    "refunds": ("refund", "refunds"),
    "saved_cards": ("saved card", "saved cards"),
    "sites": ("site", "sites"),
    "communications": ("message", "messages"),
}
#: the confirm prompt shows one line of this many cells
QUESTION_WIDTH = 70


def delete_question(name: str, counts: dict[str, int], days: int) -> str:
    """``Delete Smith Ltd with 2 invoices, 1 site? Restorable for 30 days.`` in one prompt
    line: a long name is shortened so that what goes with it stays readable."""
    related = []
    for key, count in counts.items():
        if count:
            one, many = _RELATED.get(key, (key, key))
            related.append(f"{count:,} {one if count == 1 else many}")
    going = f" with {', '.join(related)}" if related else ""
    tail = f"? Restorable for {days} days."
    name = plain(name)
    room = max(16, QUESTION_WIDTH - cell_len("Delete " + going + tail))
    if cell_len(name) > room:
        name = set_cell_size(name, room - 1) + "…"
    return f"Delete {name}{going}{tail}"


class CustomerCentre(ListScreen):
    NOUN = "customers"
    SETTINGS_KEY = "customers"
    SEARCH_FIELDS = SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Type Name, Email, Phone or Account Number"
    KEY_COLUMNS = ("account_number", "name")

    BINDINGS = bindings("CustomerCentre")

    @property
    def repo(self) -> CustomerRepository:
        """Loaded on first use: the form models are not needed to draw the list."""
        from xoro_tui.data.customers.customer_repo import CustomerRepository

        return CustomerRepository(xoro_app(self).db)

    def compose(self):  # noqa: ANN201
        """The list's, with the totals lines above the status line (which stays just above
        the key bar)."""
        for widget in super().compose():
            if widget.id == "status":
                yield Static(id="totals", markup=False)
                yield Static(id="credits", markup=False)
            yield widget

    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        source = QuerySource(
            WindowQuery(db.conn, customer_spec()),
            DEFAULT_COLUMNS,
            formatters=money_cells.FORMATTERS,
            hidden_needs=money_cells.NEEDS,
        )
        early = getattr(self.app, "early_count", None)
        if early is not None:
            xoro_app(self).early_count = None  # taken at start-up: good for the first screen only
            source.set_filter(source.filter, count=early.result())
        return source

    def on_mount(self) -> None:
        self.title = "Customer Centre"
        super().on_mount()
        assert self.source is not None
        if self.source.filter == Filter():
            # the whole Centre's totals are kept sums (a few ms): on the first frame, so
            # that it is sent once and whole
            self.show_filter_details(customer_money.totals(xoro_app(self).db.conn, Filter()))
        else:
            self.call_after_refresh(self.filter_applied)

    def filter_details(self, conn: sqlite3.Connection, flt: Filter) -> object:
        """Open balance and unapplied credits of the filter per currency, from the summary
        (see customer_money.totals): one pass over the filter's customers, off the UI."""
        assert self.source is not None
        return customer_money.totals(conn, flt)

    def show_filter_details(self, details: object) -> None:
        open_balance, credits = money_cells.totals_parts(details)  # type: ignore[arg-type]
        self.show_packed("#totals", open_balance)
        self.show_packed("#credits", credits)

    def row_title(self, values: tuple[str, ...]) -> str:
        row = self.table.current_row()
        return self._name_of(row.values) if row else ""

    def _name_of(self, values: tuple[str, ...]) -> str:
        assert self.source is not None
        keys = self.source.visible_keys
        return values[keys.index("name")] if "name" in keys else values[0]

    #: which menu the row menu widget shows: a row's, or the header actions
    _menu_shows: Literal["row", "actions"] = "row"

    @on(VirtualTable.MenuRequested)
    def _menu(self, event: VirtualTable.MenuRequested) -> None:
        row = self.table.current_row()
        title = self._name_of(row.values) if row else ""
        self._menu_shows = "row"
        self.menu.open(
            menu_entries(ROW_MENU, keymap_of(self.app)),
            safe_text(title),
            event.screen_y,
            row_key=event.key,
        )

    @on(VirtualTable.RowChosen)
    def _chosen(self, event: VirtualTable.RowChosen) -> None:
        self.open_form(event.key)

    def action_actions(self) -> None:
        """The header actions (on the checked customers), in the menu layer."""
        from xoro_tui.screens.customers.customer_actions import MENU_SCOPE

        checked = self.checked_count()
        title = f"Actions on {checked:,} checked customer(s)"
        self._menu_shows = "actions"
        self.menu.open(menu_entries(MENU_SCOPE, keymap_of(self.app)), title, 2)

    def header_actions(self) -> CustomerActions:
        """The header actions, on this list's checked customers."""
        from xoro_tui.screens.customers.customer_actions import CustomerActions

        return CustomerActions(self, self.after_write)

    @on(RowMenu.Picked)
    def _picked(self, event: RowMenu.Picked) -> None:
        if self._menu_shows == "actions":
            self.header_actions().run(event.entry_id)
        elif event.row_key is not None:
            self._row_action(event.entry_id, event.row_key)

    def _row_action(self, action: str, key: int) -> None:
        if action == "open":
            self.open_form(key)
        elif action == "info":
            self.open_info(key)
        elif action in {t.value for t in DocumentType}:
            self.create_document(key, DocumentType(action))
        elif action == "delete":
            self.ask_delete(key)

    # -- actions on one customer
    def open_form(self, customer_id: int | None, prefill: dict | None = None) -> None:
        from xoro_tui.screens.customers.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(customer_id, prefill), self._form_done)

    def _form_done(self, result) -> None:  # noqa: ANN001 - FormResult | None
        if result is None:
            return
        self.after_write(result.customer_id)
        if result.action in {t.value for t in DocumentType}:
            self.create_document(result.customer_id, DocumentType(result.action))
        elif result.action == "duplicated":
            self.open_copy(result.customer_id)
        elif result.action in ("portal_invitation", "direct_debit"):
            self.customer_action(result.action, [result.customer_id])

    def open_copy(self, copy_id: int) -> None:
        """ctrl+d in the form made a copy: open it in the form, for editing."""
        try:
            account = self.repo.get(copy_id).account_number
        except DataError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Duplicated as {account}: editing the copy", markup=False, timeout=3)
        self.open_form(copy_id)

    def customer_action(self, action: str, customer_ids: list[int]) -> None:
        """Portal invitation or direct debit for one customer, from the form."""
        self.table.selection.clear()
        for key in customer_ids:
            self.table.selection.toggle(key)
        self.header_actions().run(action)
        self.table.selection.clear()
        self.update_status()

    def open_info(self, customer_id: int) -> None:
        from xoro_tui.screens.customers.customer_info import CustomerInfo

        # an undo merge there brings customers back: re-read the list on return
        self.app.push_screen(CustomerInfo(customer_id), lambda _: self.after_write(customer_id))

    def create_document(self, customer_id: int, doc_type: DocumentType) -> None:
        from xoro_tui.screens.customers.document_form import DocumentForm

        def done(document) -> None:  # noqa: ANN001 - Document | None
            if document is not None:
                self.notify(
                    f"{DOCUMENT_TITLE[doc_type]} {document.number} saved", markup=False, timeout=3
                )
                self.after_write(customer_id)  # its money columns and the totals moved

        self.app.push_screen(DocumentForm(customer_id, doc_type), done)

    def ask_delete(self, customer_id: int) -> None:
        try:
            customer = self.repo.get(customer_id)
        except DataError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        counts = self.repo.related_counts(customer_id)
        question = delete_question(customer.name, counts, retention_days(xoro_app(self).db.conn))

        def answer(yes: bool) -> None:
            if not yes:
                return
            try:
                self.repo.delete(customer_id, customer.version)
            except DataError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(
                f"Deleted {plain(customer.name)}; the actions menu (a, then x) restores it",
                markup=False,
                timeout=4,
            )
            self.after_write(None)

        self.prompt.ask(question, answer)

    def after_write(self, keep_key: int | None) -> None:
        """Re-read after a change made here: counts and windows may have moved."""
        assert self.source is not None
        self._total = None
        self.mark_current()
        self.source.invalidate()
        self.table.reload(keep_key=True, filter_changed=False)
        if keep_key is not None:
            position = self.source.position_of(keep_key)
            if position is not None:
                self.table.move_cursor(position)
        self.update_status()
        self.filter_applied()

    def action_new_customer(self) -> None:
        from xoro_tui.screens.customers.quick_add import QuickAdd

        def done(result) -> None:  # noqa: ANN001 - QuickAddResult | None
            if result is None:
                return
            if result.open_customer_id is not None:
                self.open_form(result.open_customer_id)
            else:
                self.open_form(None, result.prefill)

        self.app.push_screen(QuickAdd(), done)

    def palette_commands(self):  # noqa: ANN201 - an iterable of SystemCommand
        """The actions menu's entries (the Centre's own keys come from the registry)."""
        from textual.app import SystemCommand

        from xoro_tui.screens.customers.customer_actions import ACTIONS

        for entry in ACTIONS:
            if entry.id == "import":  # the app offers it from every screen
                continue
            yield SystemCommand(entry.label, "On the checked customers",
                                lambda a=entry.id: self.header_actions().run(a))  # fmt: skip
