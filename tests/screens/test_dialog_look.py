"""Every modal dialog is drawn from the one shared sheet (styles/dialogs.tcss) and keeps its
own few rules after it: the same frame everywhere, and a form's error in an error colour."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Input, Label

import xoro_tui.screens
from xoro_tui.app import XoroApp
from xoro_tui.screens.dialogs.dialog import SHARED_CSS, Dialog
from xoro_tui.screens.refunds.refund_dialogs import AskText


def all_dialogs() -> list[type[Dialog]]:
    for module in pkgutil.walk_packages(xoro_tui.screens.__path__, "xoro_tui.screens."):
        importlib.import_module(module.name)
    found: list[type[Dialog]] = []
    todo = list(Dialog.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_dialog_starts_with_the_shared_sheet_written_for_it() -> None:
    dialogs = all_dialogs()
    assert len(dialogs) >= 20
    for cls in dialogs:
        css = cls.DEFAULT_CSS
        assert css.startswith(SHARED_CSS.replace("Dialog", cls.__name__)), cls
        assert css.rstrip().endswith(cls.OWN_CSS.rstrip()), cls


async def test_a_dialog_has_the_shared_frame_and_its_error_in_an_error_colour(
    db, db_path: Path
) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = AskText("Why void this refund?")
        app.push_screen(dialog)
        await pilot.pause()
        box = dialog.query_one(Vertical)
        assert box.styles.border_top[0] == "round"
        assert box.styles.width is not None and box.styles.width.value == 70  # its own rule
        assert box.region.x > 0 and box.region.y > 0  # centred, not at the corner
        dialog.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        error = dialog.query_one(".error", Label)
        assert "missing" in str(error.render())
        # an error Label: Textual's own error text colour (as before the sheet was shared)
        expected = Color.parse(app.theme_variables["text-error"])
        assert error.styles.color.rgb == expected.rgb
