"""The two Centres, each built (and its module imported) the first time it is shown."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def customer_centre() -> Screen[Any]:
    from xoro_tui.screens.customers.customer_centre import CustomerCentre

    return CustomerCentre()


def refund_centre() -> Screen[Any]:
    from xoro_tui.screens.refunds.refund_centre import RefundCentre

    return RefundCentre()
