"""The Merge preview's field picker: one row per field the customers disagree on, listing
their values; ← and → (or Enter) move the choice along the row, keyboard only.

User data enters the rows only through :func:`~xoro_tui.widgets.safe_text.safe_text`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.merge_fields import FLAG_FIELDS, FieldChoice
from xoro_tui.widgets.safe_text import safe_text

#: how the preview names a merged field (or a group of fields taken together)
_FIELD_TITLES = {
    "type_name": "Type",
    "default_payment_method": "Default payment method",
    "default_shipping_terms": "Default shipping terms",
    "bill_to_postal_code": "Bill-to postal/ZIP code",
    "show_invoice_credit_deposit_on_portal": "Show invoice/credit/deposit on portal",
    "bill_to": "Bill-to address",
    "mandate": "Direct debit mandate",
    "portal_email": "Portal email",
}


def field_title(field: str) -> str:
    if field in _FIELD_TITLES:
        return _FIELD_TITLES[field]
    text = field.replace("bill_to_", "bill-to ").replace("_", " ")
    return text[:1].upper() + text[1:]


def shown_value(field: str, value: Any) -> str:
    """A stored value as the preview shows it (flags as Yes/No)."""
    if field in FLAG_FIELDS:
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def option_text(values: dict[str, Any]) -> str:
    """A group's values on one line: the non-empty ones, comma-separated."""
    parts = [shown_value(f, v) for f, v in values.items()]
    return ", ".join(p for p in parts if p.strip())


def choice_prompt(choice: FieldChoice, chosen: int) -> Text:
    """``Email`` on one line, then each value with ● on the chosen one."""
    out = Text(field_title(choice.key), "bold")
    for index, option in enumerate(choice.options):
        mark = "● " if index == chosen else "○ "
        style = "bold" if index == chosen else "dim"
        out.append("\n  ")
        out.append(mark, style)
        out.append(safe_text(option_text(option.values), style))
        out.append(" ← ", style)
        out.append(safe_text(option.account_number, style))
    return out


class FieldPicker(OptionList):
    """One option per :class:`FieldChoice`; the picks are kept here (group key → index)."""

    BINDINGS = bindings("MergeFieldPicker")

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.choices: list[FieldChoice] = []
        self.chosen: dict[str, int] = {}

    def set_choices(self, choices: list[FieldChoice]) -> None:
        self.choices = list(choices)
        self.chosen = {c.key: c.default for c in self.choices}
        self.clear_options()
        self.add_options([Option(choice_prompt(c, c.default), id=c.key) for c in self.choices])
        if self.choices:
            self.highlighted = 0

    def picks(self) -> dict[str, int]:
        """Group key → the id of the customer whose value the merged record keeps."""
        return {c.key: c.options[self.chosen[c.key]].customer_id for c in self.choices}

    def action_pick(self, step: int) -> None:
        index = self.highlighted
        if index is None or not self.choices:
            return
        choice = self.choices[index]
        self.chosen[choice.key] = (self.chosen[choice.key] + step) % len(choice.options)
        self.replace_option_prompt_at_index(index, choice_prompt(choice, self.chosen[choice.key]))
        self.post_message(self.Picked(self))

    class Picked(Message):
        """A value was chosen; the dialog redraws what the merged record takes."""

        def __init__(self, picker: FieldPicker) -> None:
            super().__init__()
            self.picker = picker
