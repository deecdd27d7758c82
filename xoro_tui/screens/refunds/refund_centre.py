"""The Customer Refund Centre: every refund, its status, totals per currency, the receipt,
the pop-up edit, the lifecycle, and printing of deposit receipts and cheques."""

from __future__ import annotations

import sqlite3
from typing import cast

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.widgets import Static

from xoro_tui.actions.registry import bindings, keymap_of, menu_entries
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import PaymentMethod
from xoro_tui.data.refunds.refund_list import (
    DEFAULT_COLUMNS,
    SEARCH_FIELDS,
    STATUSES,
    refund_spec,
    status_counts,
    totals,
)
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.search.list_query import FieldDef, Filter, WindowQuery
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.users import UserRepository
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.list_screen import ListScreen
from xoro_tui.screens.lists.query_source import QuerySource
from xoro_tui.widgets.row_menu import RowMenu
from xoro_tui.widgets.safe_text import plain, safe_text
from xoro_tui.widgets.virtual_table import VirtualTable

#: the menus in the action registry (labels and keys there)
ROW_MENU = "RefundCentre.row_menu"
#: the Centre's actions that are not on one refund (a)
ACTIONS_MENU = "RefundCentre.actions_menu"


PRINT_LIMIT = 500


def _status(value: object, record: dict) -> str:
    """A refund whose cheque awaits confirmation says so (its status stays Approved)."""
    text = "" if value is None else str(value)
    return f"{text} (awaiting)" if record.get("cheque_print") else text


def _amount(value: object, record: dict) -> str:
    if value is None:
        return ""
    return money.display(int(cast("int", value)), str(record.get("currency") or "USD"))


