"""What the customer form shows about a customer besides its fields: the title, the other
sites, the saved cards and the stale-save panel. Every value goes through ``safe_text``."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from xoro_tui.data.models.entities import CardIn, Customer, Site
from xoro_tui.widgets.safe_text import safe_text

STALE_HEADING = "Not saved: changed by someone else meanwhile (your input is kept):"


def title_text(customer: Customer | None) -> Text:
    if customer is None:
        return Text("New customer", style="bold")
    text = Text("Edit customer ", style="bold")
    text.append_text(safe_text(f"{customer.account_number} · {customer.name}"))
    return text


def sites_text(sites: Iterable[Site]) -> Text:
    """One line per site other than the default (whose address the form edits)."""
    lines = []
    for site in sites:
        if site.is_default:
            continue
        parts = [site.line1, site.line2, site.city, site.state, site.postal_code, site.country]
        where = ", ".join(p for p in parts if p)
        lines.append(safe_text(f"{site.name or 'Site'}: {where}"))
    return Text("\n").join(lines) if lines else Text("(none)")


def card_line(card: CardIn) -> Text:
    """``Visa …4242  exp 04/2027``: never more than brand, last 4 and expiry."""
    line = safe_text(card.brand)
    line.append(f" …{card.last4}  exp {card.exp_month:02d}/{card.exp_year}")
    return line


def stale_text(changes: list[str]) -> Text:
    """Their changes, one per line; Reload shows their version (and drops the input)."""
    return Text("\n").join(safe_text(line) for line in changes)
