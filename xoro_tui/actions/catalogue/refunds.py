"""The Customer Refund Centre's keys and menus, and those of its forms and dialogs."""

from __future__ import annotations

from xoro_tui.actions.action import Action as A
from xoro_tui.actions.action import in_scope
from xoro_tui.actions.action import menu_entry as M

#: the status filters (1 … 7), as ``refund_list.STATUSES``
REFUND_STATUSES = (
    "Draft", "Pending Approval", "Approved", "Printed", "Issued", "Cleared", "Voided",
)  # fmt: skip

ACTIONS = (
    *in_scope(
        "RefundCentre",
        A("refunds.all", "0", "status(0)", "All", "Refunds of every status", show=False),
        *(
            A(f"refunds.status{i}", str(i), f"status({i})", status, f"{status} refunds only",
              show=False)
            for i, status in enumerate(REFUND_STATUSES, start=1)
        ),
        A("refunds.new", "n", "new_refund", "New Refund",
          "From a deposit, a credit memo or an overpayment", command="New Refund"),
        A("refunds.filters", "f", "filters", "Dates/method", "Date range and payment method",
          command="Refund filters"),
        A("refunds.actions", "a", "actions", "Actions", "Import, cheque confirmation, "
          "register and layout"),
        A("refunds.print_cheques", "P", "print_checked('print_cheque')", "Print cheques",
          "Print the checked refunds' cheques", show=False),
        A("refunds.print_receipts", "D", "print_checked('print_deposit')", "Print receipts",
          "Print the checked refunds' deposit receipts", show=False),
        A("refunds.confirm_cheques", "K", "confirm_cheques", "Confirm cheques",
          "Say which cheques printed correctly", show=False,
          command="Confirm printed cheques"),
        A("refunds.cheque_register", "G", "cheque_register", "Cheque register",
          "Every cheque number of a refund account", show=False, command="Cheque register"),
    ),
    *in_scope(
        "RefundCentre.row_menu",
        M("refunds.row.receipt", "v", "View Refund Receipt"),
        M("refunds.row.update", "u", "Update Refund"),
        M("refunds.row.print_deposit", "p", "Print Refund Customer Deposit"),
        M("refunds.row.print_cheque", "c", "Print Cheque"),
        M("refunds.row.void_cheque", "k", "Void Cheque"),
        M("refunds.row.void", "x", "Void"),
        M("refunds.row.register", "r", "Cheque Register"),
        M("refunds.row.customer_info", "i", "Customer Info"),
    ),
    *in_scope(
        "RefundCentre.actions_menu",
        M("refunds.menu.import", "i", "Import refunds from a file"),
        M("refunds.menu.confirm_cheques", "k", "Confirm printed cheques"),
        M("refunds.menu.cheque_register", "g", "Cheque register"),
        M("refunds.menu.cheque_layout", "l", "Cheque layout and test page"),
    ),
    *in_scope(
        "RefundReceipt",
        A("receipt.back", "escape,ctrl+g,q", "dismiss_none", "Back"),
        A("receipt.update", "u", "act('update')", "Update", "Update the refund"),
        A("receipt.print", "p", "act('print_deposit')", "Print receipt"),
        A("receipt.cheque", "c", "act('print_cheque')", "Print cheque"),
    ),
    *in_scope(
        "RefundForm",
        A("refund_form.save", "ctrl+s", "save", "Save"),
        A("refund_form.reload", "ctrl+r", "reload", "Reload"),
        A("refund_form.return_to_pending", "ctrl+b", "return_to_pending",
          "Return to Pending Approval"),
        A("refund_form.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "NewRefund",
        A("new_refund.save", "ctrl+s", "save", "Save"),
        A("new_refund.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "AskText",
        A("ask.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "RefundFilterDialog",
        A("filters.cancel", "escape,ctrl+g", "cancel", "Cancel"),
        A("filters.apply", "ctrl+s", "apply", "Apply"),
    ),
    *in_scope(
        "ChequeBatchDialog",
        A("cheque_batch.print", "ctrl+s", "print", "Print"),
        A("cheque_batch.test_page", "ctrl+t", "test_page", "Test page"),
        A("cheque_batch.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "ConfirmChequesDialog",
        A("confirm_cheques.record", "ctrl+s", "record", "Record"),
        A("confirm_cheques.later", "escape,ctrl+g", "later", "Later"),
    ),
    *in_scope(
        "ChequeRegisterScreen",
        A("cheque_register.close", "escape,ctrl+g", "close", "Close"),
    ),
    *in_scope(
        "ChequeLayoutDialog",
        A("cheque_layout.save", "ctrl+s", "save", "Save (admin)"),
        A("cheque_layout.test_page", "ctrl+t", "test_page", "Test page"),
        A("cheque_layout.close", "escape,ctrl+g", "close", "Close"),
    ),
)  # fmt: skip
