"""The customer form's fields: which tab holds each, how each is edited, and the conversions
between a stored customer, the widgets and the dict :class:`CustomerIn` validates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

from xoro_tui.data.models.choices import MandateStatus, PortalStatus
from xoro_tui.data.models.entities import (
    CUSTOMER_FIELDS,
    CUSTOMER_LOOKUP_FIELDS,
    CUSTOMER_MULTI_FIELDS,
    Customer,
    CustomerIn,
)
from xoro_tui.data.models.validators import parse_bool
from xoro_tui.widgets.safe_text import plain

#: kinds of field: text, lookup (Input with suggestions), flag (Checkbox),
#: portal (Select), mandate (Select of allowed moves), multi (``a|b|c``), date
TEXT, LOOKUP, FLAG, PORTAL, MANDATE, MULTI, DATE = (
    "text",
    "lookup",
    "flag",
    "portal",
    "mandate",
    "multi",
    "date",
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = TEXT


def _f(name: str, label: str, kind: str = TEXT) -> FieldSpec:
    return FieldSpec(name, label, kind)


#: (pane id, tab title, fields) in the order the form shows them
TABS: tuple[tuple[str, str, tuple[FieldSpec, ...]], ...] = (
    ("tab-general", "General", (
        _f("account_number", "Account number"),
        _f("name", "Customer name"),
        _f("type_name", "Type name", LOOKUP),
        _f("email", "Email"),
        _f("phone", "Phone"),
        _f("is_active", "Active", FLAG),
        _f("is_restricted", "Restricted", FLAG),
    )),
    ("tab-addresses", "Addresses", (
        _f("bill_to_line1", "Bill to address 1"),
        _f("bill_to_line2", "Bill to address 2"),
        _f("bill_to_city", "Bill to city"),
        _f("bill_to_state", "Bill to state"),
        _f("bill_to_postal_code", "Bill to postal/zip"),
        _f("bill_to_country", "Bill to country"),
        _f("ship_to_line1", "Ship to address 1"),
        _f("ship_to_line2", "Ship to address 2"),
        _f("ship_to_city", "Ship to city"),
        _f("ship_to_state", "Ship to state"),
        _f("ship_to_postal_code", "Ship to postal/zip"),
        _f("ship_to_country", "Ship to country"),
    )),
    ("tab-terms", "Terms & Sales", (
        _f("sales_rep", "Sales rep", LOOKUP),
        _f("payment_terms", "Payment terms", LOOKUP),
        _f("customer_group", "Customer group", LOOKUP),
        _f("order_type", "Order type", LOOKUP),
        _f("default_shipping_terms", "Shipping terms", LOOKUP),
        _f("default_payment_method", "Payment method", LOOKUP),
        _f("tags", "Tags (a|b|c)", MULTI),
        _f("brands", "Brands (a|b|c)", MULTI),
    )),
    ("tab-portal", "Portal & Payment", (
        _f("portal_status", "Portal status", PORTAL),
        _f("portal_email", "Portal email"),
        _f("show_invoice_credit_deposit_on_portal", "Show inv/credit/dep", FLAG),
        _f("mandate_status", "Direct debit mandate", MANDATE),
        _f("mandate_reference", "Mandate reference"),
        _f("mandate_date", "Mandate date", DATE),
    )),
    ("tab-references", "References", (
        _f("references", "References (a|b)", MULTI),
    )),
)  # fmt: skip

#: actions that leave the form for another one; the lead opens it with the customer id
LEAVE_ACTIONS: dict[str, str] = {
    "estimate": "Create Estimate",
    "sales_order": "Create SO",
    "invoice": "Create Invoice",
    "portal_invitation": "Portal Invitation",
    "direct_debit": "Direct Debit",
}


#: (id, constant label, action) of the button row; each action also has a key
FORM_BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("save", "Save", "save"),
    ("cancel", "Cancel", "cancel"),
    ("duplicate", "Duplicate", "duplicate"),
    *((f"leave-{a}", label, f"leave('{a}')") for a, label in LEAVE_ACTIONS.items()),
)

CARDS_TAB = ("tab-cards", "Saved Cards")
FIELDS: dict[str, FieldSpec] = {spec.name: spec for _, _, specs in TABS for spec in specs}
FIELD_TAB: dict[str, str] = {spec.name: tab for tab, _, specs in TABS for spec in specs}
FORM_ORDER: tuple[str, ...] = tuple(FIELDS)
assert set(FIELDS) == set(CUSTOMER_FIELDS), "every CustomerIn field is on the form"

#: allowed mandate moves: Requested → Active → Cancelled, or Requested → Failed
MANDATE_MOVES: dict[MandateStatus | None, tuple[MandateStatus, ...]] = {
    None: (MandateStatus.REQUESTED,),
    MandateStatus.REQUESTED: (MandateStatus.REQUESTED, MandateStatus.ACTIVE, MandateStatus.FAILED),
    MandateStatus.ACTIVE: (MandateStatus.ACTIVE, MandateStatus.CANCELLED),
    MandateStatus.CANCELLED: (MandateStatus.CANCELLED,),
    MandateStatus.FAILED: (MandateStatus.FAILED,),
}

CARD_FIELDS: tuple[tuple[str, str], ...] = (
    ("brand", "Brand"),
    ("last4", "Last 4 digits"),
    ("exp_month", "Expiry month"),
    ("exp_year", "Expiry year"),
    ("cardholder", "Cardholder"),
)
CARD_BRANDS = ("Visa", "Mastercard", "American Express", "Discover", "Diners Club", "JCB")


def flag_label(value: bool) -> str:
    """Checkboxes say Yes / No: their colour alone does not show on every terminal."""
    return "Yes" if value else "No"


def input_id(field: str) -> str:
    return f"field-{field}"


def error_id(field: str) -> str:
    return f"error-{field}"


def mandate_options(current: MandateStatus | None) -> list[tuple[str, str]]:
    return [(m.value, m.value) for m in MANDATE_MOVES.get(current, ())]


def lookup_suggestions(names_of: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """Suggestions per lookup field; ``names_of(table)`` reads a lookup table's values."""
    out: dict[str, list[str]] = {}
    for field, table in CUSTOMER_LOOKUP_FIELDS.items():
        out[field] = names_of(table)
    for field, table in CUSTOMER_MULTI_FIELDS.items():
        out[field] = names_of(table)
    return out


