"""How the Customer Centre shows each customer's money: amounts with the customer's
currency, and the totals line of the filter, per currency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xoro_tui.data.models import money

#: the money columns, and what each needs read beside it
MONEY_KEYS = ("open_balance", "unapplied")
NEEDS: dict[str, tuple[str, ...]] = {key: ("currency", "currencies") for key in MONEY_KEYS}


def amount_cell(value: Any, record: dict[str, Any]) -> str:
    """``1,250.00 USD``; ``+`` after it when another currency holds money too (Customer
    Info shows each); empty for a customer with no documents or refunds at all."""
    currency = record.get("currency")
    if value is None or not currency:
        return ""
    more = "+" if (record.get("currencies") or 0) > 1 else ""
    return f"{money.display(int(value), str(currency))} {currency}{more}"


FORMATTERS = {key: amount_cell for key in MONEY_KEYS}


def totals_parts(rows: Sequence[tuple[str, int, int]]) -> tuple[list[str], list[str]]:
    """The two totals lines: ``Open balance:`` then one part per currency, and
    ``Unapplied credits:`` likewise. A line breaks between parts, so each currency's
    amount is always whole."""
    lines = []
    for label, index in (("Open balance", 1), ("Unapplied credits", 2)):
        amounts = [
            f"{row[0]} {money.display(int(row[index]), row[0])}" for row in rows if row[index]
        ]
        amounts = amounts or ["none"]
        amounts[0] = f"{label}: {amounts[0]}"
        lines.append(amounts)
    return lines[0], lines[1]
