"""Screenshots of the Customer Centre and everything opened from it, at 80x24 and 120x40,
on the demo data of a fixed day, reached by keys as a user would.

A changed screen fails here with a side-by-side report (snapshot_report.html); if the
change is meant, rewrite the SVGs with ``pytest tests/snapshots --snapshot-update`` and
look at them before committing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import settle
from tests.snapshots.conftest import SIZE_IDS, SIZES, list_ready, press_each, shoot


def on_top(name: str):  # noqa: ANN201 - a condition on the app
    """The screen on top is of the class ``name`` (and, if it is a list, has its rows)."""

    def ready(app: Any) -> bool:
        screen = app.screen
        if type(screen).__name__ != name:
            return False
        return list_ready(screen) if hasattr(screen, "source") else True

    return ready


def overlay_open(kind: str):  # noqa: ANN201 - a condition on the app
    """The Centre's overlay ``kind`` (RowMenu, ColumnPicker) is open."""

    def ready(app: Any) -> bool:
        return any(
            type(widget).__name__ == kind and widget.is_open
            for widget in app.screen.walk_children()
        )

    return ready


async def search(app: Any, pilot: Any, text: str) -> None:
    """Quick search, Enter back to the list, and wait for the filtered rows."""
    await pilot.press("slash", *text, "enter")
    await settle(app, pilot)


def keys(*pressed: str, find: str | None = None, check_all: bool = False):  # noqa: ANN201
    """Steps: optionally search ``find`` (and check every row found), then press ``pressed``."""

    async def steps(app: Any, pilot: Any) -> None:
        if find is not None:
            await search(app, pilot, find)
        await press_each(app, pilot, pressed, check_all=check_all)

    return steps


async def save_a_view(app: Any, pilot: Any) -> None:
    """A saved view, so that Views lists one besides the built-in layout."""
    await search(app, pilot, "Wholesale")
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    await pilot.press(*"Wholesale", "enter")
    await settle(app, pilot)
    await pilot.press("x")
    await settle(app, pilot)
    app.clear_notifications()  # "Saved view …": gone before the dialog opens over it
    await settle(app, pilot)
    await pilot.press("V")
    await settle(app, pilot)


#: (snapshot name, steps, what shows that the screen is finished)
SCREENS = [
    ("customer_centre", None, lambda app: list_ready(app.screen)),
    ("row_menu", keys("m", find="Acme Trading"), overlay_open("RowMenu")),
    ("actions_menu", keys("a", find="Acme", check_all=True), overlay_open("RowMenu")),
    ("customer_info", keys("m", "i", find="Acme Trading Ltd"), on_top("CustomerInfo")),
    ("customer_form", keys("enter", find="Acme Trading Ltd"), on_top("CustomerForm")),
    ("estimate_form", keys("m", "e", find="Acme Trading Ltd"), on_top("DocumentForm")),
    ("merge_dialog", keys("a", "m", find="Acme", check_all=True), on_top("MergeDialog")),
    ("batch_update", keys("a", "u", find="Acme", check_all=True), on_top("BatchUpdateDialog")),
    ("advanced_search", keys("ctrl+f"), on_top("AdvancedSearch")),
    ("column_picker", keys("c"), overlay_open("ColumnPicker")),
    ("views_dialog", save_a_view, on_top("ChooseView")),
    ("download_dialog", keys("d", find="Acme"), on_top("DownloadDialog")),
    ("import_screen", keys("a", "i"), on_top("ImportScreen")),
    ("settings", keys("S"), on_top("SettingsScreen")),
    ("help", keys("question_mark"), on_top("HelpScreen")),
    ("deleted_customers", keys("a", "x"), on_top("DeletedCustomers")),
]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(("name", "steps", "ready"), SCREENS, ids=[name for name, *_ in SCREENS])
def test_customer_screen(snap_compare, demo_app, name: str, steps, ready, size) -> None:  # noqa: ANN001
    assert shoot(snap_compare, demo_app, size, steps, ready)
