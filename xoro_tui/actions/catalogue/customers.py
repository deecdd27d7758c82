"""The Customer Centre's keys and menus, and those of its forms, reports and dialogs."""

from __future__ import annotations

from xoro_tui.actions.action import Action as A
from xoro_tui.actions.action import in_scope
from xoro_tui.actions.action import menu_entry as M

#: the Credit Card Report's status filters (1, 2, 3), as ``card_report.STATUSES``
CARD_STATUSES = ("Expired", "Expires within 30 days", "Valid")


#: the Centre keys a modal form keeps out (the app's keys would push a Centre over it)
def _no_centres(action_id: str) -> A:
    return A(action_id, "f2,f3,C,R", "nothing", description="Keeps the Centre keys out of "
             "the form", show=False, fixed=True)  # fmt: skip


ACTIONS = (
    *in_scope(
        "CustomerCentre",
        A("customers.new", "n,plus", "new_customer", "New", "A new customer, from a name, "
          "email, phone or account number (matches offered first)", command="New customer"),
        A("customers.actions", "a", "actions", "Actions", "Merge, Batch Update, Batch "
          "Delete, …", command="Actions menu"),
    ),
    *in_scope(
        "CustomerCentre.row_menu",
        M("customers.row.open", "o", "Open", "Open the customer form"),
        M("customers.row.info", "i", "Customer Info"),
        M("customers.row.estimate", "e", "Create Estimate"),
        M("customers.row.sales_order", "s", "Create SO", "Create a sales order"),
        M("customers.row.invoice", "v", "Create Invoice"),
        M("customers.row.sales_receipt", "r", "Create Sales Receipt"),
        M("customers.row.delete", "d", "Delete", "Delete the customer (restorable)"),
    ),
    *in_scope(
        "CustomerCentre.actions_menu",
        M("customers.menu.merge", "m", "Merge", "On the checked customers"),
        M("customers.menu.batch_update", "u", "Batch Update", "On the checked customers"),
        M("customers.menu.batch_delete", "d", "Batch Delete", "On the checked customers"),
        M("customers.menu.validate_portal", "v", "Validate Portal Emails",
          "On the checked customers"),
        M("customers.menu.card_report", "c", "Credit Card Report", "On the checked customers"),
        M("customers.menu.portal_invitation", "p", "Portal Invitations",
          "On the checked customers"),
        M("customers.menu.direct_debit", "b", "Direct Debit", "On the checked customers"),
        M("customers.menu.deleted", "x", "Deleted customers", "On the checked customers"),
        M("customers.menu.undo_batch", "z", "Undo last Batch Update",
          "On the checked customers"),
        M("customers.menu.deliver", "s", "Send the outbox now", "On the checked customers"),
        M("customers.menu.import", "i", "Import customers from a file",
          "From a CSV, .xlsx or .xls file"),
    ),
    *in_scope(
        "DeletedCustomers",
        A("deleted.restore", "R", "restore", "Restore", "Restore the checked customers"),
        A("deleted.back", "escape,ctrl+g,q", "back", "Back"),
    ),
    *in_scope(
        "CustomerInfo",
        A("info.back", "escape,ctrl+g,q", "back", "Back"),
        A("info.estimate", "e", "create('estimate')", "Estimate", "A new estimate for this customer",
          command="Create Estimate"),
        A("info.sales_order", "o", "create('sales_order')", "Order", "A new sales order for this customer",
          command="Create Sales Order"),
        A("info.invoice", "i", "create('invoice')", "Invoice", "A new invoice for this customer",
          command="Create Invoice"),
        A("info.sales_receipt", "s", "create('sales_receipt')", "Receipt", "A new sales receipt for this customer",
          command="Create Sales Receipt"),
        A("info.deposit", "p", "record('customer_deposit')", "Deposit", "Record a deposit from this customer",
          command="Record Deposit"),
        A("info.credit_memo", "c", "record('credit_memo')", "Credit", "Record a credit memo for this customer",
          command="Record Credit Memo"),
        A("info.tab_transactions", "1", "tab('transactions')", "Transactions", show=False),
        A("info.tab_orders", "2", "tab('orders')", "Orders", show=False),
        A("info.tab_invoices", "3", "tab('invoices')", "Invoices", show=False),
        A("info.tab_communications", "4", "tab('communications')", "Communications",
          show=False),
        A("info.refresh", "r,f5", "refresh", "Refresh", show=False),
        A("info.undo_merge", "U", "undo_merge", "Undo merge",
          "Undo this customer's last merge"),
        A("info.history", "h", "history", "History", "Every change to this customer"),
    ),
    *in_scope(
        "CustomerForm",
        A("customer_form.save", "ctrl+s", "save", "Save", priority=True),
        A("customer_form.cancel", "escape,ctrl+g", "cancel", "Cancel"),
        A("customer_form.cancel2", "ctrl+g", "cancel", "Cancel", show=False, priority=True),
        A("customer_form.next_tab", "ctrl+n", "next_tab", "Next tab", priority=True),
        A("customer_form.reload", "ctrl+r", "reload", "Reload", priority=True),
        A("customer_form.duplicate", "ctrl+d", "duplicate", "Duplicate", priority=True),
        A("customer_form.estimate", "f6", "leave('estimate')", "Estimate"),
        A("customer_form.sales_order", "f7", "leave('sales_order')", "SO"),
        A("customer_form.invoice", "f8", "leave('invoice')", "Invoice"),
        A("customer_form.portal", "f9", "leave('portal_invitation')", "Portal"),
        A("customer_form.direct_debit", "f10", "leave('direct_debit')", "Direct debit"),
        _no_centres("customer_form.no_centres"),
    ),
    *in_scope(
        "FieldScroll",
        A("fields.previous", "up", "app.focus_previous", "Previous field", show=False),
        A("fields.next", "down", "app.focus_next", "Next field", show=False),
    ),
    *in_scope(
        "QuickAdd",
        A("quick_add.cancel", "escape", "cancel", "Cancel"),
        A("quick_add.cancel2", "ctrl+g", "cancel", "Cancel", show=False, priority=True),
        A("quick_add.matches", "down", "to_list", "Matches", show=False),
        _no_centres("quick_add.no_centres"),
    ),
    *in_scope(
        "DocumentFormBase",
        A("document_form.save", "ctrl+s", "save", "Save"),
        A("document_form.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "DocumentForm",
        A("document_form.add_line", "ctrl+n", "add_line", "Add line"),
    ),
    *in_scope(
        "BatchUpdateDialog",
        A("batch.apply", "ctrl+s", "apply", "Apply"),
        A("batch.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "MergeDialog",
        A("merge.confirm", "ctrl+s", "confirm", "Merge"),
        A("merge.back", "b", "back", "Back", "Back to the previous step"),
        A("merge.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "MergeFieldPicker",
        A("merge.pick_next", "right,enter", "pick(1)", "Next value"),
        A("merge.pick_previous", "left", "pick(-1)", "Previous value", show=False),
    ),
    *in_scope(
        "CardReport",
        A("card_report.back", "escape,ctrl+g,q", "back", "Back"),
        A("card_report.save", "ctrl+s", "save_report", "Save report"),
        A("card_report.open", "o", "open_report", "Saved reports"),
        A("card_report.download", "d", "download", "Download"),
        A("card_report.all", "0", "status(0)", "All statuses", show=False),
        *(
            A(f"card_report.status{i}", str(i), f"status({i})", status, show=False)
            for i, status in enumerate(CARD_STATUSES, start=1)
        ),
    ),
    *in_scope(
        "SaveReportDialog",
        A("save_report.cancel", "escape,ctrl+g", "cancel", "Cancel"),
    ),
    *in_scope(
        "ChooseReport",
        A("choose_report.cancel", "escape,ctrl+g,q", "cancel", "Cancel"),
    ),
    *in_scope(
        "SavedCardReport",
        A("saved_report.back", "escape,ctrl+g,q", "back", "Back"),
    ),
)  # fmt: skip
