"""Screenshots of the Customer Refund Centre and its forms and dialogs, at 80x24 and 120x40,
on the demo data of a fixed day, reached by keys from the Customer Centre (``R``).

If a change is meant, rewrite the SVGs with ``pytest tests/snapshots --snapshot-update``
and look at them before committing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import settle, wait_until
from tests.snapshots.conftest import SIZE_IDS, SIZES, list_ready, press_each, shoot
from tests.snapshots.test_customer_screens import on_top, overlay_open


def in_refunds(*pressed: str, status: str | None = None, check_all: bool = False):  # noqa: ANN201
    """Steps: open the Refund Centre, optionally show one status (its digit key) and check
    every row shown, then press ``pressed``."""

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("R")
        await settle(app, pilot)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RefundCentre")
        await wait_until(pilot, lambda: list_ready(app.screen))
        if status is not None:
            await pilot.press(status)
            await settle(app, pilot)
            await wait_until(pilot, lambda: list_ready(app.screen))
        await press_each(app, pilot, pressed, check_all=check_all)

    return steps


#: the status keys of the Centre: 0 every status, then one digit per status in order
DRAFT, APPROVED = "1", "3"

SCREENS = [
    ("refund_centre", in_refunds(), on_top("RefundCentre")),
    ("refund_row_menu", in_refunds("m"), overlay_open("RowMenu")),
    ("new_refund_form", in_refunds("n"), on_top("NewRefund")),
    ("update_refund", in_refunds("m", "u", status=DRAFT), on_top("RefundForm")),
    ("update_refund_approved", in_refunds("m", "u", status=APPROVED), on_top("RefundForm")),
    (
        "cheque_dialog",
        in_refunds("P", status=APPROVED, check_all=True),
        on_top("ChequeBatchDialog"),
    ),
]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(("name", "steps", "ready"), SCREENS, ids=[name for name, *_ in SCREENS])
def test_refund_screen(snap_compare, demo_app, name: str, steps, ready, size) -> None:  # noqa: ANN001
    assert shoot(snap_compare, demo_app, size, steps, ready)