def to_form(customer: Customer | CustomerIn | None) -> dict[str, Any]:
    """Widget values of a stored customer (or the defaults of a new one)."""
    values: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        value = getattr(customer, name, None) if customer is not None else None
        if spec.kind == FLAG:
            default = CustomerIn.model_fields[name].default
            values[name] = bool(default if value is None else value)
        elif spec.kind in (PORTAL, MANDATE):
            values[name] = value.value if isinstance(value, Enum) else value
        elif spec.kind == MULTI:
            values[name] = "|".join(value or [])
        elif isinstance(value, dt.date):
            values[name] = value.isoformat()
        else:
            values[name] = "" if value is None else str(value)
    return values


def mandate_errors(
    values: Mapping[str, Any], opened_with: MandateStatus | None
) -> list[tuple[str, str]]:
    """An Active mandate needs a reference and a date; only allowed moves are accepted."""
    status = values.get("mandate_status")
    if status is None or status == "":
        if opened_with is None:
            return []
        return [("mandate_status", f"a {opened_with.value} mandate cannot be cleared")]
    try:
        status = MandateStatus.parse(status)
    except ValueError as exc:
        return [("mandate_status", str(exc))]
    errors: list[tuple[str, str]] = []
    if status not in MANDATE_MOVES.get(opened_with, ()):
        was = opened_with.value if opened_with else "none"
        errors.append(("mandate_status", f"cannot move from {was} to {status.value}"))
    if status is MandateStatus.ACTIVE and status is not opened_with:
        if not str(values.get("mandate_reference") or "").strip():
            errors.append(("mandate_reference", "an active mandate needs its reference"))
        if not str(values.get("mandate_date") or "").strip():
            errors.append(("mandate_date", "an active mandate needs its date"))
    return errors


def read_values(root: Widget) -> dict[str, Any]:
    """The dict for ``CustomerIn.model_validate``: text as typed, flags as bools, no choice None."""
    values: dict[str, Any] = {}
    for name in FORM_ORDER:
        widget = root.query_one(f"#{input_id(name)}")
        if isinstance(widget, Select):
            values[name] = None if widget.is_blank() else widget.value
        elif isinstance(widget, Input | Checkbox):
            values[name] = widget.value
    return values


def load_values(root: Widget, values: Mapping[str, Any]) -> None:
    """Put ``values`` (from :func:`to_form`, or a prefill) into the widgets.

    The mandate Select offers only the moves allowed from the loaded status.
    """
    for name, value in values.items():
        if name not in FIELDS:
            continue
        widget = root.query_one(f"#{input_id(name)}")
        if isinstance(widget, Select):
            _load_select(name, widget, value)
        elif isinstance(widget, Checkbox):
            widget.value = _flag(value)
            widget.label = flag_label(widget.value)
        elif isinstance(widget, Input):
            # stored text shown for editing: control characters of older rows become visible
            # placeholders, never raw codes sent to the terminal
            widget.value = "" if value is None else plain(value)
            widget.cursor_position = 0


def _flag(value: Any) -> bool:
    """A flag from a stored bool or a typed ``yes`` / ``true`` / ``1`` (anything else: no)."""
    if isinstance(value, str):
        try:
            value = parse_bool(value)
        except ValueError:
            return False
    return value is True


def _load_select(name: str, widget: Select, value: Any) -> None:
    enum = MandateStatus if name == "mandate_status" else PortalStatus
    try:
        choice = enum.parse(value) if value else None
    except ValueError:
        choice = None
    if name == "mandate_status":
        widget.set_options(mandate_options(choice))  # type: ignore[arg-type]
    if choice is None:
        widget.clear()
    else:
        widget.value = choice.value
