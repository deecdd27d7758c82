"""The cheque dialogs of the Refund Centre: the batch listed before printing, "did the
cheques print correctly?" after it, and an account's cheque register."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog, ResultType
from xoro_tui.screens.dialogs.form_support import field_row, show_errors, stop_blinking
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import plain, safe_text


def _line(*cells: tuple[str, int]) -> Text:
    """One aligned line of user text, shown literally (wide characters take two cells)."""
    out = Text()
    for value, width in cells:
        shown = plain(value)
        if cell_len(shown) > width:
            shown = set_cell_size(shown, width - 1) + "…"
        out.append_text(safe_text(shown + " " * (width - cell_len(shown) + 2)))
    out.rstrip()
    return out


class ChequeDialog(Dialog[ResultType]):
    """The cheque dialogs: a wide box of cheque lines, each on one line."""

    DEFAULT_CSS = """
    ChequeDialog > Vertical { width: 95%; max-width: 120; max-height: 90%; }
    ChequeDialog VerticalScroll { height: auto; max-height: 50vh; }
    ChequeDialog .batch-row { text-wrap: nowrap; text-overflow: ellipsis; }
    ChequeDialog Horizontal { height: auto; }
    """


class ChequeBatchDialog(ChequeDialog[bool]):
    """Every cheque of a batch, in the order it prints, before any number is taken."""

    BINDINGS = bindings("ChequeBatchDialog")

    def __init__(
        self, rows: list[tuple[str, str, str, str, str]], page_size: str = "Letter"
    ) -> None:
        super().__init__()
        self.rows = rows
        self.page_size = page_size

    def compose(self) -> ComposeResult:
        printing = sum(1 for row in self.rows if not row[4].startswith("not printed"))
        with Vertical():
            yield Label(f"Print {printing} cheque(s) in this order (the list's sort order):")
            with VerticalScroll():
                for i, (refund, payee, amount, account, what) in enumerate(self.rows, 1):
                    yield Static(
                        _line((f"{i}.", 4), (refund, 10), (what, 28), (payee, 22),
                              (amount, 14), (account, 16)),
                        classes="batch-row", markup=False,
                    )  # fmt: skip
            with Horizontal():
                yield Button("Print", id="print", variant="primary", disabled=not printing)
                yield Button("Alignment test page", id="test_page")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#print" if not self.query_one("#print").disabled else "#cancel").focus()

    @on(Button.Pressed, "#print")
    def action_print(self) -> None:
        if not self.query_one("#print", Button).disabled:
            self.dismiss(True)

    @on(Button.Pressed, "#test_page")
    def action_test_page(self) -> None:
        """Each account's layout with sample values, to print on blank paper first: no
        cheque number is taken."""
        from xoro_tui.screens.refunds.cheque_layout_dialog import print_alignment

        print_alignment(self, [row[3] for row in self.rows], self.page_size)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmChequesDialog(ChequeDialog[str | None]):
    """Which cheques printed correctly? Ticked ones become Printed; an unticked one is
    spoiled (with the reason given) and its refund is Approved again, to print on the next
    number. "Later" leaves them all awaiting confirmation."""

    BINDINGS = bindings("ConfirmChequesDialog")

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        from xoro_tui.data.models import money

        with Vertical():
            yield Label("Did the cheques print correctly? Untick each one that did not (spoiled).")
            with VerticalScroll():
                for i, item in enumerate(self.items):
                    amount = f"{money.display(item['amount'], item['currency'])} {item['currency']}"
                    label = (
                        f"{item['number']}  {plain(item['refund_number'])}  {amount}  "
                        f"{plain(item['payee'] or '')}  ({plain(item['account'])}, printed by "
                        f"{plain(item['printed_by'] or '')})"
                    )
                    yield Checkbox(Content(label), value=True, id=f"ok-{i}", compact=True)
            yield from field_row(
                "Why the unticked cheques are spoiled (paper jam, misaligned…)",
                Input(id="reason", placeholder="needed only when one is unticked"),
                "reason",
            )
            yield Label("", classes="error", id="error-form")
            with Horizontal():
                yield Button("Record", id="record", variant="primary")
                yield Button("Later", id="later")
        yield KeyBar()

    def on_mount(self) -> None:
        stop_blinking(self)
        self.query_one("#record").focus()

    def ticked(self) -> list[bool]:
        return [self.query_one(f"#ok-{i}", Checkbox).value for i in range(len(self.items))]

    @on(Button.Pressed, "#record")
    @on(Input.Submitted, "#reason")
    def action_record(self) -> None:
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk

        reason = self.query_one("#reason", Input).value.strip()
        ticked = self.ticked()
        if not all(ticked) and not reason:
            show_errors(self, [("reason", "say why the unticked cheques are spoiled")])
            return
        desk = ChequeDesk(xoro_app(self).db)
        printed, spoiled, failed = [], [], []
        for item, ok in zip(self.items, ticked, strict=True):
            try:
                if ok:
                    desk.confirm(item["account"], item["number"])
                    printed.append(str(item["number"]))
                else:
                    refund = desk.spoil(item["account"], item["number"], reason)
                    spoiled.append(f"{item['number']} ({refund.refund_number} is Approved again)")
            except DataError as exc:
                failed.append(f"{item['number']}: {exc}")
        if failed and not printed and not spoiled:
            show_errors(self, [("form", "; ".join(failed))])
            return
        parts = []
        if printed:
            parts.append("printed: " + ", ".join(printed))
        if spoiled:
            parts.append("spoiled: " + ", ".join(spoiled))
        if failed:
            parts.append("not recorded: " + "; ".join(failed))
        self.dismiss("Cheques " + "; ".join(parts))

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(None)


class ChequeRegisterScreen(ChequeDialog[None]):
    """An account's cheque register: its books, the next number, every number used."""

    DEFAULT_CSS = """
    ChequeRegisterScreen > Vertical { height: 90%; max-width: 150; }
    ChequeRegisterScreen DataTable { height: 1fr; }
    ChequeRegisterScreen Select { width: 40; }
    ChequeRegisterScreen #summary { height: auto; color: $text-muted; }
    """
    BINDINGS = bindings("ChequeRegisterScreen")

    def __init__(self, account: str | None = None) -> None:
        super().__init__()
        self.account = account

    def compose(self) -> ComposeResult:
        from xoro_tui.data.refunds.cheque_desk import ChequeDesk

        accounts = ChequeDesk(xoro_app(self).db).accounts()
        chosen = next((a for a in accounts if self.account and a.casefold() ==
                       self.account.casefold()), accounts[0] if accounts else None)  # fmt: skip
        self.account = chosen
        with Vertical():
            yield Label("Cheque register of")
            yield Select(
                [(plain(a), a) for a in accounts],
                value=chosen if chosen is not None else Select.BLANK,
                allow_blank=chosen is None,
                prompt="no refund accounts",
                id="account",
            )
            yield Static("", id="summary", markup=False)
            yield DataTable(id="register", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        from xoro_tui.data.refunds.cheque_register import COLUMNS

        self.query_one(DataTable).add_columns(*COLUMNS)
        self.show()

    @on(Select.Changed, "#account")
    def _account(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value != self.account:
            self.account = str(event.value)
            self.show()

    def show(self) -> None:
        from xoro_tui.data.refunds import cheque_register

        table = self.query_one(DataTable)
        table.clear()
        if not self.account:
            self.query_one("#summary", Static).update("No refund accounts yet.")
            return
        conn = xoro_app(self).db.conn
        lines = cheque_register.summary(conn, self.account)
        rows = cheque_register.display_rows(conn, self.account)
        if not rows:
            lines.append("No cheques yet.")
        self.query_one("#summary", Static).update(Text("\n").join(safe_text(x) for x in lines))
        for row in rows:
            table.add_row(*(safe_text(cell) for cell in row))
        if rows:  # the latest numbers are the ones people look for
            table.move_cursor(row=len(rows) - 1, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