class RefundCentre(ListScreen):
    NOUN = "refunds"
    SETTINGS_KEY = "refunds"
    SEARCH_FIELDS = SEARCH_FIELDS
    SEARCH_PLACEHOLDER = "Refund #, customer, cheque #, reference, memo, user…"
    KEY_COLUMNS = ("refund_number",)

    BINDINGS = bindings("RefundCentre")

    def compose(self):  # noqa: ANN201
        yield from super().compose()
        yield Static(id="status-counts", markup=False)
        yield Static(id="totals", markup=False)
        yield Static(id="awaiting", markup=False)

    @property
    def repo(self) -> RefundRepository:
        return RefundRepository(xoro_app(self).db)

    def make_source(self, db: sqlite_utils.Database) -> QuerySource:
        source = QuerySource(
            WindowQuery(db.conn, refund_spec()),
            DEFAULT_COLUMNS,
            formatters={"amount": _amount, "status": _status},
            hidden_needs={"amount": ("currency",), "status": ("cheque_print",)},
        )
        source.set_sort("refund_date", True)
        return source

    def on_mount(self) -> None:
        self.title = "Customer Refund Centre"
        super().on_mount()
        self.filter_applied()
        self.show_awaiting()

    def fixed_values(self, fdef: FieldDef) -> list[str]:
        if fdef.key == "status":
            return list(STATUSES)
        if fdef.key == "payment_method":
            return [m.value for m in PaymentMethod]
        if fdef.key == "currency":
            return sorted(money.CURRENCIES)
        return []

    def status_text(self) -> str:
        text = super().status_text()
        users = UserRepository(xoro_app(self).db)
        if users.single_user_mode():
            text += " · single-user mode: no roles configured, everyone may do everything"
        else:
            user = self.repo.user
            text += f" · {user} ({users.role_of(user) or 'no role: read-only'})"
        return text

    def action_status(self, index: int) -> None:
        status = STATUSES[index - 1] if index else None
        self.apply_filter(self.current_filter().with_extra("status", status))

    def action_filters(self) -> None:
        from xoro_tui.screens.refunds.refund_dialogs import RefundFilterDialog, RefundFilters

        assert self.source is not None
        flt = self.source.filter
        current = RefundFilters(
            flt.extra("date_from"), flt.extra("date_to"), flt.extra("payment_method")
        )

        def done(result: RefundFilters | None) -> None:
            if result is None:
                return
            new = self.current_filter()
            for name in ("date_from", "date_to", "payment_method"):
                new = new.with_extra(name, getattr(result, name))
            self.apply_filter(new)

        self.app.push_screen(RefundFilterDialog(current), done)

    def describe_filter(self) -> str:
        assert self.source is not None
        flt = self.source.filter
        words = [w for w in [super().describe_filter()] if w]
        if flt.extra("status"):
            words.insert(0, f"status is {flt.extra('status')}")
        if flt.extra("payment_method"):
            words.append(f"payment method is {flt.extra('payment_method')}")
        if flt.extra("date_from") or flt.extra("date_to"):
            words.append(f"date {flt.extra('date_from') or '…'} to {flt.extra('date_to') or '…'}")
        return " and ".join(words)

    def filter_details(self, conn: sqlite3.Connection, flt: Filter) -> object:
        """Counts per status and totals per currency: full scans on a big list."""
        return flt.extra("status"), status_counts(conn, flt), totals(conn, flt)

    def show_filter_details(self, details: object) -> None:
        current, counts, sums = cast(
            "tuple[str | None, dict[str, int], list[tuple[str, int, int]]]", details
        )
        self.show_status_counts(STATUSES, current, counts)
        self.show_packed("#totals", self.totals_parts(sums))

    @staticmethod
    def totals_parts(rows: list[tuple[str, int, int]]) -> list[str]:
        """``Totals (voided left out):`` then one part per currency: every one is shown."""
        if not rows:
            return ["Totals: none"]
        parts = [f"{cur} {money.display(total, cur)} ({n:,})" for cur, n, total in rows]
        parts[0] = f"Totals (voided left out): {parts[0]}"
        return parts

    # -- row menu
    @on(VirtualTable.MenuRequested)
    def _menu(self, event: VirtualTable.MenuRequested) -> None:
        row = self.table.current_row()
        title = row.values[0] if row else ""
        self.menu.open(
            menu_entries(ROW_MENU, keymap_of(self.app)),
            safe_text(title),
            event.screen_y,
            row_key=event.key,
        )

    @on(VirtualTable.RowChosen)
    def _chosen(self, event: VirtualTable.RowChosen) -> None:
        self.view_receipt(event.key)

    def action_actions(self) -> None:
        """The Centre's own actions (not on a row), in the menu layer."""
        self.menu.open(
            menu_entries(ACTIONS_MENU, keymap_of(self.app)), "Refund actions", 2, row_key=None
        )

    @on(RowMenu.Picked)
    def _picked(self, event: RowMenu.Picked) -> None:
        if event.row_key is not None:
            self.act(event.entry_id, event.row_key)
        elif event.entry_id == "import":
            from xoro_tui.screens.dialogs.import_screen import open_import

            open_import(self, "refunds")
        elif event.entry_id == "confirm_cheques":
            self.action_confirm_cheques()
        elif event.entry_id == "cheque_register":
            self.action_cheque_register()
        elif event.entry_id == "cheque_layout":
            from xoro_tui.data.refunds.cheque_desk import ChequeDesk
            from xoro_tui.screens.refunds.cheque_layout_dialog import ChequeLayoutDialog

            accounts = ChequeDesk(xoro_app(self).db).accounts()
            page_size = self.settings.get("app", "page_size", "Letter")
            self.app.push_screen(ChequeLayoutDialog(accounts, page_size))

    def act(self, action: str, refund_id: int) -> None:
        if action == "receipt":
            self.view_receipt(refund_id)
        elif action == "update":
            self.update_refund(refund_id)
        elif action in ("print_deposit", "print_cheque"):
            self.print_refunds(action, [refund_id])
        elif action == "void_cheque":
            self.void_cheque(refund_id)
        elif action == "void":
            self.void_refund(refund_id)
        elif action == "register":
            try:
                account = self.repo.get(refund_id).refund_account
            except DataError as exc:
                self.error(exc)
                return
            self.action_cheque_register(account)
        elif action == "customer_info":
            from xoro_tui.screens.customers.customer_info import CustomerInfo

            try:
                customer_id = self.repo.get(refund_id).customer_id
            except DataError as exc:
                self.error(exc)
                return
            self.app.push_screen(CustomerInfo(customer_id))

    def error(self, exc: Exception) -> None:
        self.notify(plain(str(exc)), severity="error", markup=False, timeout=8)

    def view_receipt(self, refund_id: int) -> None:
        from xoro_tui.screens.refunds.receipt_view import RefundReceipt

        def done(action: str | None) -> None:
            if action:
                self.act(action, refund_id)

        self.app.push_screen(RefundReceipt(refund_id), done)

    def update_refund(self, refund_id: int) -> None:
        from xoro_tui.screens.refunds.refund_form import RefundForm

        def done(saved) -> None:  # noqa: ANN001 - Refund | None
            if saved is not None:
                self.notify(f"Saved {plain(saved.refund_number)}", markup=False, timeout=3)
                self.after_write()

        self.app.push_screen(RefundForm(refund_id), done)

    def void_refund(self, refund_id: int) -> None:
        from xoro_tui.data.models.entities import RefundStatus
        from xoro_tui.data.refunds.policy import check_move
        from xoro_tui.screens.refunds.refund_dialogs import AskText

        repo = self.repo
        try:
            refund = repo.get(refund_id)
            if refund.status is RefundStatus.VOIDED:
                self.error(DataError(f"{refund.refund_number} is already voided"))
                return
            # Refuse before asking for a reason (Cleared, or no approver role).
            check_move(refund, RefundStatus.VOIDED, repo.user, repo.users)
        except DataError as exc:
            self.error(exc)
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.repo.void(refund.id, refund.version, reason)
            except DataError as exc:
                self.error(exc)
                return
            self.notify(f"Voided {plain(refund.refund_number)}", markup=False, timeout=3)
            self.after_write()

        self.app.push_screen(
            AskText(f"Why void {plain(refund.refund_number)}?", "void_reason"), done
        )

    def action_new_refund(self) -> None:
        from xoro_tui.screens.refunds.new_refund import NewRefund

        def done(refund) -> None:  # noqa: ANN001 - Refund | None
            if refund is not None:
                self.notify(f"Draft {plain(refund.refund_number)} created", markup=False, timeout=3)
                self.after_write(refund.id)

        self.app.push_screen(NewRefund(), done)

    def action_print_checked(self, action: str) -> None:
        ids = self.checked_ids(limit=PRINT_LIMIT)
        if len(ids) > PRINT_LIMIT:
            self.notify(f"At most {PRINT_LIMIT} refunds print in one go; narrow the filter",
                        severity="error", timeout=8)  # fmt: skip
            return
        if not ids:
            key = self.table.cursor_key
            ids = [key] if key is not None else []
        if ids:
            self.print_refunds(action, ids)

    def print_refunds(self, action: str, refund_ids: list[int]) -> None:
        """Cheques print in the list's sort order (checked rows outside the filter too),
        all listed first; receipts print at once."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk
        from xoro_tui.data.refunds.refund_list import in_sort_order
        from xoro_tui.screens.refunds.cheque_dialogs import ChequeBatchDialog

        db = xoro_app(self).db
        assert self.source is not None
        ordered = in_sort_order(db.conn, refund_ids, self.source.sort)
        if action != "print_cheque":
            self._print_now(action, ordered)
            return

        def go(yes: bool | None) -> None:
            if yes:
                self._print_now(action, ordered)

        rows = ChequeDesk(db).preview(ordered)
        page_size = self.settings.get("app", "page_size", "Letter")
        self.app.push_screen(ChequeBatchDialog(rows, page_size), go)

    def _print_now(self, action: str, refund_ids: list[int]) -> None:
        from xoro_tui.documents.refund_printing import prepare_cheques, prepare_receipts

        db = xoro_app(self).db
        job = (prepare_cheques if action == "print_cheque" else prepare_receipts)(db, refund_ids)
        self.after_write()
        if not job.items:
            self.notify("Nothing printed: " + "; ".join(job.refused), severity="error",
                        markup=False, timeout=10)  # fmt: skip
            return
        self.notify(f"Writing {len(job.items)} PDF page(s)…", timeout=3)
        page_size = self.settings.get("app", "page_size", "Letter")
        self._write_pdf(job, page_size)

    @work(thread=True, group="pdf")
    def _write_pdf(self, job, page_size: str) -> None:  # noqa: ANN001 - PrintJob
        from xoro_tui.documents.refund_printing import write_job

        app = self.app  # kept: after a hang-up the screen is gone before this ends
        warnings: list[str] = []
        try:
            path = write_job(job, page_size, warnings)
        except (DataError, OSError) as exc:
            app.call_from_thread(self._not_written, job, exc)
            return
        app.call_from_thread(self._printed, job, path, warnings)

    def _not_written(self, job, exc: Exception) -> None:  # noqa: ANN001 - PrintJob
        """No PDF, so no cheque came out: the numbers reserved for it are spoiled, and their
        refunds are Approved again (the register keeps every number)."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk

        desk = ChequeDesk(xoro_app(self).db)
        for account, number in job.reserved:
            try:
                desk.spoil(account, number, f"the PDF could not be written ({exc})")
            except DataError as err:
                self.error(err)
        self.error(exc)
        self.after_write()

    def _printed(self, job, path, warnings: list[str]) -> None:  # noqa: ANN001
        from xoro_tui.screens.dialogs.print_dialog import PrintDialog

        title = "Cheques" if job.kind == "cheque" else "Refund receipts"
        notes = [*warnings, *(f"not printed: {r}" for r in job.refused)]
        if job.reserved:
            notes.append(
                "Once they are out of the printer, say which cheques printed correctly "
                "(next, on closing this)"
            )

        def then(_: object) -> None:
            if job.reserved:
                self.confirm_cheques(job.reserved)

        self.app.push_screen(PrintDialog(path, title, notes), then)

    # -- the cheque register
    def show_awaiting(self) -> None:
        """Everyone sees which cheques await confirmation, after a restart too."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk

        waiting = ChequeDesk(xoro_app(self).db).awaiting()
        line = self.query_one("#awaiting", Static)
        if not waiting:
            line.update("")
            line.display = False
            return
        shown = ", ".join(
            f"{w['number']} {plain(w['refund_number'])} ({plain(w['printed_by'] or '')})"
            for w in waiting[:6]
        )
        more = f" and {len(waiting) - 6} more" if len(waiting) > 6 else ""
        line.display = True
        line.update(
            Text(
                f"Cheques awaiting confirmation (K to answer): {shown}{more}",
                style="bold",
            )
        )

    def action_confirm_cheques(self) -> None:
        self.confirm_cheques(None)

    def confirm_cheques(self, only: list[tuple[str, int]] | None) -> None:
        """Ask which cheques printed correctly: ``only`` these, or every one awaiting that
        this login may answer for (its own prints; an approver answers for anyone's)."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk
        from xoro_tui.screens.refunds.cheque_dialogs import ConfirmChequesDialog

        desk = ChequeDesk(xoro_app(self).db)
        waiting = desk.awaiting()
        if only is not None:
            wanted = {(a.casefold(), n) for a, n in only}
            waiting = [w for w in waiting if (w["account"].casefold(), w["number"]) in wanted]
        elif not desk.users.can(desk.user, "approver"):
            waiting = [w for w in waiting if w["printed_by"] == desk.user]
        if not waiting:
            self.notify("No cheques of yours await confirmation", timeout=4)
            return

        def done(result: str | None) -> None:
            if result:
                self.notify(plain(result), markup=False, timeout=8)
            self.after_write()

        self.app.push_screen(ConfirmChequesDialog(waiting), done)

    def action_cheque_register(self, account: str | None = None) -> None:
        from xoro_tui.screens.refunds.cheque_dialogs import ChequeRegisterScreen

        if account is None:
            row = self.table.current_row()
            key = self.table.cursor_key
            if row is not None and key is not None:
                try:
                    account = self.repo.get(key).refund_account
                except DataError:
                    account = None
        self.app.push_screen(ChequeRegisterScreen(account))

    def void_cheque(self, refund_id: int) -> None:
        """Void Cheque (approver, with a reason): the number is voided in the register and
        the refund goes back to Approved, keeping its refund number."""
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk
        from xoro_tui.screens.refunds.refund_dialogs import AskText

        desk = ChequeDesk(xoro_app(self).db)
        try:
            refund = self.repo.get(refund_id)
        except DataError as exc:
            self.error(exc)
            return
        if refund.status.value != "Printed" or refund.cheque_number is None:
            self.error(DataError(
                f"Void Cheque is for a Printed cheque refund; {refund.refund_number} is "
                f"{refund.status.value}"
            ))  # fmt: skip
            return
        if not desk.users.can(desk.user, "approver"):
            self.error(DataError(f"voiding a cheque needs the approver role ({desk.user})"))
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            try:
                back = desk.void_cheque(refund.id, refund.version, reason)
            except DataError as exc:
                self.error(exc)
                return
            self.notify(
                f"Cheque {refund.cheque_number} voided; {plain(back.refund_number)} is Approved "
                "again, to print on the next number",
                markup=False, timeout=6,
            )  # fmt: skip
            self.after_write()

        self.app.push_screen(
            AskText(f"Why void cheque {refund.cheque_number} of {plain(refund.refund_number)}?",
                    "void_reason"),
            done,
        )  # fmt: skip

    def after_write(self, keep_key: int | None = None) -> None:
        assert self.source is not None
        self._total = None
        self.source.invalidate()
        self.table.reload(keep_key=True, filter_changed=False)
        if keep_key is not None:
            position = self.source.position_of(keep_key)
            if position is not None:
                self.table.move_cursor(position)
        self.update_status()
        self.filter_applied()
        self.show_awaiting()
